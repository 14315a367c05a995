"""`r2k serve` refuses what it cannot serve at startup, in one line and exit 1: a store that is a directory (or
not r2k's), a busy port, a host it cannot resolve or bind. The server itself is never started here."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from typer.testing import CliRunner
from web_support import build_store

from r2k.cli.app import app


class Started(Exception):
    """The server would have started (the test stops it before it listens forever)."""


@pytest.fixture(autouse=True)
def no_server(monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    def started(*args, **kwargs) -> None:  # noqa: ANN002, ANN003
        raise Started

    monkeypatch.setattr(uvicorn, "run", started)
    monkeypatch.setattr(uvicorn.Server, "run", started)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("serve") / "s.duckdb")


def serve(*args: str):  # noqa: ANN202
    return CliRunner().invoke(app, ["serve", *args])


def test_a_directory_as_the_store_is_refused(tmp_path: Path) -> None:
    res = serve("--store", str(tmp_path), "--port", "1")
    assert (res.exit_code, res.stderr) == (1, f"error: store {tmp_path} is a directory, not a DuckDB file\n")
    (tmp_path / "foreign.duckdb").write_bytes(b"not a database" * 100)
    res = serve("--store", str(tmp_path / "foreign.duckdb"))
    assert res.exit_code == 1 and res.stderr.startswith("error: ") and len(res.stderr.splitlines()) == 1


def test_a_busy_port_is_one_line(store: Path) -> None:
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen()
    port = busy.getsockname()[1]
    try:
        res = serve("--store", str(store), "--port", str(port))
    finally:
        busy.close()
    assert (res.exit_code, res.stderr) == (1, f"error: cannot serve on 127.0.0.1:{port}: Address already in use\n")


def test_a_host_that_cannot_be_resolved_or_bound_is_one_line(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def unknown(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    with monkeypatch.context() as m:
        m.setattr(socket, "getaddrinfo", unknown)
        res = serve("--store", str(store), "--host", "no.such.host.invalid")
    assert (res.exit_code, res.stderr) == (1, "error: --host no.such.host.invalid: cannot resolve it (Name or service not known)\n")
    res = serve("--store", str(store), "--host", "192.0.2.1", "--port", "8000")  # TEST-NET-1: never this machine's
    assert res.exit_code == 1 and res.stderr.startswith("error: cannot serve on 192.0.2.1:8000: ")
    assert "warning" not in res.stderr


def test_a_good_store_and_port_reach_the_server(store: Path) -> None:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    res = serve("--store", str(store), "--port", str(port))
    assert isinstance(res.exception, Started)
    assert res.stdout == f"r2k dashboard on http://127.0.0.1:{port} (store {store}, data to 2022-05-13)\n"


def test_the_host_bound_is_trusted_and_said(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import r2k.web.app as web_app

    seen = {}
    real = web_app.create_app
    monkeypatch.setattr(web_app, "create_app", lambda *a, **k: seen.update(k) or real(*a, **k))
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    res = serve("--store", str(store), "--host", "localhost", "--port", str(port))
    assert isinstance(res.exception, Started) and seen["host"] == "localhost"
    assert res.stdout.startswith(f"r2k dashboard on http://localhost:{port} (store ")
