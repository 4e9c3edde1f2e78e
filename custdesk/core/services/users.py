"""Users of a protected base: adding, removing, passwords, signing in, lock-out and the recovery key.

Protection is off while the base has no user. The first user added turns it on and must be an owner;
that call also makes the **recovery key**, shown once: with it, and only with it, a forgotten owner
password can be replaced (:func:`recover_owner`, ``custdesk-cli users recover``), which makes a new key.

Passwords and the recovery key are stored as Argon2id hashes (argon2-cffi), never in clear. Five wrong
passwords in a row slow further tries down: each wrong try from the fifth on locks the user out for
:data:`LOCK_FIRST_SECONDS` seconds, doubled at every further wrong try, up to :data:`LOCK_MAX_SECONDS`;
a try while locked out is refused without looking at the password. A good password clears the count.
"""

from __future__ import annotations

import json
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from custdesk.core.db import Database
from custdesk.core.dto import Change
from custdesk.core.errors import CustDeskError, NotFoundError
from custdesk.core.models import Setting, User
from custdesk.core.services import access
from custdesk.core.services.access import AccessDenied, Actor, Permission, Role
from custdesk.core.services.audit import record
from custdesk.i18n import _, ngettext

FREE_TRIES = 5
LOCK_FIRST_SECONDS = 30
LOCK_MAX_SECONDS = 15 * 60
MIN_PASSWORD = 8
RECOVERY_KEY = "access.recovery_key"  # its Argon2 hash, in settings

_hasher = PasswordHasher()


class SignInRefused(AccessDenied):
    """A wrong name or password, or a user locked out for now; nothing but the count of tries changed."""


@dataclass(frozen=True)
class UserInfo:
    """A user as the users dialog and ``users list`` show it (never the hash)."""

    name: str
    role: Role
    created_at: datetime
    locked_until: datetime | None


@dataclass(frozen=True)
class Protection:
    """What turning protection on gave: the recovery key to write down (shown once)."""

    recovery_key: str


def _set(s: Session, key: str, value: str) -> None:
    row = s.get(Setting, key)
    if row is None:
        s.add(Setting(key=key, value=json.dumps(value)))
    else:
        row.value = json.dumps(value)


def _get(s: Session, key: str) -> str | None:
    row = s.get(Setting, key)
    return None if row is None else str(json.loads(row.value))


def _check_name(name: str) -> str:
    clean = " ".join(name.split())
    if not clean:
        raise CustDeskError(_("A user needs a name."))
    if len(clean) > 64:
        raise CustDeskError(_("A user's name may have at most 64 characters."))
    return clean


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise CustDeskError(
            ngettext(
                "A password needs at least {n} character.",
                "A password needs at least {n} characters.",
                MIN_PASSWORD,
            ).format(n=MIN_PASSWORD)
        )


def _role(role: str) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise CustDeskError(
            _("Unknown role {role}: choose owner, seller or viewer.").format(role=role)
        ) from None


def new_recovery_key() -> str:
    """A recovery key as a person can copy it: 6 groups of 5 characters (about 150 bits)."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
    raw = "".join(secrets.choice(alphabet) for _ in range(30))
    return "-".join(raw[i : i + 5] for i in range(0, 30, 5))


def _normal_key(key: str) -> str:
    return "".join(ch for ch in key.upper() if ch.isalnum())


def is_protected(db: Database) -> bool:
    """Whether the base has users (protection on)."""
    return access.is_protected(db)


def list_users(db: Database) -> list[UserInfo]:
    """The users, by name."""
    with db.session() as s:
        rows = s.scalars(select(User).order_by(User.name)).all()
        return [UserInfo(r.name, Role(r.role), r.created_at, r.locked_until) for r in rows]


def add_user(db: Database, name: str, role: str, password: str) -> tuple[Change, Protection | None]:
    """Add a user. On an unprotected base this turns protection on: the first user must be an owner,
    and a recovery key is made (returned once, never stored in clear).

    Raises:
        AccessDenied: the acting user is not the owner (protection on).
        CustDeskError: a bad name, role or password, a name taken, or a first user who is not an owner.
    """
    clean, wanted = _check_name(name), _role(role)
    _check_password(password)
    protected = access.is_protected(db)
    if protected:
        access.require(db, Permission.USERS)
    elif wanted is not Role.OWNER:
        raise CustDeskError(
            _("The first user turns protection on and must be an owner: add yourself with --role owner.")
        )
    digest = _hasher.hash(password)
    key = None if protected else new_recovery_key()
    with db.session() as s:
        if _find(s, clean) is not None:
            raise CustDeskError(_("There is already a user called {name}.").format(name=clean))
        if key is not None:
            _set(s, RECOVERY_KEY, _hasher.hash(_normal_key(key)))
            if _get(s, access.BASE_ID_KEY) is None:
                _set(s, access.BASE_ID_KEY, uuid.uuid4().hex)
        row = User(
            name=clean, role=wanted.value, password_hash=digest, failed_tries=0, created_at=datetime.now()
        )
        s.add(row)
        s.flush()
        if key is not None:
            # The first owner journals their own arrival: the base is theirs from now on.
            record(s, "create", "user", row.id, field="role", new=wanted.value, who=clean)
        else:
            record(s, "create", "user", row.id, field="role", new=wanted.value)
    access.forget_state(db)
    if key is not None:
        base_id = access.base_state(db)[1]
        access.sign_in(Actor(clean, Role.OWNER, protected=True, base_id=base_id))
    return Change("user"), (Protection(key) if key is not None else None)


def _find(s: Session, name: str) -> User | None:
    """The user called ``name``, in any case and spacing (compared in Python: SQL's lower() folds ASCII
    only, and a Russian or Persian name must match too)."""
    wanted = " ".join(name.split()).casefold()
    return next((u for u in s.scalars(select(User)) if u.name.casefold() == wanted), None)


def _load(s: Session, name: str) -> User:
    row = _find(s, name)
    if row is None:
        raise NotFoundError(_("There is no user called {name}.").format(name=name))
    return row


def remove_user(db: Database, name: str) -> Change:
    """Remove a user (the last owner stays: protection needs one).

    Raises:
        AccessDenied: the acting user is not the owner.
        NotFoundError: no such user.
        CustDeskError: the user is the last owner.
    """
    access.require(db, Permission.USERS)
    with db.session() as s:
        row = _load(s, name)
        if row.role == Role.OWNER:
            owners = s.scalar(select(func.count()).select_from(User).where(User.role == Role.OWNER.value))
            if (owners or 0) <= 1:
                raise CustDeskError(
                    _("{name} is the last owner and cannot be removed.").format(name=row.name)
                )
        record(s, "delete", "user", row.id, field="role", old=row.role)
        s.delete(row)
    access.forget_state(db)
    return Change("user")


def set_password(db: Database, name: str, password: str) -> Change:
    """Give a user a new password: the owner for anyone, a user for themself.

    Raises:
        AccessDenied: another user's password, and the acting user is not the owner.
        NotFoundError: no such user.
        CustDeskError: the password is too short.
    """
    _check_password(password)
    actor = access.current(db)
    with db.session() as s:
        row = _load(s, name)
        if not (actor.protected and actor.name == row.name):
            access.require(s, Permission.USERS)
        row.password_hash = _hasher.hash(password)
        row.failed_tries, row.locked_until = 0, None
        record(s, "update", "user", row.id, field="password")
    return Change("user")


def _lock_seconds(failed: int) -> int:
    if failed < FREE_TRIES:
        return 0
    return int(min(LOCK_FIRST_SECONDS * 2 ** (failed - FREE_TRIES), LOCK_MAX_SECONDS))


def authenticate(db: Database, name: str, password: str, *, now: datetime | None = None) -> Actor:
    """Check a user's password; returns the actor to :func:`~custdesk.core.services.access.sign_in`.

    A wrong password counts; from the fifth wrong one in a row the user is locked out for a while (see
    the module). The count is the only thing written.

    Raises:
        SignInRefused: an unknown name, a wrong password, or locked out for now (the message says how long).
    """
    now = now or datetime.now()
    wrong = _("Wrong user name or password.")
    with db.session() as s:
        row = _find(s, name)
        if row is None:
            _hasher.hash(password)  # as slow as a real check: the time says nothing about which names exist
            raise SignInRefused(wrong)
        if row.locked_until is not None and row.locked_until > now:
            wait = max(1, int((row.locked_until - now).total_seconds() + 0.999))
            raise SignInRefused(
                ngettext(
                    "Too many wrong passwords for {name}: try again in {n} second.",
                    "Too many wrong passwords for {name}: try again in {n} seconds.",
                    wait,
                ).format(name=row.name, n=wait)
            )
        try:
            _hasher.verify(row.password_hash, password)
        except (VerificationError, InvalidHashError):
            row.failed_tries += 1
            seconds = _lock_seconds(row.failed_tries)
            row.locked_until = now + timedelta(seconds=seconds) if seconds else None
            failed = True
        else:
            failed = False
            row.failed_tries, row.locked_until = 0, None
            if _hasher.check_needs_rehash(row.password_hash):
                row.password_hash = _hasher.hash(password)
            actor = Actor(row.name, Role(row.role), protected=True, base_id=_get(s, access.BASE_ID_KEY) or "")
    if failed:
        raise SignInRefused(wrong)
    return actor


def recover_owner(db: Database, recovery_key: str, name: str, password: str) -> Protection:
    """Replace a forgotten owner password with the recovery key; returns the new key (the old one is used up).

    Raises:
        SignInRefused: the key is wrong.
        NotFoundError: no such user.
        CustDeskError: the user is not an owner, or the password is too short.
    """
    _check_password(password)
    with db.session() as s:
        stored = _get(s, RECOVERY_KEY)
        try:
            if stored is None:
                raise VerificationError
            _hasher.verify(stored, _normal_key(recovery_key))
        except (VerificationError, InvalidHashError):
            raise SignInRefused(_("This is not the recovery key of this base.")) from None
        row = _load(s, name)
        if row.role != Role.OWNER:
            raise CustDeskError(
                _("The recovery key resets an owner's password; {name} is not an owner.").format(
                    name=row.name
                )
            )
        key = new_recovery_key()
        _set(s, RECOVERY_KEY, _hasher.hash(_normal_key(key)))
        row.password_hash = _hasher.hash(password)
        row.failed_tries, row.locked_until = 0, None
        # The journal says the key was used; the owner acts from here on.
        access.sign_in(Actor(row.name, Role.OWNER, protected=True, base_id=_get(s, access.BASE_ID_KEY) or ""))
        record(s, "update", "user", row.id, field="recovery key used")
    return Protection(key)


__all__ = [
    "FREE_TRIES",
    "LOCK_FIRST_SECONDS",
    "LOCK_MAX_SECONDS",
    "MIN_PASSWORD",
    "Protection",
    "SignInRefused",
    "UserInfo",
    "add_user",
    "authenticate",
    "is_protected",
    "list_users",
    "new_recovery_key",
    "recover_owner",
    "remove_user",
    "set_password",
]
