"""Named errors and warnings.

Every error message names the file or series, the row or date, and what is wrong, so the CLI can
print it as one readable line.
"""

from __future__ import annotations


class R2KError(Exception):
    """Base class of every error r2k raises on purpose (the CLI prints these as one line)."""


class DataError(R2KError):
    """Input data is malformed: bad dates, text in numbers, duplicates, impossible prices."""

    def __init__(self, source: str, problem: str, row: int | str | None = None) -> None:
        self.source = source
        self.problem = problem
        self.row = row
        where = f"{source}" if row is None else f"{source}, {row_label(row)}"
        super().__init__(f"{where}: {problem}")

    def __reduce__(self):  # noqa: ANN204 - pickle protocol
        """Rebuilt from its own arguments: an error raised in a worker process reaches the caller intact."""
        return type(self), (self.source, self.problem, self.row)


def row_label(row: int | str) -> str:
    return f"line {row}" if isinstance(row, int) else str(row)


class ProviderError(R2KError):
    """A data provider could not deliver (offline, rate-limited, unknown symbol, bad response)."""


class StoreError(R2KError):
    """The store is missing a series, or its file is unusable."""


class LookAheadError(R2KError):
    """Code tried to read data published after its as-of date or forecast origin."""


class StaleDataWarning(UserWarning):
    """The latest stored value is older than the requested as-of date suggests it should be."""


class ConvergenceWarning(UserWarning):
    """An estimator did not converge; its numbers are reported but should be read with care."""


class InputError(R2KError):
    """A value given by a person or a request is malformed, out of its limits, or names nothing stored
    (the CLI prints it as one line and exits 1; the API answers 400)."""

    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        self.problem = problem
        super().__init__(f"{field}: {problem}")

    def __reduce__(self):  # noqa: ANN204 - pickle protocol
        return type(self), (self.field, self.problem)
