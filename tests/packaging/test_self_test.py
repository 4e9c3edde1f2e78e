"""``custdesk --self-test`` from the source tree: what it leaves in the base and the PDF, and its failures."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from custdesk import app
from custdesk.core.db import open_base
from custdesk.core.services.clients import get_client
from custdesk.ui import self_test


def test_self_test_makes_a_base_with_the_client_and_prints_the_card(qtbot: QtBot, tmp_path: Path) -> None:
    work = tmp_path / "work"
    out = io.StringIO()
    report = tmp_path / "report.txt"

    code = self_test.run_self_test(work, out=out, report=report)

    assert code == 0, out.getvalue()
    lines = report.read_text(encoding="utf-8").splitlines()
    assert lines == out.getvalue().splitlines()
    assert lines[-1].startswith("self-test passed in ")
    assert not any(line.startswith("FAILED") for line in lines)
    # What landed in the base: one client, as entered, its phone in E.164.
    with open_base(work / "self-test.sqlite", readonly=True) as db:
        card = get_client(db, 1)
    assert card.name == self_test.CLIENT_NAME
    assert [p.number for p in card.phones] == ["+79123456789"]
    assert [e.address for e in card.emails] == [self_test.CLIENT_EMAIL]
    # The printed card: a PDF showing the client's name (Cyrillic included: the font is embedded).
    pdf = work / "card.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True).stdout.decode()
        assert self_test.CLIENT_NAME in unicodedata.normalize("NFKC", text)


def test_a_failing_step_is_named_with_its_reason_and_exits_1(qtbot: QtBot, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    out = io.StringIO()

    code = self_test.run_self_test(blocker / "work", out=out)

    assert code == 1
    lines = out.getvalue().splitlines()
    failed = [line for line in lines if line.startswith("FAILED")]
    assert len(failed) == 1
    assert failed[0].startswith(
        "FAILED  a fresh base opens (migrations run): CustDesk cannot create the folder"
    )
    assert str(blocker) in failed[0]
    assert lines[-1].startswith("self-test FAILED after ")
    assert not any("client is created" in line for line in lines)  # it stops at the first failure


def test_the_option_runs_offscreen_without_a_display_and_exits_0(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    report = tmp_path / "report.txt"

    result = subprocess.run(
        [sys.executable, "-m", "custdesk", "--self-test", "--report", str(report)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    text = report.read_text(encoding="utf-8")
    assert "ok      Qt starts offscreen" in text and "offscreen" in text.split("Qt starts offscreen", 1)[1]
    assert "self-test passed" in result.stdout
    assert list(tmp_path.iterdir()) == [report]  # nothing left behind: the base was in a temporary folder


def test_help_names_the_self_test() -> None:
    text = app.build_parser().format_help()
    assert "--self-test" in text and "--report FILE" in text


@pytest.mark.parametrize(("version", "numbers"), [("0.1.0", (0, 1, 0, 0)), ("1.12.3rc1", (1, 12, 3, 0))])
def test_windows_version_numbers(version: str, numbers: tuple[int, int, int, int]) -> None:
    version_info = _packaging_module("version_info")
    assert version_info.version_numbers(version) == numbers
    text = version_info.render(version, name="CustDesk", description="CustDesk client database")
    assert f"StringStruct('ProductVersion', '{version}')" in text
    assert f"filevers={numbers}" in text


def _packaging_module(name: str) -> object:
    import importlib.util

    path = Path(__file__).resolve().parents[2] / "packaging" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"packaging_{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
