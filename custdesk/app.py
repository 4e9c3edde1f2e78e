"""The composition root of the GUI: arguments, logging, language, QApplication, then the session.

``custdesk [BASE]`` opens BASE (or ``--db PATH``); without one it opens the last base used or the default
base, and on a machine with neither it shows the first-run window. A base that cannot be opened gives a
dialog, never a traceback; an unexpected error anywhere is logged and shown by the excepthook.
"""

from __future__ import annotations

import argparse
import io
import logging
import logging.handlers
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import TextIO

from custdesk import APP_NAME, ORG_NAME, __version__, i18n, paths
from custdesk.argparse_i18n import ArgumentParser
from custdesk.i18n import _

log = logging.getLogger("custdesk.app")

LOG_MAX_BYTES = 1_000_000
LOG_BACKUPS = 5


def build_parser() -> argparse.ArgumentParser:
    """The command line of ``custdesk`` (its help and errors in the current language)."""
    parser = ArgumentParser(
        prog="custdesk",
        description=_("CustDesk: the client base of a small firm (the desktop application)."),
        epilog=_(
            "Without a base it opens the last base used, else the default base in the data folder; "
            "on a first run it offers the demo base or an empty one."
        ),
    )
    parser.add_argument("base", nargs="?", metavar="BASE", help=_("the base file to open"))
    parser.add_argument(
        "--db",
        metavar="PATH",
        help=_(
            "the base file to open (the same as BASE), or a server base: postgresql://user@host:port/base"
        ),
    )
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help=_("the folder of the default base, backups and the log (default: {folder})").format(
            folder=paths.data_dir()
        ),
    )
    parser.add_argument(
        "--lang", choices=i18n.LANGUAGES, help=_("the interface language (default: the system's)")
    )
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help=_(
            "check this installation offscreen (a temporary base, a client, its card printed to PDF), "
            "print the result and exit: 0 when all is well"
        ),
    )
    parser.add_argument("--report", metavar="FILE", help=_("with --self-test: also write the result to FILE"))
    return parser


class PrivateLogHandler(logging.handlers.RotatingFileHandler):
    """A rotating log file created 0600 on POSIX (it names clients and bases), also after a rollover."""

    def _open(self) -> TextIO:
        if not os.path.exists(self.baseFilename):
            paths.create_private_file(self.baseFilename)
        return super()._open()


def setup_logging() -> Path | None:
    """Log to a rotating file in the data folder and to stderr; returns the log file (None if unwritable)."""
    root = logging.getLogger("custdesk")
    root.setLevel(logging.INFO)
    for handler in list(root.handlers):
        root.removeHandler(handler)
        handler.close()
    fmt = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    stderr = logging.StreamHandler(sys.stderr)
    stderr.setLevel(logging.WARNING)
    stderr.setFormatter(fmt)
    root.addHandler(stderr)
    path = paths.log_file()
    try:
        paths.private_dir(path.parent)
        handler = PrivateLogHandler(path, maxBytes=LOG_MAX_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8")
    except OSError as exc:
        root.warning("cannot write the log file %s: %s", path, exc)
        return None
    handler.setFormatter(fmt)
    root.addHandler(handler)
    return path


def excepthook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    """Log an unexpected error and show it in a dialog (the application keeps running)."""
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, exc, tb)
        return
    log.critical("unexpected error", exc_info=(kind, exc, tb))
    from PySide6.QtWidgets import QApplication, QMessageBox

    if QApplication.instance() is None or getattr(excepthook, "_showing", False):
        traceback.print_exception(kind, exc, tb)
        return
    excepthook._showing = True  # type: ignore[attr-defined]  # no dialog storm from a repeating error
    try:
        box = QMessageBox(QMessageBox.Icon.Critical, APP_NAME, _("Something went wrong."))
        box.setInformativeText(
            _(
                "{error}\n\nThe details are in the log file {log}. Save your work and restart CustDesk."
            ).format(error=f"{kind.__name__}: {exc}", log=paths.log_file())
        )
        box.setDetailedText("".join(traceback.format_exception(kind, exc, tb)))
        box.exec()
    finally:
        excepthook._showing = False  # type: ignore[attr-defined]


def make_application(argv: list[str]) -> object:
    """The QApplication with CustDesk's names and the language's layout direction."""
    from PySide6.QtCore import QCoreApplication, Qt
    from PySide6.QtWidgets import QApplication

    QCoreApplication.setOrganizationName(ORG_NAME)
    QCoreApplication.setApplicationName(APP_NAME)
    QCoreApplication.setApplicationVersion(__version__)
    app = QApplication.instance() or QApplication(argv)
    assert isinstance(app, QApplication)
    app.setApplicationDisplayName(APP_NAME)
    from PySide6.QtGui import QIcon

    app.setWindowIcon(QIcon(str(paths.RESOURCES_DIR / "app.png")))  # title bars and the task bar
    app.setQuitOnLastWindowClosed(False)  # the session quits: windows come and go while bases switch
    app.setLayoutDirection(
        Qt.LayoutDirection.RightToLeft if i18n.is_rtl() else Qt.LayoutDirection.LeftToRight
    )
    from custdesk.ui.language import install_qt_translations

    install_qt_translations(app)  # Qt's own dialogs (message box buttons, file dialog) in the language
    return app


def state_settings(private: bool) -> object:
    """Per-user UI state (geometry, columns, recent bases) in QSettings.

    With a data folder of its own (``--data-dir`` or ``CUSTDESK_DATA_DIR``) the state is kept in that
    folder too, so a test or a second installation never mixes with the owner's.
    """
    from PySide6.QtCore import QSettings

    if private:
        return QSettings(str(paths.data_dir() / "ui-state.ini"), QSettings.Format.IniFormat)
    return QSettings(ORG_NAME, APP_NAME)


def _early_language(argv: Sequence[str]) -> str | None:
    """The ``--lang`` of the command line before it is parsed (None: absent or not one we speak)."""
    early = argparse.ArgumentParser(add_help=False, exit_on_error=False)
    early.add_argument("--lang")
    try:
        known, _rest = early.parse_known_args(argv)
    except argparse.ArgumentError:
        return None
    return known.lang if known.lang in i18n.LANGUAGES else None


def show_without_console(text: str, *, error: bool) -> None:
    """Show what ``--help``, ``--version`` or a usage error printed, in a message box.

    The windowed ``CustDesk.exe`` has no console (``sys.stdout`` is None): without this, ``CustDesk.exe
    --help`` would show nothing at all. The box points to ``custdesk-cli``, the console tool.
    """
    from PySide6.QtCore import QCoreApplication, Qt
    from PySide6.QtGui import QFontDatabase
    from PySide6.QtWidgets import QApplication, QMessageBox

    if QApplication.instance() is None:
        QCoreApplication.setApplicationName(APP_NAME)
        show_without_console.application = QApplication(  # type: ignore[attr-defined]  # kept alive
            [sys.argv[0] if sys.argv else "custdesk"]
        )
    icon = QMessageBox.Icon.Warning if error else QMessageBox.Icon.Information
    box = QMessageBox(icon, APP_NAME, text.strip())
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))  # argparse aligns columns
    box.setInformativeText(
        _(
            "CustDesk.exe is the windowed program and has no console. In a command window, the console "
            "tool is custdesk-cli: custdesk-cli --help lists what it does."
        )
    )
    box.exec()


def _parse_arguments(args_list: list[str]) -> argparse.Namespace:
    """The parsed command line; without a console, help, version and usage errors go to a message box."""

    def parse() -> argparse.Namespace:
        args = build_parser().parse_args(args_list)
        if args.base and args.db and Path(args.base) != Path(args.db):
            build_parser().error(_("give the base either as BASE or with --db, not both"))
        return args

    if sys.stdout is not None and sys.stderr is not None:
        return parse()
    captured = io.StringIO()
    saved = sys.stdout, sys.stderr
    sys.stdout = sys.stderr = captured
    try:
        return parse()
    except SystemExit as exc:
        sys.stdout, sys.stderr = saved
        if captured.getvalue().strip():
            show_without_console(captured.getvalue(), error=exc.code not in (0, None))
        raise
    finally:
        sys.stdout, sys.stderr = saved


def main(argv: Sequence[str] | None = None) -> int:
    """Run the GUI; returns the exit code (not 0 when the owner quit after a base could not be opened)."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    i18n.set_language(_early_language(args_list))  # the help speaks --lang, else the system's language
    args = _parse_arguments(args_list)
    if args.self_test:
        from custdesk.ui.self_test import run_self_test

        i18n.set_language(args.lang)
        return run_self_test(report=Path(args.report) if args.report else None)
    if args.data_dir:
        paths.set_data_dir(args.data_dir)
    from custdesk.ui.language import choose_language

    state = state_settings(bool(args.data_dir or os.environ.get("CUSTDESK_DATA_DIR")))
    language = choose_language(args.lang, state)  # type: ignore[arg-type]  # --lang, saved, the system's
    log_path = setup_logging()
    log.info("CustDesk %s starting (language %s, data folder %s)", __version__, language, paths.data_dir())

    from custdesk.ui import theme

    theme.use_platform_dialogs(os.environ)  # the desktop's own file dialog, where there is one
    app = make_application([sys.argv[0] if sys.argv else "custdesk", *args_list])
    theme.apply_scheme(theme.saved_scheme(state), app)  # type: ignore[arg-type]  # light, dark or the system's
    from custdesk.ui.session import Session
    from custdesk.ui.tasks import ChangeBus, TaskRunner

    sys.excepthook = excepthook
    runner = TaskRunner()
    session = Session(runner, ChangeBus(), state)  # type: ignore[arg-type]
    exit_code = {"code": 0}

    def finished(code: int) -> None:
        exit_code["code"] = code
        app.quit()  # type: ignore[attr-defined]

    session.finished.connect(finished)
    base = args.db or args.base
    from custdesk.core.storage.target import is_server_url

    # A server address (postgresql://…) stays text: as a Path it would become folders called "postgresql:".
    session.start(base if base and is_server_url(base) else Path(base) if base else None)
    app.exec()  # type: ignore[attr-defined]
    runner.shutdown()
    log.info("CustDesk stopped (exit code %s; log %s)", exit_code["code"], log_path)
    return exit_code["code"]
