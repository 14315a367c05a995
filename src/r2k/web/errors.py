"""The dashboard's own error: a request names something the store does not hold (404) or cannot be answered."""

from __future__ import annotations

from r2k.errors import R2KError


class BadRequest(R2KError):
    """A request is outside the data (status 400 or 404); malformed values are :class:`r2k.errors.InputError` (400)."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status
