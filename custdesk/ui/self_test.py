"""``custdesk --self-test``: check that this installation (a source tree or a frozen bundle) works.

It runs offscreen, opens no window and touches nothing of the owner's: a fresh base in a temporary folder
(migrated from the shipped Alembic scripts), one client made through the services (phone and e-mail
validation load phonenumbers' and email-validator's data), its card printed to a PDF as File > Print
makes it (:mod:`custdesk.io.cards` + :mod:`custdesk.ui.printing`), its text read back with pypdf (a PDF
printed without fonts, as Qt offscreen on Windows makes without ``QT_QPA_FONTDIR``, has none; so does
Qt with no font at all, which fails earlier). Beside that it checks the files a frozen bundle must
carry: Qt's platform, print-support, image-format and style plugins, matplotlib's data and backends,
Babel's locale data for every language. Each step prints one line; the first failure names the step
and the reason, and the exit code is 1 (0 when every step passed).
"""

from __future__ import annotations

import importlib.util
import os
import sys
import tempfile
import time
import traceback
import unicodedata
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import TextIO

from custdesk import APP_NAME, ORG_NAME, __version__, paths
from custdesk.core.errors import CustDeskError
from custdesk.i18n import _, ngettext
from custdesk.offscreen import use_offscreen

CLIENT_NAME = "Анна Selftest-Öberg"  # Cyrillic and a diacritic: the PDF must carry real glyphs
CLIENT_PHONE = "+7 912 345-67-89"
CLIENT_EMAIL = "anna.selftest@example.com"
BABEL_LOCALES = ("en_US", "ru_RU", "fi_FI", "fa_IR")
MATPLOTLIB_BACKENDS = ("backend_qtagg", "backend_agg", "backend_pdf")


_application: object = None  # the QApplication the self-test made, when there was none


class SelfTestFailed(Exception):
    """A check found a problem; the message says what (for the report)."""


def _platform_plugin_names() -> tuple[str, ...]:
    """The file-name stems of the Qt platform plugins the application needs on this system."""
    if sys.platform == "win32":
        return ("qwindows", "qoffscreen")
    if sys.platform == "darwin":
        return ("libqcocoa", "libqoffscreen")
    return ("libqxcb", "libqoffscreen")


def check_qt_plugins() -> str:
    """The Qt plugins a frozen bundle must carry are in Qt's plugin folder."""
    from PySide6.QtCore import QLibraryInfo

    root = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath))

    def stems(folder: str) -> set[str]:
        where = root / folder
        return {p.name.split(".")[0] for p in where.iterdir()} if where.is_dir() else set()

    missing = [f"platforms/{n}" for n in _platform_plugin_names() if n not in stems("platforms")]
    if not stems("imageformats"):
        missing.append("imageformats/*")
    if sys.platform.startswith("linux") and not stems("printsupport"):
        missing.append("printsupport/*")  # CUPS; on Windows and macOS Qt 6 has print support built in
    if sys.platform == "win32" and not stems("styles"):
        missing.append("styles/*")  # the Windows 11 look (qmodernwindowsstyle)
    if missing:
        raise SelfTestFailed(
            _("Qt plugins are missing in {folder}: {names}").format(folder=root, names=", ".join(missing))
        )
    return str(root)


def check_data_files() -> str:
    """matplotlib's data and backends and Babel's locale data are there (nothing is drawn or loaded)."""
    from babel.numbers import format_currency

    amounts = [format_currency(Decimal("1234.50"), "EUR", locale=loc) for loc in BABEL_LOCALES]
    import matplotlib

    data = Path(matplotlib.get_data_path())
    for needed in ("matplotlibrc", "fonts/ttf/DejaVuSans.ttf"):
        if not (data / needed).is_file():
            raise SelfTestFailed(_("matplotlib's data file {path} is missing").format(path=data / needed))
    for backend in MATPLOTLIB_BACKENDS:
        if importlib.util.find_spec(f"matplotlib.backends.{backend}") is None:
            raise SelfTestFailed(_("matplotlib's backend {name} is missing").format(name=backend))
    return " | ".join(amounts)


def print_card_pdf(db: object, client_id: int, pdf: Path) -> int:
    """Print the client's card to ``pdf`` as File > Print does (io.cards + ui.printing); returns pages."""
    from custdesk.core.db import Database
    from custdesk.core.services import settings
    from custdesk.io.cards import card_documents
    from custdesk.ui.printing import print_to_pdf

    assert isinstance(db, Database)
    documents = card_documents(db, [client_id])
    return print_to_pdf(documents, pdf, firm_name=str(settings.get(db, "firm_name")))


def pdf_text(pdf: Path) -> str:
    """The text of every page of ``pdf`` as pypdf reads it (through the fonts' ToUnicode maps), NFKC."""
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    text = " ".join(page.extract_text() or "" for page in reader.pages)
    return " ".join(unicodedata.normalize("NFKC", text).split())  # one space for tabs and line breaks


def check_pdf(pdf: Path, name: str) -> str:
    """The PDF exists, is a PDF, and its text shows ``name``: glyphs with a Unicode map, not just ink.

    Read with pypdf, which every installation carries (poppler's ``pdftotext`` is rarely on an owner's
    PC): a card printed with no font (Qt offscreen on Windows without ``QT_QPA_FONTDIR``) has no text.
    """
    if not pdf.is_file() or pdf.stat().st_size == 0:
        raise SelfTestFailed(_("the printed card {path} is missing or empty").format(path=pdf))
    if not pdf.read_bytes().startswith(b"%PDF"):
        raise SelfTestFailed(_("the printed card {path} is not a PDF").format(path=pdf))
    size = pdf.stat().st_size
    text = pdf_text(pdf)
    if name not in text:
        raise SelfTestFailed(
            _("the printed card does not show the client's name {name!r} (its text: {text!r})").format(
                name=name, text=text[:200]
            )
        )
    return _("{size} bytes, its text shows {name!r}").format(size=size, name=name)


def _ensure_application() -> None:
    use_offscreen()  # no window, no display needed; on Windows with fonts (QT_QPA_FONTDIR)
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    global _application
    if QApplication.instance() is None:
        QCoreApplication.setOrganizationName(ORG_NAME)
        QCoreApplication.setApplicationName(APP_NAME)
        _application = QApplication([sys.argv[0] if sys.argv else "custdesk"])  # kept alive here


def run_self_test(
    folder: Path | None = None, *, out: TextIO | None = None, report: Path | None = None
) -> int:
    """Run every check; returns 0 when all passed, 1 at the first failure (its reason is printed).

    Args:
        folder: where to make the base and the PDF (None: a new temporary folder, removed afterwards).
        out: where to print the report (None: standard output, when there is one).
        report: also write the report to this file (a windowed program has no console to print to).
    """
    lines: list[str] = []

    def say(line: str) -> None:
        lines.append(line)
        stream = out if out is not None else sys.stdout
        if stream is not None:
            print(line, file=stream, flush=True)

    started = time.perf_counter()
    say(
        _("{app} {version} self-test ({kind}, Python {python}, {platform})").format(
            app=APP_NAME,
            version=__version__,
            kind=_("frozen bundle") if getattr(sys, "frozen", False) else _("source"),
            python=sys.version.split()[0],
            platform=sys.platform,
        )
    )
    temporary = None if folder is not None else tempfile.TemporaryDirectory(prefix="custdesk-self-test-")
    work = Path(temporary.name) if temporary is not None else Path(str(folder))
    paths.set_data_dir(work / "data")  # backups and logs, if any, stay in the temporary folder
    state: dict[str, object] = {}
    steps: list[tuple[str, Callable[[], str]]] = [
        # The base work first: once PySide6 is imported, every later import pays for its import hook.
        (_("a fresh base opens (migrations run)"), lambda: _open(work, state)),
        (_("a client is created through the services"), lambda: _create_client(state)),
        (_("matplotlib and Babel data are there"), check_data_files),
        (_("Qt starts offscreen"), _start_qt),
        (_("Qt plugins are there"), check_qt_plugins),
        (_("the client's card prints to PDF"), lambda: _print(work, state)),
        (_("the base closes"), lambda: _close(state)),
    ]
    code = 0
    try:
        for title, step in steps:
            t0 = time.perf_counter()
            try:
                detail = step()
            except Exception as exc:
                explained = isinstance(exc, SelfTestFailed | CustDeskError)  # a message meant for people
                reason = str(exc) if explained else f"{type(exc).__name__}: {exc}"
                say(_("FAILED  {step}: {reason}").format(step=title, reason=reason))
                if not explained:
                    say("".join(traceback.format_exception(exc)).rstrip())
                code = 1
                break
            say(
                _("ok      {step} ({seconds:.2f} s) {detail}")
                .format(step=title, seconds=time.perf_counter() - t0, detail=detail)
                .rstrip()
            )
    finally:
        _close(state)
        paths.set_data_dir(None)
        if temporary is not None:
            temporary.cleanup()
    total = time.perf_counter() - started
    if code == 0:
        say(_("self-test passed in {seconds:.2f} s").format(seconds=total))
    else:
        say(_("self-test FAILED after {seconds:.2f} s").format(seconds=total))
    if report is not None:
        report.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return code


def _start_qt() -> str:
    _ensure_application()
    from PySide6.QtGui import QFontDatabase, QGuiApplication

    families = QFontDatabase.families()
    if not families:
        raise SelfTestFailed(
            _("Qt finds no fonts (font folder: {folder}); a printed card would have no text").format(
                folder=os.environ.get("QT_QPA_FONTDIR") or _("Qt's default")
            )
        )
    count = ngettext("{count} font family", "{count} font families", len(families)).format(
        count=len(families)
    )
    return _("{platform}, {fonts}").format(platform=QGuiApplication.platformName(), fonts=count)


def _open(work: Path, state: dict[str, object]) -> str:
    from custdesk.core.db import open_base

    db = open_base(work / "self-test.sqlite", auto_backup=False)
    state["db"] = db
    return str(db.path)


def _create_client(state: dict[str, object]) -> str:
    from custdesk.core.db import Database
    from custdesk.core.dto import ClientInput, EmailInput, PhoneInput
    from custdesk.core.services.clients import create_client, get_client

    db = state["db"]
    assert isinstance(db, Database)
    made = create_client(
        db,
        ClientInput(
            name=CLIENT_NAME,
            city="Helsinki",
            phones=(PhoneInput(CLIENT_PHONE, is_primary=True),),
            emails=(EmailInput(CLIENT_EMAIL, is_primary=True),),
        ),
        who="self-test",
    )
    card = get_client(db, made.id)
    if card.name != CLIENT_NAME or [p.number for p in card.phones] != ["+79123456789"]:
        raise SelfTestFailed(_("the stored client differs from the one entered: {card}").format(card=card))
    state["card"] = card
    return f"#{card.id} {card.phones[0].display}"


def _print(work: Path, state: dict[str, object]) -> str:
    from custdesk.core.dto import ClientCard

    card = state["card"]
    assert isinstance(card, ClientCard)
    pdf = work / "card.pdf"
    pages = print_card_pdf(state["db"], card.id, pdf)
    sheets = ngettext("{count} page", "{count} pages", pages).format(count=pages)
    return _("{pages}, {detail}").format(pages=sheets, detail=check_pdf(pdf, CLIENT_NAME))


def _close(state: dict[str, object]) -> str:
    db = state.pop("db", None)
    if db is not None:
        from custdesk.core.db import Database

        assert isinstance(db, Database)
        db.close()
    return ""
