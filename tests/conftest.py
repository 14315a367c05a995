"""Fixtures and helpers shared by every test folder (defined in tests_support.py, importable from tests)."""

from tests_support import *  # noqa: F403 - re-export fixtures and helpers
from tests_support import outlook_market, session_cache, shared_data, shared_store, store_path  # noqa: F401 - fixtures by name
