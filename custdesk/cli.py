"""custdesk-cli: the console tool for administrators, calling the same services as the GUI.

Every subcommand is one entry in ``COMMANDS``. A feature's subcommands live in their own module under
``custdesk/commands/`` (found and imported when the parser is built). To add one, write a function
that adds its arguments and a handler that returns the exit code, and register both::

    def _stats_arguments(p: argparse.ArgumentParser) -> None:
        _add_json(p)

    @command("stats", N_("show figures of the base"), _stats_arguments)
    def _stats(args: argparse.Namespace) -> int:
        with _open_readonly(args) as db:
            ...
        return EXIT_OK

The global options (``--db``, ``--data-dir``, ``--lang``, ``--busy-timeout``) are accepted before and
after the subcommand. A :class:`CustDeskError` prints its message to stderr without a traceback; so
does a full disk. Anything unexpected prints one short line naming the log file, where the traceback is
written. Exit codes: 0 success, 1 rows skipped or problems found, 2 a bad base or bad input (argparse's
own too), 3 an unexpected error (a bug: the log file has the details), 130 interrupted.
"""

from __future__ import annotations

import argparse
import dataclasses
import errno
import logging
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import DBAPIError

from custdesk import __version__, console, i18n, paths
from custdesk.argparse_i18n import ArgumentParser
from custdesk.core.errors import CustDeskError
from custdesk.i18n import N_, _, ngettext

if TYPE_CHECKING:
    from custdesk.core.db import Database

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_BAD_INPUT = 2
EXIT_UNEXPECTED = 3
EXIT_INTERRUPTED = 130

log = logging.getLogger("custdesk.cli")

Handler = Callable[[argparse.Namespace], int]
ArgumentAdder = Callable[[argparse.ArgumentParser], None]


@dataclasses.dataclass(frozen=True)
class Command:
    """A subcommand: its name, its help (English, translated when the parser is built), its arguments."""

    name: str
    help: str
    add_arguments: ArgumentAdder
    run: Handler


COMMANDS: dict[str, Command] = {}


def command(name: str, help: str, add_arguments: ArgumentAdder) -> Callable[[Handler], Handler]:
    """Register the decorated handler as the subcommand ``name`` (``help`` marked with ``N_``)."""

    def register(run: Handler) -> Handler:
        if name in COMMANDS:
            raise ValueError(f"subcommand {name!r} registered twice")
        COMMANDS[name] = Command(name, help, add_arguments, run)
        return run

    return register


# ---------------------------------------------------------------------------------------------------------
# Helpers shared by the subcommands


def _add_json(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help=_("print JSON instead of text (for other tools)"))


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value <= 0:
        raise argparse.ArgumentTypeError(_("{value!r} is not a positive whole number").format(value=text))
    return value


def _non_negative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(_("{value!r} is not a whole number of 0 or more").format(value=text))
    return value


def _base_path(args: argparse.Namespace) -> Path:
    """The base ``--db`` names: a file path, or a server address kept as given (``postgresql://…``).

    A server address is read as a URL before any path handling (``Path`` would make it folders called
    ``postgresql:``); it is passed on as text, which ``open_base`` recognises.
    """
    from custdesk.core.storage.target import is_server_url

    db: str | None = getattr(args, "db", None)
    if db and is_server_url(db):
        return db  # type: ignore[return-value]  # open_base takes the address as text
    return Path(db).expanduser() if db else paths.default_base_path()


def _file_only(args: argparse.Namespace, what: str) -> None:
    """Refuse a file-level command (``what``: its name) on a server base, with what to do instead."""
    from custdesk.core.storage.target import is_server_url

    db: str | None = getattr(args, "db", None)
    if db and is_server_url(db):
        raise CustDeskError(
            _(
                "custdesk-cli {command} works on a base file; a base on a server is backed up and "
                "checked by the server's owner with pg_dump (see the README)."
            ).format(command=what)
        )


def _busy_timeout(args: argparse.Namespace) -> int:
    from custdesk.core.db import BUSY_TIMEOUT_MS

    value: int | None = getattr(args, "busy_timeout", None)
    return BUSY_TIMEOUT_MS if value is None else value


def _open_readonly(args: argparse.Namespace) -> Database:
    """Open the base for reading: no lock taken, nothing created (a missing base is an error)."""
    from custdesk.core.db import open_base

    return open_base(_base_path(args), readonly=True, busy_timeout_ms=_busy_timeout(args))


def _jsonable(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Path):
        return str(value)
    raise TypeError(type(value).__name__)


def _print_json(data: Any) -> None:
    """``data`` as compact UTF-8 JSON on standard output (orjson: a 100,000-client analysis in well
    under a second; dates ISO 8601, amounts as decimal strings)."""
    import orjson

    text = orjson.dumps(data, default=_jsonable, option=orjson.OPT_NON_STR_KEYS | orjson.OPT_APPEND_NEWLINE)
    out = sys.stdout
    out.flush()
    buffer = getattr(out, "buffer", None)
    if buffer is not None and (out.encoding or "").lower().replace("-", "") == "utf8":
        buffer.write(text)
        buffer.flush()
    else:
        out.write(text.decode())


def _print_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    widths = [len(h) for h in headers]
    for row in rows:
        widths = [max(w, len(cell)) for w, cell in zip(widths, row, strict=True)]
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip())
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())


def _size(n: int) -> str:
    return ngettext("{size} byte", "{size} bytes", n).format(size=i18n.format_number(n))


# ---------------------------------------------------------------------------------------------------------
# demo


DEMO_FIGURES = {
    "clients": N_("clients"),
    "organisations": N_("organisations"),
    "buyers": N_("buyers"),
    "one_time_buyers": N_("one-time buyers"),
    "purchases": N_("purchases"),
    "returns": N_("returns"),
    "interactions": N_("interactions"),
    "reminders": N_("reminders"),
    "phones": N_("phones"),
    "emails": N_("e-mails"),
    "tagged_clients": N_("tagged clients"),
    "sales_plans": N_("sales plans"),
    "overdue_calls": N_("overdue calls"),
    "calls_today": N_("calls today"),
    "seconds": N_("seconds"),
}


def _demo_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--clients", type=_positive_int, default=1000, metavar="N", help=_("how many clients (default 1000)")
    )
    p.add_argument(
        "--seed", type=int, default=1, metavar="S", help=_("the random seed: the same seed, the same base")
    )
    _add_json(p)


@command("demo", N_("make a demo base full of plausible clients, purchases and history"), _demo_arguments)
def _demo(args: argparse.Namespace) -> int:
    from sqlalchemy import func, select

    from custdesk.core.db import open_base
    from custdesk.core.models import Client

    _file_only(args, "demo")
    path = _base_path(args)
    show_progress = sys.stderr.isatty() and not args.json

    def progress(done: int, total: int) -> None:
        if show_progress:
            print(
                "\r" + _("{done} of {total} clients").format(done=done, total=total), end="", file=sys.stderr
            )

    with open_base(path, auto_backup=False, busy_timeout_ms=_busy_timeout(args)) as db:
        with db.session() as s:
            existing = s.scalar(select(func.count(Client.id))) or 0
        if existing:
            raise CustDeskError(
                ngettext(
                    "The base {path} already holds {count} client; the demo needs a new base. "
                    "Give another path with --db.",
                    "The base {path} already holds {count} clients; the demo needs a new base. "
                    "Give another path with --db.",
                    existing,
                ).format(path=db.path, count=existing)
            )
        from custdesk.core.demo import generate_demo  # after the base is open: its checks come first

        stats = generate_demo(db, clients=args.clients, seed=args.seed, progress=progress)
    if show_progress:
        print(file=sys.stderr)
    figures = (
        dataclasses.asdict(stats)
        if dataclasses.is_dataclass(stats) and not isinstance(stats, type)
        else dict(vars(stats))
    )
    if args.json:
        _print_json({"path": str(db.path), **figures})
        return EXIT_OK
    print(_("Demo base made: {path}").format(path=db.path))
    names = {key: _(DEMO_FIGURES.get(key, key.replace("_", " "))) for key in figures}
    width = max((len(n) for n in names.values()), default=0)
    for key, value in figures.items():
        shown = i18n.format_number(value) if isinstance(value, int | Decimal) else str(value)
        print(_("  {figure}: {value}").format(figure=names[key].ljust(width), value=shown))
    return EXIT_OK


# ---------------------------------------------------------------------------------------------------------
# clients

CLIENT_JSON_KEYS = (
    "id",
    "external_id",
    "name",
    "organisation",
    "phone",
    "email",
    "city",
    "funnel",
    "temperature",
    "next_call",
)


def _clients_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--search", metavar="TEXT", help=_("only clients matching TEXT (name, phone, e-mail, city)")
    )
    p.add_argument("--archived", action="store_true", help=_("include archived clients"))
    p.add_argument("--limit", type=_positive_int, metavar="N", help=_("at most N clients"))
    _add_json(p)


@command("clients", N_("list the clients of the base"), _clients_arguments)
def _clients(args: argparse.Namespace) -> int:
    from custdesk.core.services.client_list import list_clients
    from custdesk.core.vocab import TEMPERATURES, funnel_label, label

    with _open_readonly(args) as db:
        rows = list_clients(db, search=args.search, include_archived=args.archived, limit=args.limit)
        if args.json:
            from custdesk.core.services import custom_fields

            custom = custom_fields.named_values(db, [row.id for row in rows])
    if args.json:
        _print_json(
            [
                {**{key: getattr(row, key) for key in CLIENT_JSON_KEYS}, "custom": custom[row.id]}
                for row in rows
            ]
        )
        return EXIT_OK
    headers = [
        _("ID"),
        _("Name"),
        _("Organisation"),
        _("Phone"),
        _("E-mail"),
        _("City"),
        _("Funnel"),
        _("Temperature"),
        _("Next call"),
    ]
    table = [
        [
            str(r.id),
            r.name,
            r.organisation,
            r.phone or "",
            r.email or "",
            r.city,
            funnel_label(r.funnel),
            label(TEMPERATURES, r.temperature),
            i18n.format_date(r.next_call),
        ]
        for r in rows
    ]
    if table:
        _print_table(headers, table)
    print(ngettext("{count} client", "{count} clients", len(rows)).format(count=len(rows)))
    return EXIT_OK


# ---------------------------------------------------------------------------------------------------------
# check


def _check_arguments(p: argparse.ArgumentParser) -> None:
    _add_json(p)


@command(
    "check",
    N_("check the base: SQLite integrity and links, and the application's rules (exit 1 on problems)"),
    _check_arguments,
)
def _check(args: argparse.Namespace) -> int:
    from custdesk.core.check import check_base

    _file_only(args, "check")
    report = check_base(_base_path(args), busy_timeout_ms=_busy_timeout(args))
    if args.json:
        _print_json(
            {
                "path": str(report.path),
                "revision": report.revision,
                "ok": report.ok,
                "problems": [dataclasses.asdict(p) for p in report.problems],
            }
        )
    elif report.ok:
        print(_("The base {path} passed every check.").format(path=report.path))
    else:
        count = len(report.problems)
        print(
            ngettext("{count} problem found in {path}:", "{count} problems found in {path}:", count).format(
                count=count, path=report.path
            )
        )
        for problem in report.problems:
            print(_("- {problem}").format(problem=problem.message))
    return EXIT_OK if report.ok else EXIT_PROBLEMS


# ---------------------------------------------------------------------------------------------------------
# backup


def _backup_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--to",
        metavar="FILE",
        help=_("the backup file or a folder for it (default: the base's backup folder in the data folder)"),
    )
    _add_json(p)


@command(
    "backup",
    N_("back up the base, even while CustDesk has it open (SQLite's online backup)"),
    _backup_arguments,
)
def _backup(args: argparse.Namespace) -> int:
    from custdesk.core.backup import make_backup

    _file_only(args, "backup")
    with _open_readonly(args) as db:  # checks that it is a base this CustDesk can read
        path = db.path
    target = make_backup(path, Path(args.to).expanduser() if args.to else None)
    size = target.stat().st_size
    if args.json:
        _print_json({"base": str(path), "backup": str(target), "size": size})
    else:
        print(_("Backed up {base} to {backup} ({size}).").format(base=path, backup=target, size=_size(size)))
    return EXIT_OK


# ---------------------------------------------------------------------------------------------------------
# restore


def _restore_arguments(p: argparse.ArgumentParser) -> None:
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument(
        "--from",
        dest="source",
        metavar="FILE",
        help=_("replace the base with this backup (checked first; the current base is kept as a copy)"),
    )
    what.add_argument("--list", action="store_true", help=_("list the backups of the base, newest first"))
    _add_json(p)


@command("restore", N_("restore the base from a backup, or list its backups"), _restore_arguments)
def _restore(args: argparse.Namespace) -> int:
    from custdesk.core import backup, restore
    from custdesk.core.errors import BaseOpenError, NotABaseError

    _file_only(args, "restore")
    path = _base_path(args).absolute()
    if args.list:
        if path.is_dir():
            raise NotABaseError(_("{path} is a folder, not a CustDesk base.").format(path=path))
        found = backup.list_backups(path)
        if not found and not path.exists():
            raise BaseOpenError(_("There is no base at {path}, and no backups of it.").format(path=path))
        if args.json:
            _print_json(
                [
                    {
                        "path": b.path,
                        "kind": b.kind,
                        "made_at": b.made_at,
                        "size": b.size,
                        "sequence": b.seq,
                        "problem": b.problem,
                    }
                    for b in found
                ]
            )
        elif not found:
            print(_("There are no backups of {path} yet.").format(path=path))
        else:
            kinds = {
                "auto": _("automatic"),
                "manual": _("by hand"),
                "before-upgrade": _("before an upgrade"),
                "before-restore": _("before a restore"),
            }
            table = [
                [
                    i18n.format_date(b.made_at.date()) + b.made_at.strftime(" %H:%M:%S"),
                    kinds[b.kind]
                    if b.problem is None
                    else _("{kind}, does not check out: {problem}").format(
                        kind=kinds[b.kind], problem=b.problem
                    ),
                    _size(b.size),
                    str(b.path),
                ]
                for b in found
            ]
            _print_table([_("Made"), _("Kind"), _("Size"), _("File")], table)
            print(ngettext("{count} backup", "{count} backups", len(found)).format(count=len(found)))
        return EXIT_OK
    source = Path(args.source).expanduser().absolute()
    safety = restore.restore(path, source, busy_timeout_ms=_busy_timeout(args))
    if args.json:
        _print_json({"base": path, "backup": source, "before_restore": safety})
        return EXIT_OK
    print(_("Restored {base} from {backup}.").format(base=path, backup=source))
    if safety is not None:
        print(_("The previous base is kept as {copy}.").format(copy=safety))
    return EXIT_OK


# ---------------------------------------------------------------------------------------------------------
# The frame


def _global_options(*, suppress: bool) -> argparse.ArgumentParser:
    """The options every subcommand accepts; ``suppress`` keeps a subparser from resetting them."""
    default = argparse.SUPPRESS if suppress else None
    p = ArgumentParser(add_help=False)
    p.add_argument(
        "--db",
        metavar="PATH",
        default=default,
        help=_("the base file (default: {path})").format(path=paths.default_base_path()),
    )
    p.add_argument(
        "--data-dir", metavar="DIR", default=default, help=_("the data folder (backups, default base, logs)")
    )
    p.add_argument(
        "--lang",
        choices=i18n.LANGUAGES,
        default=default,
        help=_("the language of messages (default: the system's)"),
    )
    p.add_argument(
        "--busy-timeout",
        type=_non_negative_int,
        metavar="MS",
        default=default,
        help=_("how long to wait for a base another program keeps busy, in milliseconds (default 5000)"),
    )
    p.add_argument(
        "--user",
        metavar="NAME",
        default=default,
        help=_("who you are on a protected base (the password: the prompt, or CUSTDESK_PASSWORD)"),
    )
    return p


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every registered subcommand (help, argparse's own words and errors in
    the current language)."""
    parser = ArgumentParser(
        prog="custdesk-cli",
        description=_("CustDesk from the console: make, list, check, back up and restore client bases."),
        parents=[_global_options(suppress=False)],
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar=_("COMMAND"))
    from custdesk import commands

    commands.load_all()
    for cmd in COMMANDS.values():
        p = sub.add_parser(
            cmd.name, help=_(cmd.help), description=_(cmd.help), parents=[_global_options(suppress=True)]
        )
        cmd.add_arguments(p)
    return parser


def _apply_early_options(argv: Sequence[str]) -> None:
    """Language and data folder first, so that help texts and default paths follow them."""
    early = argparse.ArgumentParser(add_help=False, exit_on_error=False)
    early.add_argument("--lang", choices=i18n.LANGUAGES)
    early.add_argument("--data-dir")
    try:
        known, _rest = early.parse_known_args(argv)
    except (argparse.ArgumentError, SystemExit):  # a bad --lang: the full parser reports it, once
        known = argparse.Namespace(lang=None, data_dir=None)
    i18n.set_language(known.lang)
    if known.data_dir:
        paths.set_data_dir(known.data_dir)


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``custdesk-cli`` with ``argv`` (default: the command line); returns the exit code."""
    console.utf8_when_redirected()  # a pipe or a file gets UTF-8, whatever the code page
    argv = list(sys.argv[1:] if argv is None else argv)
    _apply_early_options(argv)
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, or a usage error (argparse printed it)
        return exc.code if isinstance(exc.code, int) else EXIT_BAD_INPUT
    if not args.command:
        parser.print_help(sys.stderr)
        return EXIT_BAD_INPUT
    warnings = logging.StreamHandler(sys.stderr)  # what the core warns about (a missing journal, say)
    warnings.setLevel(logging.WARNING)
    warnings.setFormatter(logging.Formatter("%(message)s"))
    core_log = logging.getLogger("custdesk")
    core_log.addHandler(warnings)
    try:
        return _run(args)
    except KeyboardInterrupt:
        print(_("Interrupted."), file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:  # the last line of defence: a bug is one line and a log entry, not a traceback
        where = _log_unexpected(exc)
        if where is None:
            print(
                _(
                    "CustDesk stopped on an unexpected error: {error}. The log file could not be written."
                ).format(error=f"{type(exc).__name__}: {exc}"),
                file=sys.stderr,
            )
        else:
            print(
                _(
                    "CustDesk stopped on an unexpected error: {error}. The details are in the log file {log}."
                ).format(error=f"{type(exc).__name__}: {exc}", log=where),
                file=sys.stderr,
            )
        return EXIT_UNEXPECTED
    finally:
        core_log.removeHandler(warnings)


def _run(args: argparse.Namespace) -> int:
    """Run the subcommand; the errors a person can act on become their message and exit code 2."""
    try:
        _sign_in(args)
        return COMMANDS[args.command].run(args)
    except CustDeskError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_BAD_INPUT
    except UnicodeDecodeError as exc:  # a text value whose bytes were damaged on disk
        print(
            _("The base {path} is damaged ({reason}). Restore it from a backup.").format(
                path=_base_path(args), reason=exc.reason
            ),
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    except DBAPIError as exc:  # met while reading, outside a session that translates it
        from custdesk.core.db import translate_db_error

        error = translate_db_error(exc, Path(str(_base_path(args))))
        if not isinstance(error, CustDeskError):
            raise
        print(str(error), file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as exc:
        if exc.errno not in (errno.ENOSPC, errno.EDQUOT):
            raise
        print(
            _("The disk is full ({path}); the command stopped. Free some space and run it again.").format(
                path=exc.filename or Path(str(_base_path(args))).parent
            ),
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT


def read_secret(prompt: str) -> str:
    """A password or key: asked without echo on a terminal, else one line of standard input."""
    import getpass

    if sys.stdin is not None and sys.stdin.isatty():
        return getpass.getpass(prompt)
    line = sys.stdin.readline() if sys.stdin is not None else ""
    return line.rstrip("\r\n")


def _sign_in(args: argparse.Namespace) -> None:
    """On a protected base, sign in as ``--user`` before the command runs (one place for every command).

    The password comes from ``CUSTDESK_PASSWORD`` when set, else from the prompt. A base that is not
    protected (or not a base yet) needs no user. ``users recover`` signs in with the recovery key instead.

    Raises:
        AccessDenied: no user given, a wrong password, a locked-out user, or a role that may not run a
            command the services cannot guard themselves (``restore``); nothing was written but the
            count of wrong passwords.
    """
    from custdesk.core.db import open_base
    from custdesk.core.services import access, users

    access.sign_in(None)
    if (args.command, getattr(args, "users_action", None)) == ("users", "recover"):
        return
    path = _base_path(args)
    if isinstance(path, Path) and not path.is_file():  # a server's address (text) is always looked at
        return
    try:
        with open_base(path, readonly=True, busy_timeout_ms=_busy_timeout(args)) as db:
            protected = users.is_protected(db)
    except Exception:  # not a base (yet), an older schema without users, a damaged one: the command says
        # (on a protected base the services still refuse a change to anybody not signed in)
        return
    if not protected:
        return
    name = getattr(args, "user", None)
    if not name:
        raise access.AccessDenied(
            _("The base {path} is protected: give --user NAME (and the password).").format(path=path)
        )
    password = os.environ.get("CUSTDESK_PASSWORD")
    if password is None:
        password = read_secret(_("Password for {name}: ").format(name=name))
    with open_base(path, create=False, auto_backup=False, busy_timeout_ms=_busy_timeout(args)) as db:
        actor = users.authenticate(db, name, password)
    access.sign_in(actor)
    if args.command == "restore" and access.Permission.RESTORE not in access.RULES[actor.role]:
        raise access.AccessDenied(_("Only the owner may restore a backup."))


def _log_unexpected(exc: BaseException) -> Path | None:
    """Write the traceback of an unexpected error to the log file; returns the file (None: unwritable)."""
    path = paths.log_file()
    try:
        paths.private_dir(path.parent)
        private = paths.PRIVATE_FILE_MODE
        with open(path, "a", encoding="utf-8", opener=lambda p, flags: os.open(p, flags, private)) as fh:
            fh.write(f"custdesk-cli {__version__}: unexpected error in {' '.join(sys.argv[1:])}\n")
            fh.write("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))
    except OSError:
        return None
    return path


if __name__ == "__main__":
    # Run the imported module, not this __main__ copy: command modules register into custdesk.cli.
    from custdesk import cli as _cli

    raise SystemExit(_cli.main())
