"""The financial outlook in words: one short paragraph per area (rates and the Fed, inflation, the consumer,
credit, sectors, valuation) written from the measured rows (:func:`r2k.outlook.financial.financial_rows`), each
sentence with its number. Pure: the report and the dashboard call the same function."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from r2k.outlook.financial import AREAS, VALUATION_NOTE, FinancialRow
from r2k.words import num

SECTORS_AREA = "Sectors (3 months, relative to the index)"
# spreads and financial-conditions indices: a high value means tight credit, a low one easy credit
TIGHTNESS = {"hy_oas", "ig_oas", "nfci"}


@dataclass(frozen=True)
class AreaText:
    area: str
    text: str

    def to_dict(self) -> dict[str, str]:
        return {"area": self.area, "text": self.text}


def level_words(z: float) -> str:
    """Where a z-score (trailing 10 years) puts a value, in words with the number."""
    if z != z:
        return ""
    side = "above" if z > 0 else "below"
    size = "far " if abs(z) >= 1.5 else ("" if abs(z) >= 0.5 else None)
    where = "close to its 10-year average" if size is None else f"{size}{side} its 10-year average"
    return f"{where} (z-score {num(z, 1, True)})"


def direction_words(direction: str) -> str:
    return {"rising": "rising over the last 3 months", "falling": "falling over the last 3 months",
            "flat": "little changed over 3 months"}.get(direction, "")


def _value(row: FinancialRow) -> str:
    v = row.text_value()
    return f"{'+' if row.value > 0 else ''}{v}" if row.unit == "pp" else v


def sentence(row: FinancialRow) -> str:
    """One measure: its value and date, then where it stands and where it is going, or that it is stale."""
    name = row.label or row.measure
    if row.stale_since is not None:
        return f"{name} was {_value(row)} for {_period(row)}, stale since {row.stale_since}."
    extra = [w for w in (level_words(row.z), direction_words(row.direction)) if w]
    return f"{name} is {_value(row)} ({_period(row)})" + (", " + ", ".join(extra) if extra else "") + "."


def _period(row: FinancialRow) -> str:
    obs = row.obs_date or row.released
    if obs is None:
        return "latest"
    return obs.strftime("%B %Y") if row.key and _monthly(row) else str(obs)


def _monthly(row: FinancialRow) -> bool:
    return row.obs_date is not None and row.obs_date.day == 1 and row.released is not None and row.released != row.obs_date


def _curve(rows: dict[str, FinancialRow]) -> str:
    c = rows.get("curve_10y2y")
    if c is None or c.stale_since is not None:
        return ""
    shape = "inverted: the 10-year yield is below the 2-year" if c.value < 0 else "upward-sloping: the 10-year yield is above the 2-year"
    return f" The yield curve is {shape} by {abs(c.value):.2f} pp."


def _credit(rows: dict[str, FinancialRow]) -> str:
    zs = [(r.label or r.measure, r.z) for k, r in rows.items() if k in TIGHTNESS and r.stale_since is None and r.z == r.z]
    if not zs:
        return ""
    name, z = max(zs, key=lambda t: abs(t[1]))
    mood = "tighter than usual (credit is dear)" if z > 0.5 else ("easier than usual (credit is cheap)" if z < -0.5 else "about usual")
    return f" On the freshest reading ({name}, z-score {num(z, 1, True)}) credit conditions are {mood}."


def _area(area: str, rows: Sequence[FinancialRow]) -> str:
    by = {r.key: r for r in rows}
    stale = [r for r in rows if r.stale_since is not None]
    lead = (f"{len(stale)} of {len(rows)} measures {'is' if len(stale) == 1 else 'are'} stale (the next release was due "
            "and is not in the store: the last known value is shown, not read as current). ") if stale else ""
    text = lead + " ".join(sentence(r) for r in rows)
    if area.startswith("Rates"):
        text += _curve(by)
    if area == "Credit":
        text += _credit(by)
    return text


def _sectors(rows: Sequence[FinancialRow]) -> str:
    ranked = sorted(rows, key=lambda r: -r.value)
    if not ranked:
        return ""
    show = lambda rs: " and ".join(f"{r.measure} ({100 * r.value:+.1f}%)" for r in rs)  # noqa: E731
    best, worst = ranked[:2], [r for r in ranked[-2:] if r not in ranked[:2]]
    ahead = sum(r.value > 0 for r in ranked)
    text = (f"Over the last 3 months {ahead} of {len(ranked)} sector funds beat the index; the strongest against it were "
            f"{show(best)}")
    return text + (f", the weakest {show(worst)}." if worst else ".")


def area_texts(rows: Sequence[FinancialRow]) -> tuple[AreaText, ...]:
    """One paragraph per area that has rows, in the table's order, then sectors and valuation."""
    out = []
    for area, _names in AREAS:
        mine = [r for r in rows if r.area == area]
        if mine:
            out.append(AreaText(area, _area(area, mine)))
    sectors = [r for r in rows if r.area == SECTORS_AREA and r.value == r.value]
    if sectors:
        out.append(AreaText("Sectors", _sectors(sectors)))
    out.append(AreaText("Valuation", VALUATION_NOTE.split(": ", 1)[1].capitalize()))
    return tuple(out)
