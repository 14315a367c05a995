"""What a holdings snapshot says without any fundamentals: sector weights, concentration, and changes.

Weights are shares of the fund's equity holdings (cash, futures and money-market lines excluded and
the rest rescaled to 1), which is how the index itself weighs its constituents.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from r2k.providers.holdings import equity_weights, weight_basis


@dataclass(frozen=True)
class HoldingsProfile:
    """Sector weights and concentration of one snapshot."""

    as_of: date
    holdings: int
    equity_share: float  # of the fund's weight, before rescaling
    sector_weights: dict[str, float]
    top10_share: float
    effective_holdings: float  # 1 / sum of squared weights
    top10: tuple[tuple[str, str, float], ...]  # (ticker, name, weight)
    weight_basis: str  # "market values", or the file's rounded weights and why (providers.holdings.weight_basis)

    def to_dict(self) -> dict:
        return {"as_of": self.as_of, "holdings": self.holdings, "equity_share": self.equity_share,
                "sector_weights": self.sector_weights, "top10_share": self.top10_share,
                "effective_holdings": self.effective_holdings,
                "top10": [{"ticker": t, "name": n, "weight": w} for t, n, w in self.top10],
                "weight_basis": self.weight_basis}

    def summary(self) -> str:
        top = max(self.sector_weights, key=self.sector_weights.get)
        return (f"{self.holdings:,} equity holdings on {self.as_of}; largest sector {top} "
                f"{100 * self.sector_weights[top]:.1f}%; top 10 hold {100 * self.top10_share:.1f}%; "
                f"effective number of holdings {self.effective_holdings:,.0f}; weights from {self.weight_basis}")


def profile(frame: pd.DataFrame, as_of: date) -> HoldingsProfile:
    eq = equity_weights(frame)
    top = eq.sort_values("weight", ascending=False, kind="stable").head(10)
    sectors = eq.groupby("sector")["weight"].sum().sort_values(ascending=False)
    return HoldingsProfile(
        as_of, len(eq), float(frame.loc[frame["asset_class"] == "Equity", "weight"].sum()),
        {str(k): float(v) for k, v in sectors.items()}, float(top["weight"].sum()),
        float(1.0 / (eq["weight"] ** 2).sum()) if len(eq) else 0.0,
        tuple((r.ticker, r.name, float(r.weight)) for r in top.itertuples()),
        weight_basis(frame),
    )


@dataclass(frozen=True)
class HoldingsChange:
    """How the holdings moved between two snapshots."""

    start: date
    end: date
    added: int
    removed: int
    turnover: float  # half the sum of absolute weight changes (0 = same portfolio, 1 = all new)
    sector_change: dict[str, float]  # end weight - start weight
    top10_change: float
    effective_change: float

    def to_dict(self) -> dict:
        return dict(self.__dict__)

    def summary(self) -> str:
        return (f"{self.start} -> {self.end}: {self.added} added, {self.removed} removed, "
                f"turnover {100 * self.turnover:.1f}%")


def change(old: pd.DataFrame, old_date: date, new: pd.DataFrame, new_date: date) -> HoldingsChange:
    a, b = equity_weights(old).set_index("ticker")["weight"], equity_weights(new).set_index("ticker")["weight"]
    both = pd.concat([a.rename("a"), b.rename("b")], axis=1).fillna(0.0)
    pa, pb = profile(old, old_date), profile(new, new_date)
    sectors = sorted(set(pa.sector_weights) | set(pb.sector_weights))
    return HoldingsChange(
        old_date, new_date, int((~b.index.isin(a.index)).sum()), int((~a.index.isin(b.index)).sum()),
        float(0.5 * (both["b"] - both["a"]).abs().sum()),
        {s: pb.sector_weights.get(s, 0.0) - pa.sector_weights.get(s, 0.0) for s in sectors},
        pb.top10_share - pa.top10_share, pb.effective_holdings - pa.effective_holdings,
    )
