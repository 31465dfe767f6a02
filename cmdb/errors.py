"""Errors the services raise; the API and the CLI turn them into 400s and exit codes."""

from __future__ import annotations


class CmdbError(Exception):
    """Base of every error a user can act on."""


class ValidationError(CmdbError):
    """Bad input, with a message per field (or per row, for imports)."""

    def __init__(self, errors: dict[str, list[str]], message: str = "invalid input") -> None:
        super().__init__(message)
        self.errors = errors

    def __str__(self) -> str:
        lines = [f"{field}: {'; '.join(msgs)}" for field, msgs in self.errors.items()]
        return f"{self.args[0]}\n" + "\n".join(lines) if lines else str(self.args[0])


class NotFoundError(CmdbError):
    """A referenced record does not exist."""


class ConflictError(CmdbError):
    """The change is no longer possible (e.g. the capacity it needs is gone), or clashes
    with stored records: a taken name, a record still referenced; ``errors`` then says
    on which field or by what, as ``ValidationError`` does."""

    def __init__(self, message: str, errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.errors = errors or {}


class DecisionRefusedError(ConflictError):
    """A request's lifecycle step refused (409), with why as a code and its values.

    The message is English for the API and the CLI; ``reason`` and ``params`` let
    the UI say the same in the user's language instead of showing internal text.
    Reasons: ``status`` (the request's status no longer allows ``step``),
    ``cannot_host`` and ``host_until`` (it no longer fits; ``resource`` and ``date``
    name the first shortfall when there is one).
    """

    def __init__(self, message: str, reason: str, **params: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.params = params


class ForbiddenError(CmdbError):
    """The caller may not do this (their role, or another agency's request): HTTP 403,
    in the API and the UI alike (``cmdb.actions.policy`` says who may)."""
