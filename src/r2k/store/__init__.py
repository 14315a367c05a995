"""Storage of every series in one DuckDB file (see :class:`Store`)."""

from r2k.store.duck import ImportSummary, SeriesInfo, SeriesWrite, Store

__all__ = ["ImportSummary", "SeriesInfo", "SeriesWrite", "Store"]
