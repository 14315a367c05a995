"""Store schema and migrations. Each migration moves the schema up one version, inside a transaction."""

from __future__ import annotations

import duckdb

# Unknown vintage: the value is treated as known since forever; release lags (r2k.calendar) then
# govern when it may be used. Known vintages (FRED/ALFRED realtime_start) replace it.
UNKNOWN_VINTAGE = "0001-01-01"

MIGRATIONS: tuple[str, ...] = (
    # v1: series catalog, bars (prices), observations (macro, with vintages), import log
    f"""
    CREATE TABLE series (
        id VARCHAR PRIMARY KEY,
        kind VARCHAR NOT NULL CHECK (kind IN ('price', 'macro')),
        source VARCHAR NOT NULL,
        updated_at TIMESTAMP NOT NULL
    );
    CREATE TABLE bars (
        series_id VARCHAR NOT NULL,
        date DATE NOT NULL,
        open DOUBLE, high DOUBLE, low DOUBLE, close DOUBLE, adj_close DOUBLE, volume DOUBLE,
        source VARCHAR NOT NULL,
        imported_at TIMESTAMP NOT NULL,
        PRIMARY KEY (series_id, date)
    );
    CREATE TABLE observations (
        series_id VARCHAR NOT NULL,
        date DATE NOT NULL,
        realtime_start DATE NOT NULL DEFAULT DATE '{UNKNOWN_VINTAGE}',
        value DOUBLE,
        source VARCHAR NOT NULL,
        imported_at TIMESTAMP NOT NULL,
        PRIMARY KEY (series_id, date, realtime_start)
    );
    CREATE TABLE imports (
        id INTEGER PRIMARY KEY,
        source VARCHAR NOT NULL,
        started_at TIMESTAMP NOT NULL,
        series INTEGER NOT NULL,
        rows_new INTEGER NOT NULL,
        rows_changed INTEGER NOT NULL
    );
    """,
    # v2: constituents — fund holdings snapshots, the SEC company log, and point-in-time XBRL facts
    """
    CREATE TABLE holdings (
        fund VARCHAR NOT NULL,
        as_of DATE NOT NULL,
        position INTEGER NOT NULL,
        ticker VARCHAR NOT NULL,
        name VARCHAR,
        sector VARCHAR,
        asset_class VARCHAR,
        weight DOUBLE NOT NULL,
        market_value DOUBLE,
        quantity DOUBLE,
        price DOUBLE,
        exchange VARCHAR,
        source VARCHAR NOT NULL,
        imported_at TIMESTAMP NOT NULL,
        PRIMARY KEY (fund, as_of, position)
    );
    CREATE TABLE sec_companies (
        ticker VARCHAR PRIMARY KEY,
        cik INTEGER,
        name VARCHAR,
        status VARCHAR NOT NULL CHECK (status IN ('ok', 'no_facts', 'no_cik', 'error')),
        message VARCHAR,
        facts INTEGER NOT NULL,
        last_filed DATE,
        fetched_at TIMESTAMP NOT NULL
    );
    CREATE TABLE facts (
        cik INTEGER NOT NULL,
        concept VARCHAR NOT NULL,
        tag VARCHAR NOT NULL,
        unit VARCHAR NOT NULL,
        period_end DATE NOT NULL,
        days INTEGER NOT NULL,
        value DOUBLE NOT NULL,
        filed DATE NOT NULL,
        form VARCHAR,
        fy INTEGER,
        fp VARCHAR,
        accn VARCHAR NOT NULL,
        source VARCHAR NOT NULL,
        imported_at TIMESTAMP NOT NULL,
        PRIMARY KEY (cik, tag, unit, period_end, days, accn)
    );
    CREATE INDEX facts_cik_filed ON facts (cik, filed);
    """,
    # v3: the forecast log (every published distribution, its model version and ratings) and the
    # realised scores of logged forecasts whose target has passed (r2k.monitor)
    """
    CREATE TABLE forecast_log (
        symbol VARCHAR NOT NULL,
        origin DATE NOT NULL,
        horizon INTEGER NOT NULL,
        model VARCHAR NOT NULL,
        model_version VARCHAR NOT NULL,
        target DATE NOT NULL,
        last_close DOUBLE NOT NULL,
        mean DOUBLE NOT NULL,
        p_up DOUBLE NOT NULL,
        quantiles DOUBLE[] NOT NULL,
        weights VARCHAR,
        ratings VARCHAR,
        source VARCHAR NOT NULL,
        logged_at TIMESTAMP NOT NULL,
        PRIMARY KEY (symbol, origin, horizon, model, model_version)
    );
    CREATE TABLE forecast_scores (
        symbol VARCHAR NOT NULL,
        origin DATE NOT NULL,
        horizon INTEGER NOT NULL,
        model VARCHAR NOT NULL,
        model_version VARCHAR NOT NULL,
        y DOUBLE NOT NULL,
        crps DOUBLE NOT NULL,
        pit DOUBLE NOT NULL,
        hit80 BOOLEAN NOT NULL,
        hit90 BOOLEAN NOT NULL,
        direction_hit BOOLEAN NOT NULL,
        scored_at TIMESTAMP NOT NULL,
        PRIMARY KEY (symbol, origin, horizon, model, model_version)
    );
    """,
    # v4: derived records as `r2k update` last published them, one of each name per symbol (r2k.store.records): the
    # outlook's weekly record and the monitor's recent walk-forward, as named parts (parquet bytes) under the key of
    # everything that produced them (inputs, code, plan, seed)
    """
    CREATE TABLE published_records (
        symbol VARCHAR NOT NULL,
        name VARCHAR NOT NULL,
        part VARCHAR NOT NULL,
        key VARCHAR NOT NULL,
        as_of DATE NOT NULL,
        data BLOB NOT NULL,
        source VARCHAR NOT NULL,
        written_at TIMESTAMP NOT NULL,
        PRIMARY KEY (symbol, name, part)
    );
    """,
)

SCHEMA_VERSION = len(MIGRATIONS)


def current_version(con: duckdb.DuckDBPyConnection) -> int:
    con.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
    row = con.execute("SELECT max(version) FROM schema_version").fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Apply every pending migration; returns the resulting version."""
    version = current_version(con)
    for target in range(version + 1, SCHEMA_VERSION + 1):
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(MIGRATIONS[target - 1])
            con.execute("INSERT INTO schema_version VALUES (?)", [target])
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
    return SCHEMA_VERSION
