"""The first screen: the risk grade with its meaning in words and a colour strip of the 21 notches, the return view's
verdict next to it, the 52-week grade smaller and labelled indicative, the key numbers, the key points, and the
seed's rating table (category rows shown as not yet available until constituent ratings exist)."""

from __future__ import annotations

from r2k.errors import R2KError
from r2k.outlook import Outlook, build_outlook
from r2k.outlook.build import PERIODS
from r2k.outlook.scale import NOTCHES
from r2k.outlook.source import LONG, SHORT
from r2k.report import blocks as B
from r2k.report.context import ReportContext
from r2k.report.render import INDEX_NAMES
from r2k.report.sections.base import Section
from r2k.report.tables import fmt_num, fmt_pct, humanise
from r2k.words import PERIOD_NAMES, pct

# the strip from calm to dangerous: blue-green through sand to red (readable for the common colour-vision deficiencies)
STRIP_ENDS = ((0x1a, 0x98, 0x96), (0xf1, 0xe0, 0xb0), (0xc6, 0x28, 0x28))


def outlook_of(ctx: ReportContext) -> Outlook | None:
    """The outlook shared by the outlook, scenario, forecast and model sections (built once per report)."""
    def build() -> Outlook | None:
        try:
            return build_outlook(ctx.snapshot, track="report", n_jobs=2)
        except R2KError:
            return None
    return ctx.memo("outlook", build)


def strip_colour(i: int, n: int = len(NOTCHES)) -> str:
    """The colour of notch ``i`` (0 = Aaa) on the strip: linear from calm through the middle to dangerous."""
    x = i / (n - 1) * 2
    a, b = (STRIP_ENDS[0], STRIP_ENDS[1]) if x <= 1 else (STRIP_ENDS[1], STRIP_ENDS[2])
    w = x if x <= 1 else x - 1
    return "#" + "".join(f"{round(p + w * (q - p)):02x}" for p, q in zip(a, b))


def strip(notch: int) -> B.Strip:
    """The 21 notches from calm to dangerous, the grade's notch marked."""
    return B.Strip(NOTCHES, tuple(strip_colour(i) for i in range(len(NOTCHES))), notch, ("Aaa calmest", "C most dangerous"))


def key_numbers(o: Outlook) -> list[tuple[str, str]]:
    f = o.facts
    rows = [("Close", f"{fmt_num(f['close'])} on {f['date']}")]
    for k in PERIODS:
        r = f["returns"][k]
        rows.append((f"Return, {PERIOD_NAMES[k]}", f"{fmt_pct(r['index'])} (S&P 500 {fmt_pct(r['benchmark'])})"))
    dd = f["drawdown"]
    rows.append(("Drawdown", "at a record close" if dd["current"] >= 0 else
                 f"{fmt_pct(dd['current'])} from the record {fmt_num(dd['record_close'])} ({dd['record_date']})"))
    ch = f["channel"]
    rows.append(("Primary channel", f"{ch['position']}: top {fmt_num(ch['top'], 0)} ({fmt_pct(ch['top'] / f['close'] - 1)}), "
                                    f"bottom {fmt_num(ch['bottom'], 0)} ({fmt_pct(ch['bottom'] / f['close'] - 1)})"))
    v = f["volatility"]
    rows.append(("Volatility regime", f"{v['regime']}: 20-day {100 * v['realized_20d']:.1f}% a year, percentile {100 * v['percentile']:.0f}"))
    if f["cycle"]:
        rows.append(("Cycle phase", f"{f['cycle']['phase']} (month-end {f['cycle']['date']})"))
    for h, label in ((SHORT, "4 weeks"), (LONG, "52 weeks")):
        r = f["range"][str(h)]
        rows.append((f"5–95% range, {label}", f"{fmt_num(r['q05'], 0)} – {fmt_num(r['q95'], 0)}"))
    return rows


# a key-number row and the words of a key point that states the same numbers: the table leaves such a row out
COVERED_BY = {"Drawdown": ("below its record close", "at a record close"), "Primary channel": ("trend channel",),
              "Volatility regime": ("realised volatility",), "Cycle phase": ("Cycle phase",),
              "5–95% range, 4 weeks": ("5–95% range",), "5–95% range, 52 weeks": ("5–95% range",)}


def distinct_numbers(numbers: list[tuple[str, str]], points: list[str]) -> list[tuple[str, str]]:
    """The key numbers that no key point already states (key points and key numbers never repeat each other)."""
    return [(label, value) for label, value in numbers
            if not any(w in p for w in COVERED_BY.get(label, ()) for p in points)]


def return_line(o: Outlook, h: int) -> str:
    """The return view's numbers next to the usual, and its evidence, in one line for people."""
    r = o.returns[h]
    line = (f"P(up) {pct(r.p_up, 0)} (usually {pct(r.base_p_up, 0)}); expected excess return "
            f"{pct(r.expected_excess_return, 1, True)} (usually {pct(r.base_expected_excess_return, 1, True)}).")
    ev = r.evidence
    if ev is None:
        return line + " The weekly record after the tuning cutoff was not built, so direction is not assessed."
    return line + (f" Evidence after the tuning cutoff ({ev.n:,} weekly forecasts): P(up)'s {ev.auc_text()} (0.50 is a coin "
                   f"flip), out-of-sample R² of "
                   f"the mean {pct(ev.oos_r2.estimate, 1, True)} ({pct(ev.oos_r2.ci_low, 1, True)} to {pct(ev.oos_r2.ci_high, 1, True)}).")


def upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def cards(o: Outlook) -> B.Cards:
    """The risk grade with its colour strip, the return view apart from it, and the smaller 52-week grade."""
    g, long_ = o.short, o.long
    return B.Cards((
        B.Card("risk-grade", "Risk grade", f"next {g.weeks} weeks", g.label, g.meaning().split(" — ", 1)[1],
               f"{upper_first(g.rests_on())}. The grade is about risk only: it says nothing about the expected return.",
               strip=strip(g.notch)),
        B.Card("return-view", "Return view", f"next {g.weeks} weeks", upper_first(o.returns[SHORT].verdict),
               rests=return_line(o, SHORT), link=("record", "model"), words=True),
        B.Card("long-grade", "Long term", f"{long_.weeks} weeks", long_.label,
               f"{long_.meaning().split(' — ', 1)[1]}; return view: {o.returns[LONG].verdict}.", o.caveats["long"],
               qualifier="indicative", caveat=True, small=True),
    ))


def first_screen(o: Outlook) -> list[B.Block]:
    """The cards, the key points next to the key numbers no key point states, and the rating table."""
    names = {o.symbol: INDEX_NAMES.get(o.symbol, o.symbol)}
    points = [(humanise(k.text, names), k.section) for k in o.key_points]
    numbers = distinct_numbers(key_numbers(o), [text for text, _ in points])
    return [cards(o),
            B.Side((B.Heading("Key points"), B.Bullets(tuple(t for t, _ in points), tuple(a for _, a in points))),
                   (B.Heading("Key numbers"), B.Table.of(["measure", "value"], numbers, css="data compact", row_heads=True,
                                                         html_headers=False)),
                   css="firstscreen", left_css="keypoints", right_css="keynumbers"),
            B.Heading("Rating table"),
            B.Table.of(["category", "short-term", "long-term", "basis"],
                       [[r.category, r.short_term or "not yet available", r.long_term or "not yet available", r.basis]
                        for r in o.table])]


def build(ctx: ReportContext) -> Section | None:
    o = outlook_of(ctx)
    if o is None:
        return None
    facts = {k: v for k, v in o.to_dict().items() if k not in ("track", "scores")}
    return Section.of("outlook", f"{INDEX_NAMES.get(o.symbol, o.symbol)} outlook", facts, first_screen(o))
