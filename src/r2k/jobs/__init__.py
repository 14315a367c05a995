"""Scheduled jobs: :mod:`r2k.jobs.update` (fetch -> refit -> forecast and log -> score -> report). A job sits with the
CLI and the dashboard above the library: it may call the report, the monitor and the store; nothing imports it."""
