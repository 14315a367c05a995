"""Units of macro values: how a factor's number is written for people and for machines.

FRED quotes rates, yields, spreads and growth rates in percent (4.21 = 4.21%); the factor transforms keep
that scale (the cycle rules' thresholds are written in it: Sahm gap >= 0.5 pp). Machine output (JSON) uses
fractions everywhere (0.0421), so :func:`to_json` divides percent and percentage-point values by 100 and says
which unit the number is in; :func:`display` writes the human form ("4.21%", "+0.35 pp", "218,750").
"""

from __future__ import annotations

from typing import Literal

Unit = Literal["percent", "pp", "persons", "thousand persons", "index", "months"]
# the unit a JSON number is in, per display unit
JSON_UNITS: dict[str, str] = {"percent": "fraction", "pp": "fraction", "persons": "persons",
                              "thousand persons": "persons", "index": "index points", "months": "months"}
SCALE: dict[str, float] = {"percent": 0.01, "pp": 0.01, "thousand persons": 1000.0}
SHORT: dict[str, str] = {"percent": "%", "pp": "pp", "persons": "persons", "thousand persons": "persons",
                         "index": "index", "months": "months"}


def to_json(value: float, unit: str) -> float | None:
    """The value in its JSON unit (fractions for percent and percentage points); None when missing."""
    if value is None or value != value:
        return None
    return float(value) * SCALE.get(unit, 1.0)


def display(value: float, unit: str, signed: bool = False) -> str:
    """The value for people: "4.21%", "+0.35 pp", "218,750", "-0.21"; "n/a" when missing."""
    if value is None or value != value:
        return "n/a"
    sign = "+" if signed else ""
    if unit == "percent":
        return f"{value:{sign},.2f}%"
    if unit == "pp":
        return f"{value:{sign},.2f} pp"
    if unit in ("persons", "thousand persons"):
        return f"{value * SCALE.get(unit, 1.0):{sign},.0f}"
    if unit == "months":
        return f"{value:,.0f}"
    return f"{value:{sign},.2f}"
