"""The fan-out gives the same results serially, on local processes and on a Dask LocalCluster."""

from __future__ import annotations

import socket
import threading
from datetime import date, datetime

import numpy as np
import pandas as pd
import pytest
from constituents_support import RecordedSec, ishares_text, sec_client, write

from r2k.outlook.constituents import index_category_ratings
from r2k.parallel import Executor, SchedulerError, check_scheduler_address, chunked, joblib_backend
from r2k.providers.holdings import read_holdings_file
from r2k.serialize import dumps
from r2k.store import Store
from r2k.store.constituents import company_log, load_facts, write_holdings
from r2k.store.fundamentals import fetch_fundamentals

distributed = pytest.importorskip("distributed", reason="dask[distributed] is not installed (pip install 'r2k[scale]')")

NOW = datetime(2026, 3, 1)


@pytest.fixture(scope="module")
def cluster():
    from dask.distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as c:
        yield c


def _square(x: int, offset: int) -> int:
    return x * x + offset


def test_executor_keeps_item_order_on_every_backend(cluster):
    items = list(range(23))
    expected = [x * x + 1 for x in items]
    assert Executor().map(_square, items, 1) == expected
    with Executor(cluster) as ex:
        assert ex.workers == 2
        assert ex.map(_square, items, 1) == expected
    assert chunked(items, 10) == [items[:10], items[10:20], items[20:]]


def test_unreachable_scheduler_is_one_line():
    with pytest.raises(SchedulerError, match=r"^tcp://127.0.0.1:9 is not a Dask scheduler: nothing answers there"):
        with Executor("tcp://127.0.0.1:9", connect_timeout="1s"):
            pass


@pytest.mark.parametrize("address", ["garbage", "tcp://", "tcp://host", "tcp://host:99999", "http://127.0.0.1:8786",
                                     "tcp://127.0.0.1:port", ""])
def test_a_malformed_address_is_refused_before_connecting(address):
    with pytest.raises(SchedulerError, match=r"is not a Dask scheduler: .*tcp://HOST:PORT"):
        check_scheduler_address(address)


def test_a_bare_host_and_port_means_tcp():
    assert check_scheduler_address(" 127.0.0.1:8786 ") == "tcp://127.0.0.1:8786"
    assert check_scheduler_address("tls://sched.example:8786") == "tls://sched.example:8786"


@pytest.fixture
def silent_listener():
    """A TCP port that accepts connections and never says a word (the probe's hang)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    held: list[socket.socket] = []

    def accept() -> None:
        try:
            while True:
                held.append(server.accept()[0])
        except OSError:
            return

    threading.Thread(target=accept, daemon=True).start()
    yield f"tcp://127.0.0.1:{server.getsockname()[1]}"
    server.close()
    for conn in held:
        conn.close()


@pytest.fixture
def http_server():
    """An HTTP server: it answers, but not as a Dask scheduler."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"tcp://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_silent_listener_fails_within_the_deadline(silent_listener):
    with pytest.raises(SchedulerError, match=r"is not a Dask scheduler: no answer within 1 s"):
        with Executor(silent_listener, connect_timeout="1s"):
            pass


def test_an_http_server_is_not_a_scheduler(http_server):
    with pytest.raises(SchedulerError, match=rf"^{http_server} is not a Dask scheduler: "):
        with Executor(http_server, connect_timeout="1s"):
            pass


def test_a_dask_worker_is_not_a_scheduler():
    from dask.distributed import LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, protocol="tcp", dashboard_address=None) as c:
        worker = next(iter(c.scheduler_info["workers"]))
        with pytest.raises(SchedulerError, match=r"is not a Dask scheduler: it is a Dask worker"):
            with Executor(worker, connect_timeout="5s"):
                pass
        with Executor(c.scheduler_address, connect_timeout="5s") as ex:  # the real scheduler, by its address
            assert ex.map(_square, [1, 2], 0) == [1, 4]


def test_cli_scheduler_garbage_is_one_line_before_reading_the_store(tmp_path):
    from typer.testing import CliRunner

    from r2k.cli.app import app

    result = CliRunner().invoke(app, ["backtest", "--models", "climatology", "--horizons", "5", "--scheduler", "garbage",
                                      "--store", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == ["error: 'garbage' is not a Dask scheduler: "
                                          "the address must look like tcp://HOST:PORT"]


def _fetched(tmp_path, name: str, **kw) -> Store:
    store = Store(tmp_path / name)
    write_holdings(store, read_holdings_file(write(tmp_path, "h.csv", ishares_text())), NOW)
    fetch_fundamentals(store, sec_client(RecordedSec()), NOW, batch=4, **kw)
    return store


def test_fetch_and_ratings_on_the_cluster_equal_the_serial_run(tmp_path, cluster):
    with _fetched(tmp_path, "serial.duckdb") as a, _fetched(tmp_path, "dask.duckdb", scheduler=cluster) as b:
        cols = ["ticker", "cik", "status", "message", "facts", "last_filed"]
        pd.testing.assert_frame_equal(company_log(a)[cols], company_log(b)[cols])
        pd.testing.assert_frame_equal(load_facts(a, date(2030, 1, 1)), load_facts(b, date(2030, 1, 1)))
        serial = index_category_ratings(a, date(2026, 3, 15))
        on_dask = index_category_ratings(b, date(2026, 3, 15), scheduler=cluster, chunk=2)
        local = index_category_ratings(a, date(2026, 3, 15), n_jobs=2, chunk=1)
    assert dumps(serial.to_dict(companies=True)) == dumps(on_dask.to_dict(companies=True)) == dumps(local.to_dict(companies=True))


def test_walk_forward_on_the_cluster_equals_the_serial_run(cluster):
    from r2k.models.registry import make_models
    from r2k.validation.engine import walk_forward
    from r2k.validation.folds import FoldPlan

    rng = np.random.default_rng(3)
    closes = pd.Series(100 * np.exp(np.cumsum(rng.normal(0, 0.01, 700))), index=pd.bdate_range("2018-01-01", periods=700))
    plan = FoldPlan(horizons=(5, 20), start=closes.index[520].date(), step=20, refit_every=2)
    serial = walk_forward(closes, make_models(["climatology", "random_walk"]), plan, seed=1)
    with joblib_backend(cluster) as workers:
        assert workers == 2
        on_dask = walk_forward(closes, make_models(["climatology", "random_walk"]), plan, seed=1, n_jobs=workers)
    pd.testing.assert_frame_equal(serial, on_dask)
