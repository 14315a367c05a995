"""Tables for ``r2k analyze`` and ``r2k events``, drawn from the results' ``to_dict()`` (the same numbers as
``--json``): percentages, thousands separators, human names, blanks for missing values."""

from __future__ import annotations

from typing import Any

from r2k.cli.common import console, print_table
from r2k.cli.fmt import count, day, index_name, num, p_value, pct

EVENT_NAMES = {"reconstitution": "Russell reconstitution", "rank-day": "Russell rank day", "flows": "ETF outflows",
               "vix-spike": "VIX spike", "rate-cut": "first Fed rate cut", "channel-break": "trend channel break"}
ALPHA = 0.05


def _p(result: dict[str, Any], test: str) -> float | None:
    """The p-value of one test of an event-study row (None when the test could not run)."""
    return (result.get(test) or {}).get("p_value")


def _unavailable(message: str) -> str:
    """A library's 'unavailable: ...' message in words for people (no series ids, no instructions)."""
    if "shares-outstanding" in message:
        return "not available: the store has no share-count history of the iShares Russell 2000 ETF"
    return message if message.startswith("not available") else "not available: " + message.removeprefix("unavailable: ")


def print_analysis(d: dict[str, Any]) -> None:
    name = f"{index_name(d['symbol'])} ({d['symbol']})"
    bench = index_name(d["benchmark"])
    console.print(f"[bold]{name}[/bold] closed at {num(d['close'])} on {day(d['as_of'])}")
    perf = d["performance"]
    print_table(["period", ("return", "right"), ("from", "right"), ("start close", "right")],
                [[p, pct(b["return"], sign=True), day(b["start_date"]), num(b["start_close"])]
                 for p, b in perf["period_bases"].items()], title="Returns")
    print_table(["window", ("from", "right"), ("trading days", "right"), ("annual return", "right"), ("volatility", "right"),
                 ("Sharpe", "right"), ("Sortino", "right"), ("risk-free", "right")],
                [[w, day(r["start"]), count(r["n_days"]), pct(r["annual_return"], sign=True), pct(r["annual_vol"]),
                  num(r["sharpe"]), num(r["sortino"]), pct(r["risk_free_mean"])] for w, r in perf["risk"].items()],
                title="Risk and return (annualised; Sharpe and Sortino over the Fed funds rate)")
    _volatility(d["volatility"], d.get("garch") or {})
    _drawdown(d["drawdown"], d["record_drought"])
    if d.get("relative"):
        _relative(d["relative"], bench)
    else:
        console.print(f"No comparison with the {bench}: it is not in the store.")
    _levels(d["levels"])
    flows = d["flows"]
    if flows.get("available"):
        console.print(f"ETF flows: last 65-day flow z-score {num(flows['zscore'])}"
                      f"{' (outflow signal)' if flows.get('signal') else ''}")
    else:
        console.print(f"ETF flows: {_unavailable(flows.get('message', ''))}")
    _event_overview(d["events"])
    for note in d.get("notes", []):
        console.print(f"note: {note}")


def _volatility(v: dict[str, Any], g: dict[str, Any]) -> None:
    rows = [[f"realised {w}", pct(x)] for w, x in v["realized"].items()]
    rows.append([f"EWMA (lambda {v['ewma_lambda']})", pct(v["ewma"])])
    rows.append(["20-day volatility percentile of its history", f"{pct(v['regime_percentile'], 0)} ({v['regime']})"])
    for fit in (g.get("garch"), g.get("gjr")):
        if fit:
            rows.append([f"{fit['model']}: current / next day", f"{pct(fit['current_vol'])} / {pct(fit['next_day_vol'])}"])
            rows.append([f"{fit['model']}: long run, half-life",
                         f"{pct(fit['long_run_vol'])}, {num(fit['half_life_days'], 0)} trading days"])
    arch = v.get("arch_lm")
    if arch:
        rows.append(["ARCH-LM test p (volatility clusters when small)", p_value(arch["p_value"])])
    print_table(["measure (annualised)", ("value", "right")], rows, title=f"Volatility on {day(v['as_of'])}")


def _drawdown(dd: dict[str, Any], rec: dict[str, Any]) -> None:
    rows = [["current drawdown", f"{pct(dd['current'], sign=True)} from {num(dd['peak_close'])} on {day(dd['peak_date'])}"],
            ["maximum drawdown", f"{pct(dd['max'], sign=True)} ({day(dd['max_peak_date'])} to {day(dd['max_trough_date'])})"],
            [f"drawdowns deeper than {pct(dd['threshold'], 0)}", count(len(dd["episodes"]))],
            ["days since the last record close",
             f"{count(rec['trading_days'])} trading days since {day(rec['since'])} ({num(rec['record_close'])}); "
             f"rank {count(rec['rank'])} of {count(rec['n_stretches'])}"]]
    print_table(["", ("", "right")], rows, title="Drawdowns and records")
    worst = sorted(dd["episodes"], key=lambda e: e["depth"])[:5]
    if worst:
        print_table([("depth", "right"), "peak", "trough", "recovered", ("trading days down", "right"), ("trading days to recover", "right")],
                    [[pct(e["depth"]), day(e["peak_date"]), day(e["trough_date"]), day(e["recovery_date"]) or "not yet",
                      count(e["decline_trading_days"]), count(e["recovery_trading_days"])] for e in worst],
                    title="Deepest drawdowns (trading days)")


def _relative(r: dict[str, Any], bench: str) -> None:
    rows = [[f"ratio to the {bench}", num(r["ratio"], 4)], ["ratio change over 1 year", pct(r["ratio_change_1y"], sign=True)],
            ["correlation, 1 year (daily / weekly)", f"{num(r['correlation_1y'])} / {num(r['correlation_weekly_1y'])}"],
            ["beta, 1 year (daily / weekly)", f"{num(r['beta_1y'])} / {num(r['beta_weekly_1y'])}"]]
    for w in r.get("up_capture", {}):
        rows.append([f"up / down capture, {w}", f"{pct(r['up_capture'][w], 0)} / {pct(r['down_capture'].get(w), 0)}"])
    print_table(["", ("", "right")], rows, title=f"Against the {bench}")
    if r.get("vix_regimes"):
        print_table(["VIX", ("trading days", "right"), ("annual return", "right"), ("volatility", "right"), ("up days", "right")],
                    [[g["regime"], count(g["n_days"]), pct(g["annual_return"], sign=True), pct(g["annual_vol"]),
                      pct(g["hit_rate"], 0)] for g in r["vix_regimes"]], title="Next-day returns by VIX level")


def _levels(lv: dict[str, Any]) -> None:
    near = sorted(lv["levels"], key=lambda x: abs(x["distance_pct"]))[:8]
    print_table(["level", ("value", "right"), "role", ("distance", "right"), "note"],
                [[x["kind"], num(x["value"]), x["role"], pct(x["distance_pct"], sign=True), x.get("note") or ""]
                 for x in sorted(near, key=lambda x: -x["value"])],
                title=f"Nearest support and resistance (close {num(lv['close'])})")


def _event_overview(events: dict[str, Any]) -> None:
    rows, missing = [], []
    for kind, e in events.items():
        if not e.get("available"):
            missing.append(f"{EVENT_NAMES.get(kind, kind)} events: {_unavailable(e.get('message', ''))}")
            continue
        results = e["results"]
        shown = next((r for r in results if r["horizon"] == 20), results[-1] if results else None)
        for r in [shown] if shown else []:
            if r["n_events"] == 0:
                missing.append(f"{EVENT_NAMES.get(kind, kind)} events: none with {r['horizon']} trading days of closes after it")
            else:
                rows.append([EVENT_NAMES.get(kind, kind), count(r["n_events"]), f"{r['horizon']} trading days",
                             pct(r["mean_event"], 2, True), pct(r["mean_control"], 2, True), pct(r["difference"], 2, True),
                             p_value(_p(r, "welch"))])
    print_table(["event", ("events", "right"), ("horizon", "right"), ("after events", "right"), ("other days", "right"),
                 ("difference", "right"), ("Welch p", "right")], rows,
                title="Mean forward log return after events ('r2k events --kind K' for every horizon)")
    for line in missing:
        console.print(line)


def print_event_study(e: dict[str, Any]) -> None:
    """One row per horizon; the rule, method and verdict once below the table."""
    name = EVENT_NAMES.get(e["kind"], e["kind"])
    if not e.get("available"):
        console.print(f"{name} events: {_unavailable(e.get('message', ''))}")
        return
    ci = any("difference_ci_low" in r for r in e["results"])  # a 95% interval of the difference, when the library gives one

    def middle(r: dict[str, Any]) -> list[str]:
        if ci:
            return [f"{pct(r.get('difference_ci_low'), 2, True)} .. {pct(r.get('difference_ci_high'), 2, True)}"]
        return [pct(r["hit_event"], 0), pct(r["hit_control"], 0)]

    rows = [[f"{r['horizon']}", count(r["n_events"]), pct(r["mean_event"], 2, True), pct(r["mean_control"], 2, True),
             pct(r["difference"], 2, True), *middle(r), p_value(_p(r, "welch")), p_value(_p(r, "mann_whitney")),
             p_value(_p(r, "hac"))] for r in e["results"]]
    extra = [("95% interval", "right")] if ci else [("up: events", "right"), ("up: others", "right")]
    print_table([("trading days", "right"), ("events", "right"), ("after events", "right"), ("other days", "right"),
                 ("diff.", "right"), *extra, ("Welch p", "right"), ("M-W p", "right"), ("HAC p", "right")], rows,
                title=f"{name} event study: {index_name(e['symbol'])} forward log returns, "
                      f"{count(e['n_events'])} events up to {day(e['as_of'])}")
    console.print(f"Events: {e['rule']}.")
    console.print(f"Method: {e['method']}.")
    console.print(f"Verdict: {e.get('verdict') or event_verdict(e['results'])}")
    for note in e.get("notes", []):
        console.print(f"note: {note}")


def event_verdict(results: list[dict[str, Any]]) -> str:
    """One sentence for the whole table: which horizons differ at the 5% level, by which test."""
    hits = []
    for r in results:
        tests = [n for n, k in (("Welch", "welch"), ("Mann-Whitney", "mann_whitney"), ("HAC", "hac"))
                 if _p(r, k) is not None and _p(r, k) < ALPHA]
        if tests:
            hits.append(f"{r['horizon']} trading days ({', '.join(tests)})")
    if not hits:
        return "no horizon's returns after events differ from other days' at the 5% level by any test."
    return "returns after events differ from other days' at the 5% level at " + "; ".join(hits) + \
        " (several horizons and tests were tried: treat a single p below 5% with caution)."
