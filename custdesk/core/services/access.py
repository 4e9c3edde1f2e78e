"""Who may do what: roles, permissions and the signed-in user, checked in the services.

Protection is optional. A base without users works as before: whoever runs CustDesk is the owner, and
the journal names the operating-system account (read from the system, not from environment variables
anyone can set). Once the owner adds users (:mod:`custdesk.core.services.users`), every service call on
that base acts as the user signed in with :func:`sign_in`, and a base nobody signed in to allows reading
only. The rules (DOMAIN.md, "People and roles"):

- **owner**: everything;
- **seller**: cards, history, calls, reminders, purchases, Today, the list and analysis (without profit);
  no export, no print of more than :data:`PRINT_LIMIT` cards, no firm settings, fields or users, no
  restore, no undo of others' work, no import;
- **viewer**: reads and analyses (profit included); changes, imports and exports nothing.

The API other services use:

- :func:`require` ``(source, Permission.X)`` raises :class:`AccessDenied` (a
  :class:`~custdesk.core.errors.CustDeskError`: the CLI prints it and exits 2, the GUI shows it);
- :func:`allows` ``(source, Permission.X)`` answers without raising (to hide a column, say);
- :func:`current` ``(source)`` is the :class:`Actor` acting on that base (name, role, protected or not);
- :func:`require_print` ``(source, cards)`` the print rule with its count.

``source`` is an open :class:`~custdesk.core.db.Database` or a SQLAlchemy ``Session``/``Connection`` on it.
Every journal entry passes :func:`check_entry` (:func:`custdesk.core.services.audit.record`), so a
service that journals its change is guarded even before it calls :func:`require` itself.

The signed-in user is process-wide (the GUI's worker thread sees the GUI's sign-in; the CLI signs in once
per command): a CustDesk process works on one base at a time. An actor carries the id of the base it
signed in to, so a sign-in never unlocks another base.
"""

from __future__ import annotations

import json
import os
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import Enum, StrEnum
from typing import Any

from sqlalchemy import Connection, Engine, func, select
from sqlalchemy.orm import Session

from custdesk.core.errors import CustDeskError
from custdesk.i18n import _, ngettext

PRINT_LIMIT = 5  # cards a seller or viewer may print at once
MAIL_LIMIT = 5  # clients a seller may mail at once (greeting today's birthdays, a few offers)


class Role(StrEnum):
    """A user's role."""

    OWNER = "owner"
    SELLER = "seller"
    VIEWER = "viewer"


class Permission(Enum):
    """What a service may be asked to do."""

    EDIT = "edit"  # cards, history, calls, reminders, purchases, merges
    EXPORT = "export"
    PRINT_MANY = "print_many"  # print more than PRINT_LIMIT cards at once
    SEE_PROFIT = "see_profit"  # profit and margins, on screen, in print and in analysis
    ANALYSE = "analyse"  # run and store an analysis
    SETTINGS = "settings"  # firm settings, fields, the sales plan
    USERS = "users"
    RESTORE = "restore"
    IMPORT = "import"
    UNDO_OTHERS = "undo_others"  # undo a change another user made
    MAIL_MANY = "mail_many"  # mail more than MAIL_LIMIT clients at once, or mail inside the minimum gap


RULES: dict[Role, frozenset[Permission]] = {
    Role.OWNER: frozenset(Permission),
    Role.SELLER: frozenset({Permission.EDIT, Permission.ANALYSE}),
    Role.VIEWER: frozenset({Permission.ANALYSE, Permission.SEE_PROFIT}),
}


def role_label(role: Role | str) -> str:
    """The role's name in the interface language."""
    return {
        Role.OWNER: _("owner"),
        Role.SELLER: _("seller"),
        Role.VIEWER: _("viewer"),
    }[Role(role)]


def _refusal(permission: Permission) -> str:
    return {
        Permission.EDIT: _("A viewer reads the base and changes nothing."),
        Permission.EXPORT: _("Only the owner may export clients."),
        Permission.PRINT_MANY: "",  # worded with its count by require_print
        Permission.SEE_PROFIT: _("Only the owner and a viewer see profit and margins."),
        Permission.ANALYSE: _("This user may not run the analysis."),
        Permission.SETTINGS: _("Only the owner may change the firm's settings, fields and sales plan."),
        Permission.USERS: _("Only the owner may manage users."),
        Permission.RESTORE: _("Only the owner may restore a backup."),
        Permission.IMPORT: _("Only the owner may import into the base."),
        Permission.UNDO_OTHERS: _("Only the owner may undo another user's work."),
        Permission.MAIL_MANY: "",  # worded with its count by require_mailing
    }[permission]


class AccessDenied(CustDeskError):
    """The signed-in user's role does not allow the action; nothing was written."""


@dataclass(frozen=True)
class Actor:
    """Who is acting: a user of a protected base, or the computer's account on an unprotected one."""

    name: str
    role: Role
    protected: bool = False
    base_id: str = ""  # the protected base this actor signed in to


def os_account() -> str:
    """The operating-system account running CustDesk, asked of the system (not of $USER or $LOGNAME)."""
    try:
        if os.name == "posix":
            import pwd

            return pwd.getpwuid(os.getuid()).pw_name
        return os.getlogin()  # Windows: GetUserNameW, not %USERNAME%
    except (OSError, KeyError, ImportError):  # pragma: no cover - an account without a name
        return ""


_lock = threading.Lock()
_signed_in: Actor | None = None
# Per engine: (protected?, base id), read once and refreshed by the users service when it changes them.
_state: weakref.WeakKeyDictionary[Engine, tuple[bool, str]] = weakref.WeakKeyDictionary()

BASE_ID_KEY = "access.base_id"


def sign_in(actor: Actor | None) -> None:
    """Make ``actor`` the user of this process (None: sign out). Switching user needs nothing more."""
    global _signed_in
    with _lock:
        _signed_in = actor


def signed_in() -> Actor | None:
    """The user signed in in this process, if any."""
    return _signed_in


@contextmanager
def acting_as(actor: Actor | None) -> Iterator[None]:
    """Act as ``actor`` for the block (tests, and a one-off CLI command), then as before."""
    before = _signed_in
    sign_in(actor)
    try:
        yield
    finally:
        sign_in(before)


def _engine(source: Any) -> Engine:
    if isinstance(source, Engine):
        return source
    if isinstance(source, Session):
        bind = source.get_bind()
        return bind if isinstance(bind, Engine) else bind.engine
    if isinstance(source, Connection):
        return source.engine
    engine = getattr(source, "engine", None)  # a Database
    if isinstance(engine, Engine):
        return engine
    raise TypeError(f"not a base: {source!r}")


def _read_state(engine: Engine) -> tuple[bool, str]:
    from custdesk.core.models import Setting, User

    with engine.connect() as conn:
        users = conn.scalar(select(func.count()).select_from(User)) or 0
        raw = conn.scalar(select(Setting.value).where(Setting.key == BASE_ID_KEY))
    return bool(users), str(json.loads(raw)) if raw else ""


def base_state(source: Any) -> tuple[bool, str]:
    """Whether the base of ``source`` is protected, and its id (cached per engine)."""
    engine = _engine(source)
    state = _state.get(engine)
    if state is None:
        state = _read_state(engine)
        _state[engine] = state
    return state


def forget_state(source: Any) -> None:
    """Read protection afresh on the next check (the users service calls it after a change)."""
    _state.pop(_engine(source), None)


def is_protected(source: Any) -> bool:
    """Whether the base has users (protection on)."""
    return base_state(source)[0]


NOBODY = Actor("", Role.VIEWER, protected=True)


def current(source: Any) -> Actor:
    """Who acts on the base of ``source``.

    Unprotected: the operating-system account as the owner. Protected: the signed-in user when it signed
    in to this base; otherwise nobody (reads only, and not even :data:`Permission.ANALYSE`).
    """
    protected, base_id = base_state(source)
    actor = _signed_in
    if not protected:
        if actor is not None and not actor.protected:
            return actor
        return Actor(os_account(), Role.OWNER)
    if actor is not None and actor.protected and actor.base_id == base_id:
        return actor
    return NOBODY


def allows(source: Any, permission: Permission) -> bool:
    """Whether the user acting on the base of ``source`` may do ``permission``."""
    actor = current(source)
    if actor is NOBODY:
        return False
    return permission in RULES[actor.role]


def require(source: Any, permission: Permission) -> None:
    """Refuse unless the user acting on the base of ``source`` may do ``permission``.

    Raises:
        AccessDenied: with a message naming the rule (nothing was written).
    """
    if allows(source, permission):
        return
    if current(source) is NOBODY:
        raise AccessDenied(_("This base is protected: sign in first (custdesk-cli: --user NAME)."))
    raise AccessDenied(_refusal(permission))


def require_print(source: Any, cards: int) -> None:
    """Refuse a print of ``cards`` cards that the user's role does not allow.

    Raises:
        AccessDenied: the user may print at most :data:`PRINT_LIMIT` cards at once.
    """
    if cards <= PRINT_LIMIT or allows(source, Permission.PRINT_MANY):
        return
    if current(source) is NOBODY:
        require(source, Permission.PRINT_MANY)
    raise AccessDenied(
        ngettext(
            "Only the owner may print more than {limit} card at once.",
            "Only the owner may print more than {limit} cards at once.",
            PRINT_LIMIT,
        ).format(limit=PRINT_LIMIT)
    )


def require_mailing(source: Any, clients: int, *, override_gap: bool = False) -> None:
    """Refuse a mailing the user's role does not allow: a viewer sends nothing; a seller mails at most
    :data:`MAIL_LIMIT` clients at once and never inside the minimum gap between mailings.

    Raises:
        AccessDenied: with the rule.
    """
    require(source, Permission.EDIT)
    if allows(source, Permission.MAIL_MANY):
        return
    if override_gap:
        raise AccessDenied(_("Only the owner may mail clients inside the minimum gap between mailings."))
    if clients > MAIL_LIMIT:
        raise AccessDenied(
            ngettext(
                "Only the owner may mail more than {limit} client at once.",
                "Only the owner may mail more than {limit} clients at once.",
                MAIL_LIMIT,
            ).format(limit=MAIL_LIMIT)
        )


def permission_for_entry(action: str, entity: str) -> Permission | None:
    """The permission a journal entry needs (None: print, checked with its count by require_print)."""
    if action == "export":
        return Permission.EXPORT
    if action == "print":
        return None
    if action == "import":
        return Permission.IMPORT
    if entity in ("setting", "sales_plan", "field", "custom_field"):
        return Permission.SETTINGS
    if entity == "user":
        return Permission.USERS
    if entity == "analysis":
        return Permission.ANALYSE
    return Permission.EDIT


def check_entry(session: Session, action: str, entity: str, field: str = "") -> Actor:
    """Refuse a change the acting user may not journal; returns the actor whose name the entry carries.

    A user's change of their own password is the users service's to judge (any signed-in user may).

    Raises:
        AccessDenied: the role does not allow it (the caller's transaction is rolled back).
    """
    permission = permission_for_entry(action, entity)
    if (action, entity, field) == ("update", "user", "password") and current(session) is not NOBODY:
        return current(session)
    if permission is not None:
        require(session, permission)
    elif current(session) is NOBODY:
        require(session, Permission.PRINT_MANY)
    return current(session)


__all__ = [
    "NOBODY",
    "PRINT_LIMIT",
    "RULES",
    "AccessDenied",
    "Actor",
    "Permission",
    "Role",
    "acting_as",
    "allows",
    "base_state",
    "check_entry",
    "current",
    "forget_state",
    "is_protected",
    "os_account",
    "permission_for_entry",
    "require",
    "require_print",
    "role_label",
    "sign_in",
    "signed_in",
]
