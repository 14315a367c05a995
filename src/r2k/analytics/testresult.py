"""The result of a hypothesis test, stated in words as well as numbers."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class TestResult:
    """One hypothesis test: statistic, p-value, and what was tested, in words.

    ``alpha`` is only used by :meth:`verdict`; the p-value is always reported unrounded.
    """

    __test__ = False  # not a pytest test class

    name: str
    statistic: float
    p_value: float
    null: str
    alternative: str
    df: float | None = None
    n: int | None = None
    alpha: float = 0.05
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def rejected(self) -> bool:
        return bool(self.p_value < self.alpha)

    def verdict(self) -> str:
        """The p-value in plain words."""
        p = self.p_value
        if p != p:
            return f"{self.name}: not computable"
        strength = (
            "very strong evidence" if p < 0.001 else "strong evidence" if p < 0.01 else "evidence" if p < 0.05
            else "weak evidence" if p < 0.10 else "no evidence"
        )
        side = f"against the null ({self.null}) in favour of: {self.alternative}" if p < 0.10 else f"against the null ({self.null})"
        return f"{self.name}: {strength} {side} (p = {p:.3g})"

    def summary(self) -> str:
        stat = f"statistic {self.statistic:.4g}" + (f", df {self.df:g}" if self.df is not None else "")
        return f"{self.verdict()}; {stat}" + (f", n = {self.n}" if self.n is not None else "")

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["rejected"] = self.rejected
        d["verdict"] = self.verdict()
        return d
