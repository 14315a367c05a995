"""The store seen as of one date: the ONE as-of rule of every entry point, and the reads they share.

Every store-reading entry point (the outlook, the forecast, the monitor status, the factors and the cycle, the
market analysis, the report) takes a :class:`Snapshot`. The CLI makes one per command, the dashboard one per
request (cached), the report one per report, so a series or the model input frame is read or built once
however many parts use it.

The as-of rule (:func:`resolve`): the date given, else the last close of the index; a date after that close
is clamped to it and the snapshot says so in ``note`` (a result labelled 2098-12-31 but made of today's data,
mixed with macro values released after the last close, would be a false claim).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from datetime import date
from typing import TYPE_CHECKING, Any

from r2k.config import Settings
from r2k.errors import InputError, StoreError

if TYPE_CHECKING:
    import pandas as pd

    from r2k.analytics.market import MarketInputs
    from r2k.store import Store

INDEX_ID = "RUT"  # the index whose last close is the default as-of date


@dataclass(frozen=True)
class AsOf:
    """A resolved as-of date: ``day`` the date used, ``requested`` the date asked for (None: the default),
    ``clock`` the series whose last close ``last`` bounds it."""

    day: date
    requested: date | None
    clock: str | None
    last: date | None

    @property
    def clamped(self) -> bool:
        return self.requested is not None and self.requested != self.day

    @property
    def note(self) -> str | None:
        """Why the date used is not the one asked for (None when it is)."""
        if not self.clamped:
            return None
        from r2k.words import index_name

        return (f"the as-of date {self.requested} is after the last {index_name(self.clock or '')} close in the store "
                f"({self.last}): the results use {self.last}")

    def words(self) -> str:
        """How output states its date: "as of 2026-08-27 (the last Russell 2000 close)" or "as of 2026-03-31"."""
        if self.requested is not None and not self.clamped or self.clock is None:
            return f"as of {self.day}"
        from r2k.words import index_name

        return f"as of {self.day} (the last {index_name(self.clock)} close)"

    def to_dict(self) -> dict[str, Any]:
        return {"as_of": self.day, "requested": self.requested, "last_close": self.last, "note": self.note}


def clock_series(store: Store, symbol: str = INDEX_ID) -> str | None:
    """The series whose last close is the default as-of: ``symbol`` when stored, else RUT, else the first stored
    price series (by id); None when the store holds no price series."""
    for sid in dict.fromkeys((symbol.upper(), INDEX_ID)):
        if store.has(sid) and store.kind(sid) == "price" and store.last_date(sid) is not None:
            return sid
    prices = sorted(i.id for i in store.status() if i.kind == "price" and i.last is not None)
    return prices[0] if prices else None


def resolve(store: Store, as_of: date | None = None, symbol: str = INDEX_ID) -> AsOf:
    """The one as-of rule: ``as_of``, else the last close of ``symbol`` (RUT, or the first stored price series,
    when ``symbol`` is not stored); a date after that close is clamped to it (see :attr:`AsOf.note`)."""
    clock = clock_series(store, symbol)
    last = store.last_date(clock) if clock is not None else None
    if last is None:
        if as_of is None:
            raise StoreError(f"no price series in the store to date the results by (import {INDEX_ID} first; "
                             "see 'r2k data status')")
        return AsOf(as_of, as_of, None, None)
    if as_of is None:
        return AsOf(last, None, clock, last)
    return AsOf(min(as_of, last), as_of, clock, last)


@dataclass(frozen=True, eq=False)
class Snapshot:
    """``store`` as known at ``as_of`` (resolved by :func:`resolve` on construction) for ``symbol`` against
    ``benchmark``; reads and derived frames are cached per snapshot (:meth:`memo`)."""

    store: Store
    as_of: date | None = None
    symbol: str = INDEX_ID
    benchmark: str = "GSPC"
    settings: Settings | None = None
    resolved: AsOf = field(init=False, repr=False)
    _cache: dict[Any, Any] = field(init=False, repr=False, default_factory=dict)

    def __post_init__(self) -> None:
        put = object.__setattr__
        put(self, "symbol", self.symbol.upper())
        put(self, "benchmark", self.benchmark.upper())
        put(self, "settings", self.settings or Settings(store_path=self.store.path))
        put(self, "resolved", resolve(self.store, self.as_of, self.symbol))
        put(self, "as_of", self.resolved.day)

    @property
    def day(self) -> date:
        """The resolved as-of date (``as_of``, typed as a date)."""
        return self.resolved.day

    @property
    def config(self) -> Settings:
        """The settings (never None after construction)."""
        assert self.settings is not None
        return self.settings

    @property
    def note(self) -> str | None:
        return self.resolved.note

    def bind(self, store: Store) -> Snapshot:
        """The same snapshot (and cache) reading through another open connection to the same store file (the
        dashboard opens a fresh read-only connection per computation)."""
        other = copy.copy(self)  # shallow: the cache dict is shared
        object.__setattr__(other, "store", store)
        return other

    def memo(self, key: Any, build: Callable[[], Any]) -> Any:
        """A value built once per snapshot (keys in use: "inputs", "market_inputs", "factor_dashboard",
        "outlook", ("frame", id))."""
        if key not in self._cache:
            self._cache[key] = build()
        return self._cache[key]

    # ---------------------------------------------------------------------------------------- series
    def frame(self, series_id: str) -> pd.DataFrame:
        """The stored frame of ``series_id`` as known at the as-of date (bars, or date,value)."""
        sid = series_id.upper()
        return self.memo(("frame", sid), lambda: self.store.read(sid, as_of=self.day))

    def has(self, series_id: str) -> bool:
        """Whether ``series_id`` is stored with rows known at the as-of date."""
        return self.store.has(series_id) and not self.frame(series_id).empty

    def series(self, series_id: str | None = None) -> pd.Series:
        """Closes (a price series) or values (a macro series) known at the as-of date; default the symbol's."""
        from r2k.schemas import frame_values

        sid = (series_id or self.symbol).upper()
        return frame_values(self.frame(sid), sid)

    def series_if_any(self, series_id: str, dropna: bool = True) -> pd.Series | None:
        """Like :meth:`series` (without missing values unless ``dropna`` is False), or None when nothing is stored
        for it by the as-of date."""
        if not self.has(series_id):
            return None
        s = self.series(series_id)
        s = s.dropna() if dropna else s
        return s if len(s) else None

    def closes(self) -> pd.Series:
        """The symbol's closes known at the as-of date; a StoreError when there are none."""
        if not self.store.has(self.symbol):
            raise StoreError(f"series {self.symbol} is not in the store: import or fetch it first")
        close = self.series_if_any(self.symbol)
        if close is None:
            raise StoreError(f"series {self.symbol} has no closes on or before {self.day}")
        return close

    def require_price(self, series_id: str, field_name: str = "symbol") -> None:
        """An InputError unless ``series_id`` is a stored price series (not missing, not macro)."""
        sid = series_id.upper()
        if not self.store.has(sid):
            raise InputError(field_name, f"series {sid} is not in the store (see 'r2k data status')")
        if self.store.kind(sid) != "price":
            raise InputError(field_name, f"{sid} is a macro series; price analytics need a price series "
                                         "(an index, ETF or stock)")

    def price_series(self, series_id: str, field_name: str = "symbol") -> pd.Series:
        """Closes of a stored price series known at the as-of date; missing, macro or non-positive closes are
        an InputError (price analytics take logs and ratios of closes)."""
        self.require_price(series_id, field_name)
        close = self.series_if_any(series_id, dropna=False)
        sid = series_id.upper()
        if close is None:
            raise InputError(field_name, f"series {sid} has no rows on or before {self.day} in the store "
                                         "(see 'r2k data status')")
        if (close <= 0).any():
            bad = close.index[(close <= 0).to_numpy()][0]
            raise InputError(field_name, f"{sid} has a non-positive close on {bad.date()}; price analytics need positive prices")
        return close

    # -------------------------------------------------------------------------------------- inputs
    def inputs(self) -> pd.DataFrame:
        """The daily model input frame of the symbol (:func:`r2k.features.inputs.load_inputs`), built once."""
        from r2k.features.inputs import load_inputs

        return self.memo("inputs", lambda: load_inputs(self.store, self.symbol, as_of=self.day))

    def model_inputs(self, models: Sequence[str]) -> pd.DataFrame | None:
        """:meth:`inputs` when any model named (or any member it brings) reads it; else None."""
        from r2k.models.registry import make_model

        wanted = set(models)
        for name in models:
            wanted |= set(make_model(name).capabilities.stacks)
        return self.inputs() if any(make_model(n).capabilities.needs_features for n in wanted) else None

    def market_inputs(self, benchmark: str | None = None, fields: tuple[str, str] = ("symbol", "benchmark")) -> MarketInputs:
        """Every series a market analysis reads (:class:`r2k.analytics.market.MarketInputs`); ``benchmark``
        overrides the snapshot's and must then be a stored price series. ``fields`` name the symbol and the benchmark
        in errors (the CLI's ``--symbol``, the API's ``symbol``)."""
        from r2k.analytics.market import MarketInputs

        def build() -> MarketInputs:
            close = self.price_series(self.symbol, fields[0])
            if benchmark is not None:
                self.price_series(benchmark, fields[1])
            bench = (benchmark or self.benchmark).upper()
            read = partial(self.series_if_any, dropna=False)
            return MarketInputs(close, read(bench), read("VIX"), read("FEDFUNDS"), read("IWM"), read(SHARES_ID), self.symbol, bench)

        return self.memo(("market_inputs", benchmark), build)


SHARES_ID = "IWM_SHARES"  # the ETF's shares outstanding (flows)
