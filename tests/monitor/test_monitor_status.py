"""Drift status on forecast histories whose skill is known in advance (monitor_support)."""

from __future__ import annotations

import pytest

from r2k.monitor.service import monitor_status, score_forecasts
from r2k.monitor.status import SKILL_DEGRADED, SKILL_FAILING
from r2k.snapshot import Snapshot
from monitor_support import NOW, history_store


@pytest.mark.parametrize(("factor", "status"), [(1.0, "healthy"), (1.4, "degraded"), (2.5, "failing")])
def test_status_on_known_histories(store_path, factor: float, status: str) -> None:  # noqa: ANN001
    """Outcomes N(0, s); climatology forecasts N(0, s); the model N(0, k s). Expected CRPS skill of a too-wide
    normal: 1 - [sqrt(1 + k^2) sqrt(2/pi) - k / sqrt(pi)] / [sqrt(2) sqrt(2/pi) - 1 / sqrt(pi)]:
    k = 1.4 gives -3.3% (between the -2% and -5% thresholds), k = 2.5 gives -31%."""
    with history_store(store_path, factor) as store:
        assert score_forecasts(store, NOW).n_realised == 104
        st = monitor_status(Snapshot(store), walk_forward=False)
    assert st.status == status and st.model == "garch" and st.live.n == 52
    if status == "degraded":
        assert SKILL_FAILING < st.live.skill < SKILL_DEGRADED
        assert st.live.skill == pytest.approx(-0.034, abs=0.004)
        assert any("CRPS skill against climatology -3.4%" in e and "below" in e for e in st.live.evidence)
        assert st.retrain and "retraining" in st.words
    if status == "healthy":
        assert st.live.skill == pytest.approx(0.0, abs=1e-12) and not st.retrain
    assert st.to_dict()["status"] == status and st.to_dict()["thresholds"]["skill_degraded"] == SKILL_DEGRADED


def test_too_few_forecasts_is_insufficient(store_path) -> None:  # noqa: ANN001
    with history_store(store_path, 1.0, n=8) as store:
        st = monitor_status(Snapshot(store), walk_forward=False)
    assert st.status == "insufficient" and "not enough" in st.words
    assert any("not judged" in e for e in st.live.evidence)
