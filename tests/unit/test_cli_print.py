"""``custdesk-cli print-card``: cards to a PDF (read back with pdftotext), refusals that write nothing."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from custdesk.cli import EXIT_BAD_INPUT, EXIT_OK, main
from custdesk.core.db import open_base
from custdesk.core.models import AuditEntry
from tests.unit.io._card_data import FIRM, plain_client, rich_client

# The command makes a QGuiApplication when none is running; in the test process make it the QApplication
# the GUI tests need (a bare QGuiApplication there would make widgets abort the run).
pytestmark = pytest.mark.usefixtures("qapp")


@pytest.fixture
def base(empty_base_file: Path) -> tuple[Path, list[int]]:
    db = open_base(empty_base_file, auto_backup=False)
    try:
        ids = [rich_client(db, history=3), plain_client(db, "Иван Сидоров", city="Москва")]
    finally:
        db.close()
    return empty_base_file, ids


def pdf_text(path: Path) -> list[str]:
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return out.split("\f")[:-1]


def test_print_cards_to_pdf(
    base: tuple[Path, list[int]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, (rich, ivan) = base
    out = tmp_path / "cards.pdf"
    code = main(
        ["print-card", str(ivan), str(rich), "--db", str(path), "--pdf", str(out), "--page-size", "Letter"]
    )
    assert code == EXIT_OK
    pages = pdf_text(out)
    assert "Иван Сидоров" in pages[0] and "Москва" in pages[0]  # the cards in the order given
    assert 'Acme <Tools> & "Co"' in " ".join(pages[1:])
    assert FIRM in pages[0]
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    assert "letter" in info
    said = capsys.readouterr().out
    assert f"Printed 2 cards ({len(pages)} pages) to {out}." in said
    db = open_base(path, readonly=True)
    try:
        with db.session() as s:
            entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "print")).one()
            assert json.loads(entry.new or "")["clients"] == [ivan, rich]
    finally:
        db.close()


def test_an_unknown_id_writes_nothing(
    base: tuple[Path, list[int]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, (rich, _ivan) = base
    out = tmp_path / "none.pdf"
    assert main(["print-card", str(rich), "4242", "--db", str(path), "--pdf", str(out)]) == EXIT_BAD_INPUT
    assert not out.exists()
    err = capsys.readouterr().err
    assert "There is no client with the number 4242" in err and "nothing was printed" in err


def test_a_missing_folder_is_refused(base: tuple[Path, list[int]], tmp_path: Path) -> None:
    path, (rich, _ivan) = base
    out = tmp_path / "no-such-folder" / "x.pdf"
    assert main(["print-card", str(rich), "--db", str(path), "--pdf", str(out)]) == EXIT_BAD_INPUT
    assert not out.parent.exists()


def test_the_command_module_loads_no_qt() -> None:
    code = (
        "import sys, custdesk.commands.print_card; print(any(m.startswith('PySide6') for m in sys.modules))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "False"
