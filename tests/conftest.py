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
from tests.pg_server import PgTestServer

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


# The unit tests of these folders run on both dialects: each test using ``db`` runs once on a SQLite file
# and once on a PostgreSQL server base (skipped with the reason when no server is given, failed in CI).
BOTH_DIALECTS = ("unit/core", "unit/io", "unit/analysis")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "dialect" not in metafunc.fixturenames or "dialect" in getattr(metafunc, "_custdesk_done", ()):
        return
    where = Path(str(metafunc.definition.path)).as_posix()
    both = any(f"/tests/{folder}/" in where for folder in BOTH_DIALECTS)
    if both and metafunc.definition.get_closest_marker("sqlite_only") is None:
        metafunc.parametrize("dialect", ["sqlite", "postgresql"])


@pytest.fixture
def dialect() -> str:
    """The kind of base a test's ``db`` is: ``sqlite`` unless the test runs on both (see above)."""
    return "sqlite"


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgTestServer]:
    """The throwaway PostgreSQL server given by ``CUSTDESK_TEST_PG_URL`` (see tools/pg_test_server.sh)."""
    server = PgTestServer.from_environment()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def server_url(pg_server: PgTestServer) -> Iterator[str]:
    """The address of a new, empty PostgreSQL database (no CustDesk tables yet), dropped after the test."""
    url = pg_server.new_database()
    try:
        yield url
    finally:
        pg_server.drop(url)


@pytest.fixture
def server_base_url(pg_server: PgTestServer) -> Iterator[str]:
    """The address of a new, migrated, empty CustDesk base on the test server, dropped after the test."""
    url = pg_server.new_database(migrated=True)
    try:
        yield url
    finally:
        pg_server.drop(url)


@pytest.fixture
def db(request: pytest.FixtureRequest, dialect: str) -> Iterator[Database]:
    """An open, empty base: on a real temporary SQLite file, or on the test server (``dialect``)."""
    if dialect == "postgresql":
        target = request.getfixturevalue("server_base_url")
        base = open_base(target, auto_backup=False)
    else:
        base = open_base(request.getfixturevalue("empty_base_file"), auto_backup=False)
    try:
        yield base
    finally:
        base.close()
