"""The flow of imports (docs: ../shared/DESIGN.md, "Target layout"), checked by a static walk over src/r2k: nothing
under web/ imports cli/, nothing under monitor/ imports report/ (the scheduled job lives in jobs/), validation/ and
analytics/ import no store, and no module imports itself back through a chain of module-level imports."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"
PACKAGE = SRC / "r2k"

# (importer package, imported package): never, not even inside a function
FORBIDDEN = (("r2k.web", "r2k.cli"), ("r2k.monitor", "r2k.report"), ("r2k.monitor", "r2k.jobs"),
             ("r2k.validation", "r2k.store"), ("r2k.analytics", "r2k.store"))
# known exceptions, each with its way out; the test fails once one is gone, so the list cannot go stale
KNOWN = {
    # the block-forecast cache's keys are pure hashing, but they live beside the cache's disk I/O in store/; the
    # target layout moves them to cache/ (../shared/DESIGN.md), which ends this exception
    ("r2k.validation.engine", "r2k.store.forecast_cache"),
}
# modules the vocabulary may use (names.py and words.py import nothing heavy)
LIGHT = {"r2k.names", "r2k.words"}


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or \
        (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def imports(path: Path) -> Iterator[tuple[str, bool]]:
    """(imported module, at module level?) for every import of a file outside ``if TYPE_CHECKING:`` blocks."""
    here = module_name(path)
    yield from imports_in(path.read_text(encoding="utf-8"), here if path.name == "__init__.py" else here.rpartition(".")[0])


def imports_in(code: str, package: str) -> Iterator[tuple[str, bool]]:
    """(imported module, at module level?) for every import in ``code`` of a module in ``package``."""
    tree = ast.parse(code)

    def walk(nodes: list[ast.stmt], top: bool) -> Iterator[tuple[str, bool]]:
        for node in nodes:
            if isinstance(node, ast.If) and _is_type_checking(node):
                yield from walk(node.orelse, top)
                continue
            if isinstance(node, ast.Import):
                yield from ((a.name, top) for a in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*anchor, base] if base else anchor)
                yield base, top
                yield from ((f"{base}.{a.name}", top) for a in node.names)  # "from r2k import snapshot"
            for field in ("body", "orelse", "finalbody", "handlers"):
                inner = getattr(node, field, None)
                if isinstance(inner, list) and inner and isinstance(inner[0], (ast.stmt, ast.excepthandler)):
                    deeper = isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda))
                    yield from walk([n for n in inner if isinstance(n, ast.stmt)] if field != "handlers"
                                    else [s for h in inner for s in h.body], top and not deeper)

    yield from walk(tree.body, True)


def graph() -> dict[str, list[tuple[str, bool]]]:
    modules = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    out = {}
    for name, path in modules.items():
        out[name] = [(m, top) for m, top in imports(path) if m in modules]
    return out


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def test_no_import_against_the_flow() -> None:
    found = {(src, dst) for src, deps in graph().items() for dst, _ in deps
             for a, b in FORBIDDEN if _within(src, a) and _within(dst, b)}
    assert sorted(found - KNOWN) == []
    assert sorted(KNOWN - found) == []  # an exception that no longer exists: delete it from KNOWN


def test_the_vocabulary_imports_nothing_heavy() -> None:
    for name in LIGHT:
        path = PACKAGE / f"{name.split('.')[-1]}.py"
        outside = {m.split(".")[0] for m, _ in imports(path)} - {"__future__", "collections", "typing", "math",
                                                                   "datetime", "dataclasses", "functools", "re"}
        assert outside == set(), (name, outside)


def _cycle(edges: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for start in sorted(edges):
        if start not in state and (found := visit(start)):
            return found
    return None


def test_no_import_cycles_at_module_level() -> None:
    # a package's own __init__ re-exporting its modules is not a cycle back into it
    edges = {src: {dst for dst, top in deps if top and not src.startswith(dst + ".")} for src, deps in graph().items()}
    assert _cycle(edges) is None


@pytest.mark.parametrize("case", ["web_cli", "cycle"])
def test_the_checks_can_fail(case: str) -> None:
    """The walk sees what it must: a lazy import inside a function, and a two-module cycle."""
    if case == "web_cli":
        code = ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from r2k.store import Store\n"
                "from . import service\ndef page():\n    try:\n        from r2k.cli.common import console\n"
                "    except ImportError:\n        pass\n")
        found = set(imports_in(code, "r2k.web"))
        assert {("r2k.cli.common", False), ("r2k.web", True), ("r2k.web.service", True)} <= found
        assert not any(m.startswith("r2k.store") for m, _ in found)  # type-only imports are not runtime imports
    else:
        assert _cycle({"a": {"b"}, "b": {"a"}}) == ["a", "b", "a"]
