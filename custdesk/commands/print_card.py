"""``custdesk-cli print-card``: client cards to a PDF file, one card per page, as File > Print makes them.

Every id is checked before anything is written: an unknown one is a clear message, exit 2 and no file.
The cards are laid out by Qt (imported inside the handler only: the console tool starts without it); a
``QGuiApplication`` is enough, on the ``offscreen`` platform when there is no display. The print is
written to the base's audit journal, so the base is opened for writing; nothing else in it changes.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from custdesk.cli import EXIT_BAD_INPUT, EXIT_OK, _base_path, _busy_timeout, _positive_int, command
from custdesk.i18n import N_, _, ngettext
from custdesk.offscreen import offscreen_font_dir

PAGE_SIZE_CHOICES = ("A4", "Letter")


def _print_card_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("ids", nargs="+", type=_positive_int, metavar="ID", help=_("the client numbers"))
    p.add_argument("--pdf", required=True, metavar="OUT.pdf", help=_("the PDF file to write"))
    p.add_argument(
        "--page-size", choices=PAGE_SIZE_CHOICES, default="A4", help=_("the paper: A4 (default) or Letter")
    )


def _gui_application() -> Any:
    """A QGuiApplication (offscreen without a display), or the application already running."""
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    offscreen_font_dir()  # offscreen on Windows (QT_QPA_PLATFORM set by the caller): fonts to print with
    from PySide6.QtGui import QGuiApplication

    return QGuiApplication.instance() or QGuiApplication(["custdesk-cli"])


@command("print-card", N_("print client cards to a PDF file, one card per page"), _print_card_arguments)
def _print_card(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from custdesk.core.db import open_base
    from custdesk.core.models import Client
    from custdesk.core.services import settings
    from custdesk.io.cards import card_documents
    from custdesk.io.print_journal import journal_print

    target = Path(args.pdf).expanduser()
    if target.is_dir():
        print(_("{path} is a folder; give a file name for the PDF.").format(path=target), file=sys.stderr)
        return EXIT_BAD_INPUT
    if not target.parent.is_dir():
        print(_("The folder {folder} does not exist.").format(folder=target.parent), file=sys.stderr)
        return EXIT_BAD_INPUT
    ids = list(dict.fromkeys(args.ids))
    with open_base(
        _base_path(args), create=False, auto_backup=False, busy_timeout_ms=_busy_timeout(args)
    ) as db:
        with db.session() as s:
            known = set(s.scalars(select(Client.id).where(Client.id.in_(ids))))
        missing = [i for i in ids if i not in known]
        if missing:
            print(
                ngettext(
                    "There is no client with the number {ids} in {path}; nothing was printed.",
                    "There are no clients with the numbers {ids} in {path}; nothing was printed.",
                    len(missing),
                ).format(ids=", ".join(str(i) for i in missing), path=db.path),
                file=sys.stderr,
            )
            return EXIT_BAD_INPUT
        documents = card_documents(db, ids)
        firm_name = str(settings.get(db, "firm_name"))
        _app = _gui_application()
        from custdesk.ui.printing import print_to_pdf

        pages = print_to_pdf(documents, target, firm_name=firm_name, page_size=args.page_size)
        journal_print(db, "cards", client_ids=ids, pages=pages, target=str(target.absolute()))
    sheets = ngettext("{count} page", "{count} pages", pages).format(count=pages)
    print(
        ngettext(
            "Printed {cards} card ({pages}) to {path}.",
            "Printed {cards} cards ({pages}) to {path}.",
            len(ids),
        ).format(cards=len(ids), pages=sheets, path=target)
    )
    return EXIT_OK
