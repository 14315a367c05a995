"""The monitor-status table, built once (pure): one row of words and numbers per record (live log, recent
walk-forward, retrospective), from ``MonitorStatus.to_dict()``; the report, the terminal and the dashboard show
these same rows."""

from __future__ import annotations

from typing import Any

from r2k.words import count, day, p_value, pct

# (header, alignment) per column
STATUS_COLUMNS: tuple[tuple[str, str], ...] = (
    ("record", "left"), ("window", "left"), ("forecasts", "right"), ("CRPS skill vs climatology", "right"),
    ("80% coverage", "right"), ("90% coverage", "right"), ("direction right", "right"), ("coverage test p", "right"),
    ("calibration test p", "right"), ("status", "left"))
STATUS_HEADERS = tuple(h for h, _ in STATUS_COLUMNS)
RECORDS = ("live", "walk_forward", "retrospective")  # the retrospective record is shown, never judged


def status_records(status: dict[str, Any]) -> list[dict[str, Any]]:
    """The records a status holds, in table order."""
    return [status[k] for k in RECORDS if status.get(k)]


def status_rows(status: dict[str, Any], na: str = "n/a") -> list[list[str]]:
    """One row per record of ``MonitorStatus.to_dict()``: percentages for people, "p < 0.001" style p-values."""
    def row(key: str, c: dict[str, Any]) -> list[str]:
        return [c["label"], f"{day(c['window_start'])} to {day(c['window_end'])}", count(c["n"], na),
                pct(c["skill"], 1, True, na), pct(c["coverage80"], 0, na=na), pct(c["coverage90"], 0, na=na),
                pct(c["direction_rate"], 0, na=na), p_value(c["kupiec_p"], na), p_value(c["berkowitz_p"], na),
                "not judged" if key == "retrospective" else c["status"]]

    return [row(k, status[k]) for k in RECORDS if status.get(k)]
