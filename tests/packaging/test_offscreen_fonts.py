"""Qt offscreen on Windows gets fonts (custdesk.offscreen), and the self-test fails a PDF without text.

Qt's offscreen platform on Windows reads fonts only from ``QT_QPA_FONTDIR``; these tests check the
decision for Windows on any system, that the folder chosen holds fonts for CustDesk's scripts (as Qt
itself reads them), and that ``check_pdf`` refuses a PDF whose text does not show the client.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from custdesk import offscreen
from custdesk.ui import self_test


def test_offscreen_on_windows_gets_matplotlibs_fonts() -> None:
    env = {"QT_QPA_PLATFORM": "offscreen"}
    folder = offscreen.offscreen_font_dir(env, platform="win32")
    assert folder is not None and env["QT_QPA_FONTDIR"] == str(folder)
    import matplotlib

    assert folder == Path(matplotlib.get_data_path()) / "fonts" / "ttf"


def test_the_font_folder_covers_latin_cyrillic_and_arabic_script(qtbot: QtBot) -> None:
    from PySide6.QtGui import QFontDatabase

    folder = offscreen.matplotlib_font_dir()
    assert folder is not None
    font_id = QFontDatabase.addApplicationFont(str(folder / "DejaVuSans.ttf"))
    assert font_id >= 0
    try:
        systems = set()
        for family in QFontDatabase.applicationFontFamilies(font_id):
            systems |= set(QFontDatabase.writingSystems(family))
        wanted = {QFontDatabase.WritingSystem.Latin, QFontDatabase.WritingSystem.Cyrillic}
        wanted.add(QFontDatabase.WritingSystem.Arabic)  # Persian
        assert wanted <= systems
    finally:
        QFontDatabase.removeApplicationFont(font_id)


@pytest.mark.parametrize(
    ("env", "platform"),
    [
        ({"QT_QPA_PLATFORM": "offscreen"}, "linux"),  # fontconfig finds the system's fonts
        ({"QT_QPA_PLATFORM": "offscreen"}, "darwin"),
        ({"QT_QPA_PLATFORM": "windows"}, "win32"),  # the real platform uses the system's fonts
        ({}, "win32"),
        ({"QT_QPA_PLATFORM": "offscreen", "QT_QPA_FONTDIR": r"D:\fonts"}, "win32"),  # the caller's choice
    ],
)
def test_nothing_changes_elsewhere(env: dict[str, str], platform: str) -> None:
    before = dict(env)
    assert offscreen.offscreen_font_dir(env, platform=platform) is None
    assert env == before


def test_windows_fonts_when_matplotlib_has_none(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(offscreen, "matplotlib_font_dir", lambda: None)
    (tmp_path / "Fonts").mkdir()
    env = {"QT_QPA_PLATFORM": "offscreen:fontengine=freetype", "WINDIR": str(tmp_path)}
    assert offscreen.offscreen_font_dir(env, platform="win32") == tmp_path / "Fonts"
    assert env["QT_QPA_FONTDIR"] == str(tmp_path / "Fonts")


def test_use_offscreen_keeps_a_chosen_platform() -> None:
    env = {"QT_QPA_PLATFORM": "xcb"}
    offscreen.use_offscreen(env, platform="win32")
    assert env == {"QT_QPA_PLATFORM": "xcb"}
    env = {}
    offscreen.use_offscreen(env, platform="win32")
    assert env["QT_QPA_PLATFORM"] == "offscreen" and Path(env["QT_QPA_FONTDIR"]).is_dir()


def test_check_pdf_refuses_a_pdf_without_the_clients_text(tmp_path: Path) -> None:
    from pypdf import PdfWriter

    blank = tmp_path / "blank.pdf"
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    with blank.open("wb") as fh:
        writer.write(fh)
    assert blank.read_bytes().startswith(b"%PDF")
    with pytest.raises(self_test.SelfTestFailed, match="does not show the client's name"):
        self_test.check_pdf(blank, self_test.CLIENT_NAME)
