"""``r2k factors`` (the point-in-time factor dashboard) and ``r2k cycle`` (the economic-cycle phase)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated

import typer

from r2k.cli.common import (
    AsOfOpt,
    JsonOpt,
    StoreOpt,
    UsageError,
    console,
    emit_json,
    print_table,
    snapshot,
)

if TYPE_CHECKING:
    from r2k.store import Store
    from r2k.macro.cycle import NberValidation
    from r2k.macro.factors import FactorDashboard
    from r2k.macro.phase_returns import PhaseReturns

GROUP_NAMES = {"recession": "Recession", "early": "Early cycle", "late": "Late cycle"}
MEASURE_NAMES = {"ret_1m": "1-month log return", "ret_3m": "3-month log return", "ret_12m": "12-month log return",
                 "vol_1m": "next-month volatility"}


def _z(x: float) -> str:
    from r2k.words import num

    return num(x, 2, sign=True, na="n/a")


def _require_macro(store: Store, factor_names: Sequence[str] | None = None) -> None:
    """A one-line error when the store holds none of the series the factors read (every value would be n/a)."""
    from r2k.macro.catalog import CATALOG, factor

    factors = CATALOG if factor_names is None else [factor(n) for n in factor_names]
    ids = list(dict.fromkeys(f.series_id for f in factors))
    if not any(store.has(sid) for sid in ids):
        raise UsageError(f"none of the macro series is stored ({', '.join(ids)}): import or fetch them first "
                         "(see 'r2k data status')")


ARROWS = {"rising": "↑", "falling": "↓", "flat": "→", "n/a": ""}


def _factor_table(result: FactorDashboard, words: str) -> None:
    """One row per factor under a row per concept; narrow enough for an 80-column terminal."""
    from rich import box
    from rich.table import Table

    from r2k.macro.catalog import CONCEPT_NAMES

    table = Table(title=f"Macro factors {words}", title_justify="left", caption_justify="left", box=box.SIMPLE_HEAD,
                  caption=f"z: 10-year z-score; arrow: its change over {result.lookback_days} trading days (beyond "
                          f"+/-{result.threshold}: rising ↑ or falling ↓, else →). Observed: the period of the value "
                          "used (released by the as-of date); age in days. STALE: the next value was due by the as-of "
                          "date (cadence + release lag) and is not in the store.")
    table.add_column("factor", ratio=1)
    for name in ("value", "z", "observed", "age", "stale"):
        table.add_column(name, justify="left" if name in ("observed", "stale") else "right", no_wrap=True)
    concept_z = result.concept_z()
    for concept, readings in result.by_concept().items():
        table.add_row(f"[bold]{CONCEPT_NAMES.get(concept, concept)}[/bold] (mean z {_z(concept_z[concept])})")
        for i, r in enumerate(readings):
            table.add_row(r.label, r.display(), f"{_z(r.z)} {ARROWS.get(r.direction, '')}".strip(),
                          str(r.obs_date or "n/a"), "" if r.age_days is None else f"{r.age_days:,}",
                          "STALE" if r.stale else "", end_section=i == len(readings) - 1)
    console.print(table)


def _validation_tables(v: NberValidation) -> None:
    def lead(x: int | None) -> str:
        return "n/a" if x is None else f"{x:+d}"

    rows = [(r.start, r.end, r.first_call or "not called", lead(r.lead_months), r.sustained_call or "n/a",
             lead(r.sustained_lead_months)) for r in v.recessions]
    print_table(["NBER start", "NBER end", "first recession call", ("months vs start", "right"),
                 "first call held 2+ months", ("months vs start", "right")], rows,
                title=f"Recession calls against NBER recessions ({v.months_evaluated} months)",
                caption=f"A recession counts as called from {v.window} months before its start to its last month.")
    print_table(["first month", "last month", ("months", "right")], [(a, b, n) for a, b, n in v.false_alarms],
                title=f"False alarms: recession calls outside recessions +/- {v.tolerance} months "
                      f"({len(v.false_alarms)} episodes, {v.false_alarm_months} months)")


def _strength(p: float) -> str:
    if p != p:
        return "not computable"
    words = ("very strong evidence" if p < 0.001 else "strong evidence" if p < 0.01 else "evidence" if p < 0.05
             else "no evidence")
    return f"{words} that at least one phase differs"


def _returns_table(ret: PhaseReturns, index_name: str) -> None:
    t = ret.table
    rows = []
    for (phase, measure), r in t.iterrows():
        if int(r["n"]) == 0:
            continue
        pct = (lambda x: "n/a" if x != x else f"{100 * x:+.2f}%") if measure != "vol_1m" else \
            (lambda x: "n/a" if x != x else f"{100 * x:.1f}%")
        rows.append((phase, MEASURE_NAMES.get(measure, measure), int(r["n"]), pct(r["mean"]), pct(r["median"])))
    print_table(["phase", "measure", ("months", "right"), ("mean", "right"), ("median", "right")], rows,
                title=f"{index_name} after each month-end phase call (non-overlapping samples)",
                caption="Volatility is annualised, from the daily log returns of the following month.")
    tests = [x for x in ret.tests if x.name.startswith("Kruskal")]
    if tests:
        rows = [(MEASURE_NAMES.get(x.name.split()[1], x.name), f"{x.p_value:.3g}", _strength(x.p_value)) for x in tests]
        print_table(["measure", ("p-value", "right"), "verdict"], rows,
                    title="Do the phases differ? (Kruskal-Wallis test across phases)")


def register(app: typer.Typer) -> None:
    @app.command("factors")
    def factors_cmd(store: StoreOpt = None, as_of: AsOfOpt = None, json: JsonOpt = False) -> None:
        """Each macro factor's point-in-time value, 10-year z-score, direction and freshness, grouped by concept.

        Direction: the z-score change over 63 trading days (> +0.25 rising, < -0.25 falling, else flat).
        'released' is the publication date of the value used (release lags: docs/factors.md); 'stale' marks
        a factor whose next value was due by the as-of date and is not in the store. Default as-of: the last
        Russell 2000 close. JSON values are fractions (0.0421 = 4.21%) with a unit per factor.
        """
        from r2k.features.analysis import factor_dashboard

        with snapshot(store, as_of) as snap:
            _require_macro(snap.store)
            words = snap.resolved.words()
            result = factor_dashboard(snap)
        if json:
            emit_json(result.to_dict())
            return
        _factor_table(result, words)
        if result.stale():
            typer.echo(f"warning: {len(result.stale())} of {len(result.readings)} factors are stale (their next value "
                       "was due and is not in the store): " + ", ".join(r.label for r in result.stale()), err=True)

    @app.command("cycle")
    def cycle_cmd(
        store: StoreOpt = None,
        as_of: AsOfOpt = None,
        json: JsonOpt = False,
        symbol: Annotated[str | None, typer.Option(
            "--symbol", help="Index whose returns by phase --history shows (default RUT when stored).",
            show_default=False)] = None,
        history: Annotated[bool, typer.Option("--history", help="Add the NBER (USREC) validation tables and "
                                              "the index's forward returns and volatility by phase.")] = False,
    ) -> None:
        """The economic-cycle phase (early, mid, late, recession) and every signal behind it (docs/factors.md).

        Default as-of: the last Russell 2000 close. JSON values are fractions (0.005 = 0.5 percentage points).
        """
        from r2k.features.analysis import cycle_report
        from r2k.macro.cycle import CYCLE_FACTORS
        from r2k.words import INDEX_NAMES

        sym = (symbol or "RUT").upper()
        with snapshot(store, as_of, sym) as snap:
            _require_macro(snap.store, CYCLE_FACTORS)
            words = snap.resolved.words()
            if symbol is not None:
                snap.require_price(symbol, "--symbol")
            result = cycle_report(snap, with_history=history)
        if json:
            emit_json(result.to_dict())
            return
        cur = result.current
        rows = [(GROUP_NAMES.get(e.group, e.group), e.text, e.display(), e.threshold, "yes" if e.fired else "")
                for e in cur.evidence]
        print_table(["signal group", "rule", ("value", "right"), "threshold", "fired"], rows,
                    title=f"Cycle phase on {cur.date}: {cur.phase}, {words}",
                    caption=f"Recession signals {cur.recession_score}/4 (NFCI and credit stress count as one), early "
                            f"{cur.early_score}/4, late {cur.late_score}/4. Recession when 2+ recession signals; early "
                            "when 2+ early signals and at least as many as late; late when 2+ late; else mid. "
                            "A missing input never fires.")
        if history and result.validation is not None:
            _validation_tables(result.validation)
        if history and result.returns is not None:
            _returns_table(result.returns, INDEX_NAMES.get(sym, sym))
