"""The gate with real threads: a cached answer is never held up by a slow computation, the same question is computed
once however many ask at once (single flight), computations are bounded (refused at once when the queue is full,
503 with Retry-After through the app), a client that left is not computed for, errors are shared but not cached.
Every wait is on an event with a generous timeout, never on a measured duration."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from r2k.config import Settings
from r2k.errors import R2KError
from r2k.web.app import create_app
from r2k.web.gate import Gate, Gone, Overloaded
from web_support import build_store

WAIT = 30  # seconds: only reached when something is broken


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("gate") / "g.duckdb")


class Slow:
    """A computation that starts, says so, and finishes only when released; counts its runs."""

    def __init__(self, value: object = "slow answer") -> None:
        self.started, self.release, self.runs, self.value = threading.Event(), threading.Event(), 0, value

    def __call__(self) -> object:
        self.runs += 1
        self.started.set()
        assert self.release.wait(WAIT)
        return self.value


def test_a_cached_answer_is_served_while_another_question_computes(store: Path) -> None:
    gate = Gate(store, slots=1, queue=0)
    assert gate.memo("fast", lambda: 42) == 42
    slow = Slow()
    with ThreadPoolExecutor(1) as pool:
        pending = pool.submit(gate.memo, "slow", slow)
        assert slow.started.wait(WAIT)
        assert gate.memo("fast", lambda: pytest.fail("recomputed")) == 42  # answered while "slow" holds the only slot
        slow.release.set()
        assert pending.result(WAIT) == "slow answer"


def test_the_same_question_is_computed_once_for_everyone_asking(store: Path) -> None:
    gate = Gate(store, slots=2, queue=0)  # eight askers, no queue: only the one computation takes a slot
    slow = Slow([1, 2, 3])
    with ThreadPoolExecutor(8) as pool:
        answers = [pool.submit(gate.memo, "q", slow) for _ in range(8)]
        assert slow.started.wait(WAIT)
        slow.release.set()
        results = [a.result(WAIT) for a in answers]
    assert slow.runs == 1 and all(r is results[0] for r in results) and gate.computed == 1
    assert gate.memo("q", lambda: pytest.fail("recomputed")) == [1, 2, 3]


def test_computations_are_bounded_and_the_rest_refused_at_once(store: Path) -> None:
    gate = Gate(store, slots=1, queue=1)
    first, second = Slow("a"), Slow("b")
    with ThreadPoolExecutor(2) as pool:
        a = pool.submit(gate.memo, "a", first)
        assert first.started.wait(WAIT)
        b = pool.submit(gate.memo, "b", second)  # waits in the queue for the slot
        for _ in range(1000):
            if gate._admitted == 2:
                break
            threading.Event().wait(0.01)
        with pytest.raises(Overloaded, match="busy"):
            gate.memo("c", lambda: pytest.fail("computed while full"))
        assert not second.started.is_set()  # one slot: "b" has not started while "a" runs
        first.release.set()
        second.release.set()
        assert (a.result(WAIT), b.result(WAIT)) == ("a", "b")
    assert gate.memo("c", lambda: "c") == "c"  # room again


def test_a_nested_question_keeps_the_slot_it_has(store: Path) -> None:
    gate = Gate(store, slots=1, queue=0)
    assert gate.memo("outer", lambda: gate.memo("inner", lambda: 1) + 1) == 2


def test_a_client_that_left_is_not_computed_for(store: Path) -> None:
    gate = Gate(store, slots=1, queue=1)
    with pytest.raises(Gone):
        gate.memo("q", lambda: pytest.fail("computed for nobody"), gone=lambda: True)
    # a waiter behind a leader whose client left asks again and computes the answer itself
    blocker = Slow("blocker")
    with ThreadPoolExecutor(3) as pool:
        held = pool.submit(gate.memo, "blocker", blocker)
        assert blocker.started.wait(WAIT)
        left = threading.Event()
        leader = pool.submit(gate.memo, "q", lambda: pytest.fail("computed for nobody"), lambda: left.wait(WAIT))
        while "q" not in {k[0] for k in gate._flights}:
            threading.Event().wait(0.01)
        stays = pool.submit(gate.memo, "q", lambda: "for the one who stayed")
        blocker.release.set()  # the leader gets the slot, finds its client gone
        left.set()
        with pytest.raises(Gone):
            leader.result(WAIT)
        assert stays.result(WAIT) == "for the one who stayed" and held.result(WAIT) == "blocker"


def test_an_error_reaches_every_asker_and_is_not_cached(store: Path) -> None:
    gate = Gate(store)
    calls = []

    def failing() -> None:
        calls.append(1)
        raise R2KError("no outlook at this date")

    for _ in range(2):
        with pytest.raises(R2KError, match="no outlook"):
            gate.memo("bad", failing)
    assert len(calls) == 2


def test_cached_reads_the_store_through_its_own_connection(store: Path) -> None:
    gate = Gate(store, slots=2)
    with ThreadPoolExecutor(4) as pool:
        lasts = list(pool.map(lambda i: gate.cached(("last", i % 2), lambda s: s.last_date("RUT")), range(8)))
    assert len(set(lasts)) == 1 and gate.computed == 2


def test_a_full_gate_answers_503_with_retry_after(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from r2k.web import topics

    def full(*args: object) -> None:
        raise Overloaded("the dashboard is busy with other computations; try again in a few seconds")

    monkeypatch.setattr(topics, "coverage", full)
    client = TestClient(create_app(Settings(store_path=store), walk_forward=False, report=None), base_url="http://127.0.0.1")
    api, page = client.get("/api/coverage"), client.get("/coverage")
    assert (api.status_code, api.headers["retry-after"]) == (503, "10") and "busy with other computations" in api.json()["error"]
    assert page.status_code == 503 and page.headers["retry-after"] == "10" and "busy with other computations" in page.text


def test_a_request_whose_client_hung_up_is_not_computed(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Through a real server: a request queued behind a slow one, whose client gives up, never computes."""
    import socket
    import time
    from types import SimpleNamespace

    import httpx
    import uvicorn

    from r2k.web import service

    release, dates = threading.Event(), []

    def slow_sections(snap, keys):  # noqa: ANN001, ANN202
        dates.append(snap.day.isoformat())
        assert release.wait(WAIT)
        return [SimpleNamespace(facts={"series": []}, html="", notes=())]

    monkeypatch.setattr(service, "report_sections", slow_sections)
    app = create_app(Settings(store_path=store), walk_forward=False, report=None, slots=1, queue=4)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    while not srv.started:
        time.sleep(0.05)
    base, gate = f"http://127.0.0.1:{port}/api/coverage", app.state.gate
    try:
        with ThreadPoolExecutor(1) as pool:
            first = pool.submit(httpx.get, base, params={"as_of": "2021-12-31"}, timeout=WAIT)
            while dates != ["2021-12-31"]:
                time.sleep(0.05)
            with pytest.raises(httpx.ReadTimeout):  # queued behind the first; this client gives up and hangs up
                httpx.get(base, params={"as_of": "2021-11-30"}, timeout=1)
            assert gate._admitted == 2
            time.sleep(0.5)  # let the server see the closed connection (not a timed assertion)
            release.set()
            assert first.result(WAIT).status_code == 200
        while gate._admitted:
            time.sleep(0.05)
        assert dates == ["2021-12-31"]  # the hung-up request never computed
    finally:
        srv.should_exit = True
        thread.join(timeout=10)
