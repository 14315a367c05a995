"""Render a :class:`Report` to HTML (self-contained), Markdown or JSON."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from jinja2 import Environment, PackageLoader, select_autoescape

from r2k import __version__
from r2k.errors import R2KError
from r2k.outfile import write_bytes, write_text
from r2k.report import blocks as B
from r2k.report.build import Report
from r2k.report.tables import md_text
from r2k.serialize import dumps

Format = Literal["html", "md", "json", "pdf"]
SUFFIXES: dict[str, Format] = {".html": "html", ".htm": "html", ".md": "md", ".json": "json", ".pdf": "pdf"}
from r2k.words import INDEX_NAMES  # noqa: E402 - re-exported for the sections


def stylesheet() -> str:
    """The report's CSS (templates/report.css): a page that shows report sections' ``.html`` includes it once."""
    from importlib.resources import files

    return (files("r2k.report") / "templates" / "report.css").read_text(encoding="utf-8")


def banner(report: Report) -> list[B.Block]:
    """The data-age warning, first on the page (nothing when the data is recent and no input is stale)."""
    age = report.data_age
    return [B.Banner(age.lead(), age.text())] if age is not None and age.warn else []


def to_html(report: Report) -> str:
    env = Environment(loader=PackageLoader("r2k.report", "templates"), autoescape=select_autoescape(["html", "j2"]))
    return env.get_template("report.html.j2").render(report=report, version=__version__, banner=B.to_html(banner(report)),
                                                     index_name=INDEX_NAMES.get(report.symbol, report.symbol),
                                                     bench_name=INDEX_NAMES.get(report.benchmark, report.benchmark))


def to_pdf(report: Report) -> bytes:
    """The same HTML with its print CSS (A4, tables and charts never split), rendered by WeasyPrint."""
    from weasyprint import HTML

    return HTML(string=to_html(report)).write_pdf()


def to_markdown(report: Report) -> str:
    parts = [
        md_text(f"# {INDEX_NAMES.get(report.symbol, report.symbol)} ({report.symbol}) outlook as of {report.as_of}"),
        md_text(f"As of {report.as_of} (data after this date is not used); benchmark {report.benchmark}; r2k {__version__}."),
        *([B.to_markdown(banner(report))] if banner(report) else []),
    ]
    for s in report.sections:  # section bodies escape their own text (r2k.report.tables.md_text)
        parts.append(f"## {md_text(s.title)}\n\n{s.markdown}")
        parts += [f"_{md_text(n)}_" for n in s.notes]
    return "\n\n".join(parts) + "\n"


def to_json(report: Report) -> str:
    return dumps(report.to_dict())


RENDERERS = {"html": to_html, "md": to_markdown, "json": to_json, "pdf": to_pdf}


def format_for(path: Path, fmt: str | None) -> Format:
    if fmt:
        if fmt not in RENDERERS:
            raise R2KError(f"unknown report format {fmt!r} (html, md, json, pdf)")
        return fmt  # type: ignore[return-value]
    if path.suffix.lower() not in SUFFIXES:
        raise R2KError(f"cannot tell the report format from {path.name}: use .html, .md, .json or .pdf, or --format")
    return SUFFIXES[path.suffix.lower()]


def write_report(report: Report, path: Path, fmt: str | None = None) -> Path:
    """Write the report; the file is replaced only once the rendering succeeded."""
    text = RENDERERS[format_for(path, fmt)](report)
    if isinstance(text, bytes):
        return write_bytes(path, text)
    return write_text(path, text)
