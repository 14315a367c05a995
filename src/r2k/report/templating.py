"""The Jinja environment of the report's blocks (templates/blocks.html.j2) with autoescape: every string from data is
escaped; only chart SVG (made by matplotlib, which escapes its own text) is marked safe."""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined

from r2k.words import NA, jinja_filters


@cache
def environment() -> Environment:
    env = Environment(loader=PackageLoader("r2k.report", "templates"), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters.update(jinja_filters(NA))
    return env

