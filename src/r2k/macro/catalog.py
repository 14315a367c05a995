"""The factor catalog: concept -> FRED series, transform and release lag (each lag documented).

``SERIES`` says, per FRED series, its frequency, when a value becomes public (a rule from
:mod:`r2k.calendar.releases`), why that rule, and whether its history is revised (``revision``).
``CATALOG`` lists the factors: a series plus a transform, grouped by concept. Lags are conservative on
purpose (see the release module).

Revisions. A release rule makes a value's *timing* point in time, not its *content*: without vintages the
store holds today's revised values. ``"final"`` series (market quotes, survey finals) are never revised;
``"revised"`` ones (payrolls, industrial production, CPI's seasonal factors ...) are point in time only where
the store holds their vintages; ``"full_sample"`` indexes (NFCI, ANFCI, STLFSI4, CFNAI) are re-estimated over
the whole sample at every release, so their whole history moves each week or month. ``MODEL_FACTORS`` (what
the forecast models read by default) leaves the full-sample indexes out: the skill they add in a backtest rests
on histories re-estimated with later data (what leaving them out costs: bench/pit_inputs.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from r2k.calendar.releases import (
    NEXT_SESSION,
    SHUTDOWN_DELAYS,
    Delayed,
    FirstFriday,
    NthBusinessDay,
    ReleaseRule,
    SameDay,
    Weekly,
)
from r2k.macro.transforms import Freq, Transform
from r2k.macro.units import JSON_UNITS, Unit

THURSDAY, WEDNESDAY, FRIDAY = 3, 2, 4
CONCEPTS: tuple[str, ...] = ("growth", "inflation", "labour", "policy_rates", "credit", "sentiment", "commodities")

Revision = Literal["final", "revised", "full_sample"]
REVISION_WORDS: dict[str, str] = {
    "final": "not revised",
    "revised": "revised after release (today's values unless the store holds vintages)",
    "full_sample": "re-estimated over the whole sample at every release (history changes each time)",
}


@dataclass(frozen=True)
class SeriesSpec:
    """One FRED series: frequency, release rule, the reason for the rule, and whether its history is revised."""

    id: str
    title: str
    freq: Freq
    release: ReleaseRule
    lag_note: str
    revision: Revision = "revised"


def _m(id: str, title: str, release: ReleaseRule, note: str, revision: Revision = "revised") -> SeriesSpec:
    return SeriesSpec(id, title, "M", release, note, revision)


def _d(id: str, title: str) -> SeriesSpec:
    """A daily yield, spread or price published after the close of its date: usable the next trading day."""
    return SeriesSpec(id, title, "D", NEXT_SESSION, "daily series published after the close of its date (FRED posts it "
                      "the next morning): usable from the next trading day", "final")


_MID = NthBusinessDay(1, 13)
_CPI = Delayed(NthBusinessDay(1, 15), SHUTDOWN_DELAYS["cpi"])
_JOBS = Delayed(FirstFriday(), SHUTDOWN_DELAYS["employment"])
_RETAIL = Delayed(_MID, SHUTDOWN_DELAYS["retail_ppi"])
_PPI = Delayed(NthBusinessDay(1, 15), SHUTDOWN_DELAYS["retail_ppi"])
_NEXT_MONTH = NthBusinessDay(1, 1)

SERIES: dict[str, SeriesSpec] = {s.id: s for s in (
    # growth
    _m("INDPRO", "Industrial production index", _MID, "Fed G.17 about the 15th-17th of m+1; 13th trading day of m+1"),
    _m("TCU", "Capacity utilisation, total industry", _MID, "released with INDPRO (G.17); 13th trading day of m+1"),
    _m("PAYEMS", "Nonfarm payrolls (thousands)", _JOBS, "Employment Situation, first or second Friday of m+1 (third Friday after the week of the 12th)"),
    _m("RSAFS", "Retail and food services sales", _RETAIL,
       "Census advance report about the 13th-17th of m+1; 13th trading day"),
    _m("RSXFS", "Retail sales excluding food services", _RETAIL, "same release as RSAFS; 13th trading day of m+1"),
    _m("HOUST", "Housing starts (thousands, SAAR)", Delayed(NthBusinessDay(1, 14), SHUTDOWN_DELAYS["housing"]),
       "Census about the 17th-19th of m+1; 14th trading day"),
    _m("CFNAI", "Chicago Fed National Activity Index", NthBusinessDay(2, 1),
       "Chicago Fed, about the 4th week of m+1; first trading day of m+2", "full_sample"),
    SeriesSpec("GDPC1", "Real GDP (quarterly, SAAR)", "Q", Delayed(NthBusinessDay(4, 1), SHUTDOWN_DELAYS["gdp"]),
               "advance estimate about the end of the month after the quarter; first trading day of quarter start + 4 "
               "months. The stored values are revised, not the advance estimate"),
    SeriesSpec("ICSA", "Initial jobless claims (week ending Saturday)", "W", Weekly(THURSDAY, 1),
               "DOL weekly report: the Thursday after the week ending Saturday"),
    # inflation
    _m("CPIAUCSL", "CPI, all items", _CPI, "BLS CPI about the 10th-15th of m+1 (later in the 1980s); 15th trading day"),
    _m("CPILFESL", "CPI less food and energy", _CPI, "same release as CPIAUCSL; 15th trading day of m+1"),
    _m("PCEPI", "PCE price index", Delayed(NthBusinessDay(2, 2), SHUTDOWN_DELAYS["pce"]),
       "BEA personal income report near the end of m+1; 2nd trading day of m+2"),
    _m("PPIACO", "Producer price index, all commodities", _PPI, "BLS PPI about the 11th-16th of m+1; 15th trading day"),
    _d("T10YIE", "10-year breakeven inflation"),
    _m("MICH", "Michigan 1-year inflation expectations", _NEXT_MONTH,
       "final Michigan survey at the end of m; first trading day of m+1", "final"),
    # labour
    _m("UNRATE", "Unemployment rate", _JOBS, "Employment Situation, first or second Friday of m+1 (third Friday after the week of the 12th)"),
    _m("U6RATE", "U-6 unemployment rate", _JOBS, "Employment Situation, first or second Friday of m+1 (third Friday after the week of the 12th)"),
    _m("JTSJOL", "JOLTS job openings", Delayed(NthBusinessDay(2, 7), SHUTDOWN_DELAYS["jolts"]),
       "JOLTS about 5-6 weeks after the month; 7th trading day of m+2"),
    # policy and rates
    _m("FEDFUNDS", "Effective federal funds rate (monthly mean)", _NEXT_MONTH,
       "an average of the month's daily rates; m+1", "final"),
    _d("DGS2", "2-year Treasury yield"),
    _d("DGS10", "10-year Treasury yield"),
    _d("DGS30", "30-year Treasury yield"),
    _d("T10Y2Y", "10-year minus 2-year Treasury spread"),
    SeriesSpec("MORTGAGE30US", "30-year mortgage rate (Freddie Mac PMMS)", "W", Weekly(THURSDAY, 0),
               "published Thursday, dated Thursday (older Friday-dated rows move to the next Thursday)", "final"),
    SeriesSpec("WALCL", "Fed total assets (Wednesday level)", "W", Weekly(FRIDAY, 1),
               "H.4.1 at 4:30 p.m. ET on the Thursday after the Wednesday level, after the close: usable Friday", "final"),
    _m("M2SL", "M2 money stock", NthBusinessDay(2, 1), "H.6 about the 4th Tuesday of m+1; first trading day of m+2"),
    # credit
    _d("BAMLH0A0HYM2", "ICE BofA US high-yield OAS"),
    _d("BAMLC0A0CM", "ICE BofA US corporate (IG) OAS"),
    _d("BAA10Y", "Moody's Baa yield minus 10-year Treasury"),
    _m("AAA", "Moody's Aaa yield (monthly mean)", _NEXT_MONTH, "monthly average of daily yields; m+1", "final"),
    _m("BAA", "Moody's Baa yield (monthly mean)", _NEXT_MONTH, "monthly average of daily yields; m+1", "final"),
    SeriesSpec("DRTSCILM", "SLOOS: net % of banks tightening C&I loans (large firms)", "Q", NthBusinessDay(2, 1),
               "survey of the quarter's first month, published early in its second month; trading day 1 of month + 2",
               "final"),
    SeriesSpec("NFCI", "Chicago Fed NFCI (week ending Friday)", "W", Weekly(WEDNESDAY, 1),
               "published the Wednesday after the week ending Friday", "full_sample"),
    SeriesSpec("ANFCI", "Chicago Fed adjusted NFCI", "W", Weekly(WEDNESDAY, 1),
               "released with NFCI, the following Wednesday", "full_sample"),
    SeriesSpec("STLFSI4", "St. Louis Fed financial stress index", "W", Weekly(THURSDAY, 1),
               "published Thursday after the week ending Friday", "full_sample"),
    # sentiment
    _m("UMCSENT", "University of Michigan consumer sentiment (final)", _NEXT_MONTH,
       "final reading at the end of m; first trading day of m+1", "final"),
    SeriesSpec("VIXCLS", "CBOE VIX", "D", SameDay(), "CBOE close at 16:15 ET, after the index's 16:00 close: a forecast "
               "using it is issued at 16:15, still before everything it forecasts", "final"),
    # commodities
    _d("DCOILWTICO", "WTI crude oil spot price"),
)}


@dataclass(frozen=True)
class Factor:
    """One factor: a series, a transform and the concept it measures; ``label`` and ``unit`` say how people
    read its value (the value itself stays in FRED's units: percent for rates and growth rates)."""

    name: str
    concept: str
    series_id: str
    transform: Transform
    description: str
    label: str = ""
    unit: Unit = "index"

    @property
    def signed(self) -> bool:
        """A change (shown with its sign), not a level."""
        return self.transform.kind not in ("level", "mean")

    @property
    def spec(self) -> SeriesSpec:
        return SERIES[self.series_id]

    @property
    def revision(self) -> Revision:
        """Whether the series' history is revised: "final", "revised" or "full_sample" (see the module docstring)."""
        return self.spec.revision

    def to_dict(self) -> dict:
        s = self.spec
        return {
            "name": self.name, "concept": self.concept, "series_id": self.series_id, "freq": s.freq,
            "transform": self.transform.label(), "release": s.release.describe(), "lag_note": s.lag_note,
            "revision": s.revision, "revision_text": REVISION_WORDS[s.revision],
            "description": self.description, "label": self.label, "unit": JSON_UNITS[self.unit],
        }


def _f(name: str, concept: str, sid: str, kind: str, k: int = 1, desc: str = "") -> Factor:
    label, unit = PRESENTATION[name]
    return Factor(name, concept, sid, Transform(kind, k), desc or SERIES[sid].title, label, unit)  # type: ignore[arg-type]


# factor -> (human label, unit of its value); the value is in FRED's units (percent for rates and growth)
PRESENTATION: dict[str, tuple[str, Unit]] = {
    "indpro_yoy": ("Industrial production, 12-month change", "percent"),
    "payrolls_3m": ("Nonfarm payrolls, 3-month change", "thousand persons"),
    "retail_yoy": ("Retail sales, 12-month change", "percent"),
    "retail_ex_food_yoy": ("Retail sales ex food services, 12-month change", "percent"),
    "housing_starts_yoy": ("Housing starts, 12-month change", "percent"),
    "cfnai_ma3": ("Chicago Fed activity index, 3-month mean", "index"),
    "gdp_yoy": ("Real GDP, 4-quarter change", "percent"),
    "claims_4w": ("Initial jobless claims, 4-week mean", "persons"),
    "claims_mom": ("Initial claims, 13-week minus 52-week mean", "persons"),
    "capacity_util": ("Capacity utilisation", "percent"),
    "cpi_yoy": ("CPI inflation, 12 months", "percent"),
    "core_cpi_yoy": ("Core CPI inflation, 12 months", "percent"),
    "pce_yoy": ("PCE inflation, 12 months", "percent"),
    "ppi_yoy": ("Producer prices, 12-month change", "percent"),
    "breakeven_10y": ("10-year breakeven inflation", "percent"),
    "mich_infl_exp": ("Michigan 1-year inflation expectations", "percent"),
    "unrate": ("Unemployment rate", "percent"),
    "unrate_chg12": ("Unemployment rate, 12-month change", "pp"),
    "sahm_gap": ("Sahm rule gap", "pp"),
    "u6rate": ("U-6 unemployment rate", "percent"),
    "job_openings_yoy": ("Job openings (JOLTS), 12-month change", "percent"),
    "fedfunds": ("Fed funds rate", "percent"),
    "fedfunds_chg12": ("Fed funds rate, 12-month change", "pp"),
    "dgs2": ("2-year Treasury yield", "percent"),
    "dgs10": ("10-year Treasury yield", "percent"),
    "dgs30": ("30-year Treasury yield", "percent"),
    "curve_10y2y": ("10-year minus 2-year Treasury spread", "pp"),
    "mortgage30": ("30-year mortgage rate", "percent"),
    "fed_assets_yoy": ("Fed balance sheet, 12-month change", "percent"),
    "m2_yoy": ("M2 money stock, 12-month change", "percent"),
    "hy_oas": ("High-yield credit spread (OAS)", "pp"),
    "hy_oas_mom": ("High-yield spread, 3-month minus 12-month mean", "pp"),
    "ig_oas": ("Investment-grade credit spread (OAS)", "pp"),
    "baa10y": ("Baa corporate yield minus 10-year Treasury", "pp"),
    "aaa_yield": ("Aaa corporate yield", "percent"),
    "baa_yield": ("Baa corporate yield", "percent"),
    "sloos_tightening": ("Banks tightening business-loan standards (net share)", "percent"),
    "nfci": ("Chicago Fed financial conditions (NFCI)", "index"),
    "anfci": ("Chicago Fed adjusted financial conditions", "index"),
    "stlfsi": ("St. Louis Fed financial stress index", "index"),
    "consumer_sentiment": ("Consumer sentiment (Michigan)", "index"),
    "vix": ("VIX implied volatility", "index"),
    "oil_yoy": ("WTI crude oil, 12-month change", "percent"),
}
CONCEPT_NAMES: dict[str, str] = {"growth": "Growth", "inflation": "Inflation", "labour": "Labour",
                                 "policy_rates": "Policy and rates", "credit": "Credit", "sentiment": "Sentiment",
                                 "commodities": "Commodities"}


CATALOG: tuple[Factor, ...] = (
    _f("indpro_yoy", "growth", "INDPRO", "yoy", desc="industrial production, % over 12 months"),
    _f("payrolls_3m", "growth", "PAYEMS", "diff", 3, "payroll change over 3 months (thousands)"),
    _f("retail_yoy", "growth", "RSAFS", "yoy", desc="retail sales, % over 12 months"),
    _f("retail_ex_food_yoy", "growth", "RSXFS", "yoy", desc="retail sales ex food services, % over 12 months"),
    _f("housing_starts_yoy", "growth", "HOUST", "yoy", desc="housing starts, % over 12 months"),
    _f("cfnai_ma3", "growth", "CFNAI", "mean", 3, "CFNAI 3-month mean (below -0.7: recession risk)"),
    _f("gdp_yoy", "growth", "GDPC1", "yoy", desc="real GDP, % over 4 quarters"),
    _f("claims_4w", "growth", "ICSA", "mean", 4, "initial claims, 4-week mean"),
    _f("claims_mom", "growth", "ICSA", "mom_3_12", desc="initial claims, 13-week mean minus 52-week mean"),
    _f("capacity_util", "growth", "TCU", "level", desc="capacity utilisation (%)"),
    _f("cpi_yoy", "inflation", "CPIAUCSL", "yoy", desc="CPI, % over 12 months"),
    _f("core_cpi_yoy", "inflation", "CPILFESL", "yoy", desc="core CPI, % over 12 months"),
    _f("pce_yoy", "inflation", "PCEPI", "yoy", desc="PCE prices, % over 12 months"),
    _f("ppi_yoy", "inflation", "PPIACO", "yoy", desc="PPI all commodities, % over 12 months"),
    _f("breakeven_10y", "inflation", "T10YIE", "level"),
    _f("mich_infl_exp", "inflation", "MICH", "level"),
    _f("unrate", "labour", "UNRATE", "level"),
    _f("unrate_chg12", "labour", "UNRATE", "yoy_diff", desc="unemployment rate change over 12 months (pp)"),
    _f("sahm_gap", "labour", "UNRATE", "sahm", desc="Sahm gap (>= 0.5: recession signal)"),
    _f("u6rate", "labour", "U6RATE", "level"),
    _f("job_openings_yoy", "labour", "JTSJOL", "yoy", desc="JOLTS openings, % over 12 months"),
    _f("fedfunds", "policy_rates", "FEDFUNDS", "level"),
    _f("fedfunds_chg12", "policy_rates", "FEDFUNDS", "yoy_diff", desc="fed funds change over 12 months (pp)"),
    _f("dgs2", "policy_rates", "DGS2", "level"),
    _f("dgs10", "policy_rates", "DGS10", "level"),
    _f("dgs30", "policy_rates", "DGS30", "level"),
    _f("curve_10y2y", "policy_rates", "T10Y2Y", "level"),
    _f("mortgage30", "policy_rates", "MORTGAGE30US", "level"),
    _f("fed_assets_yoy", "policy_rates", "WALCL", "yoy", desc="Fed balance sheet, % over 52 weeks"),
    _f("m2_yoy", "policy_rates", "M2SL", "yoy", desc="M2, % over 12 months"),
    _f("hy_oas", "credit", "BAMLH0A0HYM2", "level"),
    _f("hy_oas_mom", "credit", "BAMLH0A0HYM2", "mom_3_12", desc="HY OAS, 3-month mean minus 12-month mean (pp)"),
    _f("ig_oas", "credit", "BAMLC0A0CM", "level"),
    _f("baa10y", "credit", "BAA10Y", "level"),
    _f("aaa_yield", "credit", "AAA", "level"),
    _f("baa_yield", "credit", "BAA", "level"),
    _f("sloos_tightening", "credit", "DRTSCILM", "level"),
    _f("nfci", "credit", "NFCI", "level", desc="NFCI (above 0: tighter than average)"),
    _f("anfci", "credit", "ANFCI", "level"),
    _f("stlfsi", "credit", "STLFSI4", "level"),
    _f("consumer_sentiment", "sentiment", "UMCSENT", "level"),
    _f("vix", "sentiment", "VIXCLS", "level"),
    _f("oil_yoy", "commodities", "DCOILWTICO", "yoy", desc="WTI crude, % over 252 trading days"),
)

# what the forecast models read by default: every factor but the full-sample re-estimated indexes (their history
# is not what was known then; what leaving them out costs: bench/pit_inputs.py)
MODEL_FACTORS: tuple[Factor, ...] = tuple(f for f in CATALOG if f.revision != "full_sample")

_BY_NAME = {f.name: f for f in CATALOG}


def factor(name: str) -> Factor:
    """The catalog entry called ``name`` (KeyError names the known factors)."""
    try:
        return _BY_NAME[name]
    except KeyError:
        raise KeyError(f"unknown factor {name!r}; known: {', '.join(_BY_NAME)}") from None


def catalog_series() -> tuple[str, ...]:
    """Every series id the catalog reads, in catalog order."""
    return tuple(dict.fromkeys(f.series_id for f in CATALOG))
