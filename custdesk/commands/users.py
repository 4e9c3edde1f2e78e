"""``custdesk-cli users``: add, list and remove the users of a protected base, change a password, recover.

``users --db DB add NAME --role owner|seller|viewer`` on a base without users turns protection on (the
first user must be an owner) and prints the recovery key once. A new password comes from the prompt
(asked twice), or from one line of standard input when that is not a terminal. ``users recover NAME``
replaces a forgotten owner password with the recovery key (asked first, or the first line of standard
input) and prints the new key. ``--json`` prints what ``list`` shows, or the key, as JSON.
"""

from __future__ import annotations

import argparse
import sys

from custdesk import i18n
from custdesk.cli import (
    EXIT_BAD_INPUT,
    EXIT_OK,
    _add_json,
    _base_path,
    _busy_timeout,
    _global_options,
    _print_json,
    _print_table,
    command,
    read_secret,
)
from custdesk.i18n import N_, _


def _users_arguments(p: argparse.ArgumentParser) -> None:
    actions = p.add_subparsers(dest="users_action", metavar=_("ACTION"), required=True)
    common = [_global_options(suppress=True)]
    add = actions.add_parser("add", help=_("add a user (the first one turns protection on)"), parents=common)
    add.add_argument("name", metavar="NAME", help=_("the user's name"))
    roles = ("owner", "seller", "viewer")
    add.add_argument("--role", required=True, choices=roles, help=_("the user's role"))
    _add_json(add)
    listing = actions.add_parser("list", help=_("list the users and their roles"), parents=common)
    _add_json(listing)
    remove = actions.add_parser("remove", help=_("remove a user"), parents=common)
    remove.add_argument("name", metavar="NAME", help=_("the user's name"))
    password = actions.add_parser("password", help=_("give a user a new password"), parents=common)
    password.add_argument("name", metavar="NAME", help=_("the user's name"))
    recover = actions.add_parser(
        "recover", help=_("replace a forgotten owner password with the recovery key"), parents=common
    )
    recover.add_argument("name", metavar="NAME", help=_("the owner's name"))
    _add_json(recover)


def _new_password(name: str) -> str | None:
    """The new password, asked twice on a terminal; None when the two differ."""
    first = read_secret(_("New password for {name}: ").format(name=name))
    if sys.stdin is not None and sys.stdin.isatty():
        again = read_secret(_("The same password again: "))
        if again != first:
            return None
    return first


def _show_key(key: str, *, as_json: bool) -> None:
    if as_json:
        _print_json({"recovery_key": key})
        return
    print(
        _(
            "The recovery key of this base, shown only now: {key}\n"
            "Write it down and keep it away from the computer. With it, and only with it, a forgotten "
            "owner password can be replaced (custdesk-cli users recover)."
        ).format(key=key)
    )


_HELP = N_("manage the users of a protected base: add, list, remove, password, recover")


@command("users", _HELP, _users_arguments)
def _users(args: argparse.Namespace) -> int:
    from custdesk.core.db import open_base
    from custdesk.core.services import access, users

    action = args.users_action
    with open_base(_base_path(args), create=action == "add", busy_timeout_ms=_busy_timeout(args)) as db:
        if action == "list":
            rows = users.list_users(db)
            if args.json:
                _print_json(
                    [{"name": u.name, "role": u.role.value, "created_at": u.created_at} for u in rows]
                )
            elif not rows:
                print(_("This base has no users: protection is off."))
            else:
                table = [
                    [u.name, access.role_label(u.role), i18n.format_date(u.created_at.date())] for u in rows
                ]
                _print_table([_("User"), _("Role"), _("Added")], table)
            return EXIT_OK
        if action == "remove":
            users.remove_user(db, args.name)
            print(_("{name} was removed.").format(name=args.name))
            return EXIT_OK
        if action == "recover":
            key = read_secret(_("Recovery key: "))
            password = _new_password(args.name)
            if password is None:
                print(_("The two passwords differ; nothing was changed."), file=sys.stderr)
                return EXIT_BAD_INPUT
            protection = users.recover_owner(db, key, args.name, password)
            _show_key(protection.recovery_key, as_json=args.json)
            return EXIT_OK
        if action == "add" and access.is_protected(db):
            access.require(db, access.Permission.USERS)  # before asking for a password
        password = _new_password(args.name)
        if password is None:
            print(_("The two passwords differ; nothing was changed."), file=sys.stderr)
            return EXIT_BAD_INPUT
        if action == "password":
            users.set_password(db, args.name, password)
            print(_("The password of {name} was changed.").format(name=args.name))
            return EXIT_OK
        _change, protection = users.add_user(db, args.name, args.role, password)
        if protection is not None:
            if not args.json:
                print(_("Protection is on: from now on every command needs --user NAME and the password."))
            _show_key(protection.recovery_key, as_json=args.json)
        elif args.json:
            _print_json({"name": args.name, "role": args.role})
        else:
            print(_("{name} was added as {role}.").format(name=args.name, role=access.role_label(args.role)))
        return EXIT_OK
