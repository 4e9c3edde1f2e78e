"""Errors the core raises: each carries a message a person can read, already translated.

The GUI shows ``str(error)`` in a dialog, the CLI prints it to stderr; neither adds a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


class CustDeskError(Exception):
    """Base of every error meant for the user."""


class BaseOpenError(CustDeskError):
    """The base cannot be opened; the file was left exactly as it was."""


class NotABaseError(BaseOpenError):
    """The file is not a SQLite file or not a CustDesk base."""


class CorruptBaseError(BaseOpenError):
    """SQLite reports the file as damaged."""


class ReadOnlyBaseError(BaseOpenError):
    """The file or its folder cannot be written."""


class BaseLockedError(BaseOpenError):
    """Another CustDesk (or another program) holds the base."""


class NewerSchemaError(BaseOpenError):
    """The base was made by a newer CustDesk."""


class DiskFullError(BaseOpenError):
    """The disk under the base (or its lock, or its backups) is full; nothing was changed."""


class NotFoundError(CustDeskError):
    """A client, purchase or other record does not exist (any more)."""


@dataclass(frozen=True)
class FieldError:
    """One refused field: ``field`` is the input's attribute name, ``message`` the reason, translated."""

    field: str
    message: str


class ValidationFailed(CustDeskError):
    """Input was refused; ``errors`` names every field and its reason."""

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = list(errors)
        super().__init__("\n".join(e.message for e in self.errors))


@dataclass(frozen=True)
class FieldChange:
    """One field of a card as another seat saved it (``theirs``) and as this save has it (``yours``)."""

    field: str
    theirs: str
    yours: str


class StaleCardError(CustDeskError):
    """The card was changed (by another seat) since it was opened; nothing was saved.

    ``changes``: the fields where the stored card and this save differ, so the person sees what a save
    would overwrite; ``current``: the card as stored now (a ``ClientCard``), to show it or to save over it
    knowingly (with its ``version``).
    """

    def __init__(self, message: str, changes: list[FieldChange], current: Any = None) -> None:
        self.changes = list(changes)
        self.current = current
        super().__init__(message)


class TooSoonError(CustDeskError):
    """A contact sooner than the minimum gap after the last one: pestering, to be confirmed first.

    ``last_contact`` is when the client was last contacted, ``gap_days`` the firm's minimum gap.
    """

    def __init__(self, message: str, *, last_contact: datetime, gap_days: int) -> None:
        self.last_contact = last_contact
        self.gap_days = gap_days
        super().__init__(message)
