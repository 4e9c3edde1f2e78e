"""Test setup: offscreen Qt, a private data folder, and real temporary bases.

Every test gets its own data folder (so backups and the default base never touch the home folder) and
English messages. ``empty_base_file`` copies a base migrated once per session, which is much faster
than migrating for every test.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["MPLCONFIGDIR"] = tempfile.mkdtemp(prefix="custdesk-mpl-")
os.environ["LANG"] = "en_US.UTF-8"
os.environ.pop("LANGUAGE", None)
os.environ.pop("LC_ALL", None)

import pytest

from custdesk import i18n, paths
from custdesk.core.db import Database, open_base
from custdesk.offscreen import offscreen_font_dir

offscreen_font_dir()  # Windows: Qt's offscreen platform finds no font without QT_QPA_FONTDIR (read at start)


@pytest.fixture(autouse=True)
def _private_data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    data = tmp_path_factory.mktemp("data")
    monkeypatch.setenv("CUSTDESK_DATA_DIR", str(data))
    paths.set_data_dir(None)
    i18n.set_language("en")
    return data


@pytest.fixture(scope="session")
def _migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("template")
    path = folder / "template.sqlite"
    old = os.environ.get("CUSTDESK_DATA_DIR")
    os.environ["CUSTDESK_DATA_DIR"] = str(folder / "data")
    try:
        db = open_base(path)
        db.close()
    finally:
        if old is None:
            os.environ.pop("CUSTDESK_DATA_DIR", None)
        else:
            os.environ["CUSTDESK_DATA_DIR"] = old
    return path


@pytest.fixture
def empty_base_file(_migrated_template: Path, tmp_path: Path) -> Path:
    """A freshly migrated, empty base file (not open)."""
    path = tmp_path / "base.sqlite"
    shutil.copyfile(_migrated_template, path)
    return path


@pytest.fixture
def db(empty_base_file: Path) -> Iterator[Database]:
    """An open, empty base on a real temporary SQLite file."""
    base = open_base(empty_base_file, auto_backup=False)
    try:
        yield base
    finally:
        base.close()
