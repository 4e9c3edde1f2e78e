"""The bad-input corpus through ``custdesk-cli import``: a clear message, no traceback, no hang, and a
base byte-identical after a failed import (an import that takes rows leaves a base that passes check).

Each case runs in this process with a timer: a hang (a FIFO that never opens, a zip bomb) fails the
case after ``HANG_S`` seconds instead of stalling the suite. A case the readers are known to fail is
marked ``xfail(strict=True)`` with its reason (``Case.known``); none is, today.
"""

from __future__ import annotations

import hashlib
import shutil
import signal
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

import pytest

from custdesk.cli import EXIT_BAD_INPUT, EXIT_OK, EXIT_PROBLEMS, main
from custdesk.core.check import check_base
from custdesk.core.db import open_base
from tests.torture.corpus import Case, make_corpus
from tests.unit.core.test_check import _fill

HANG_S = 5
CASES = make_corpus(Path(tempfile.gettempdir()) / "unused")
assert len(CASES) >= 60


class Hang(BaseException):
    """Raised by the timer; a BaseException so that no handler of the code under test swallows it."""


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Case]:
    folder = tmp_path_factory.mktemp("corpus")
    return {c.name: c for c in make_corpus(folder, write=True)}


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory, _migrated_template: Path) -> Path:
    """A base with client C-1 and its purchases, for the purchases and history files to point at."""
    path = tmp_path_factory.mktemp("corpus-base") / "base.sqlite"
    shutil.copyfile(_migrated_template, path)
    with open_base(path, auto_backup=False) as db:
        _fill(db)
    return path


@pytest.fixture
def no_hang() -> Iterator[None]:
    def hang(_signum: int, _frame: FrameType | None) -> None:
        raise Hang(f"no answer after {HANG_S} s")

    previous = signal.signal(signal.SIGALRM, hang)
    signal.setitimer(signal.ITIMER_REAL, HANG_S)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _folder_state(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def _params() -> list[object]:
    return [
        pytest.param(
            c.name, id=c.file.name.replace("\n", "\\n"), marks=pytest.mark.xfail(strict=True, reason=c.known)
        )
        if c.known
        else pytest.param(c.name, id=c.file.name.replace("\n", "\\n"))
        for c in CASES
    ]


@pytest.mark.parametrize("name", _params())
def test_bad_input(
    name: str,
    corpus: dict[str, Case],
    template: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    no_hang: None,
) -> None:
    case = corpus[name]
    base = tmp_path / "base" / "base.sqlite"
    base.parent.mkdir()
    shutil.copyfile(template, base)
    before = _folder_state(base.parent)
    code = main(["import", str(case.file), "--kind", case.kind, "--db", str(base)])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert code in (EXIT_OK, EXIT_PROBLEMS, EXIT_BAD_INPUT), f"exit {code}: {err}"
    if code == EXIT_BAD_INPUT:
        message = err.strip()
        assert message and len(message.splitlines()) <= 3, err
        assert _folder_state(base.parent) == before, "a failed import changed the base"
    else:
        assert check_base(base).ok
        con = sqlite3.connect(f"file:{base}?mode=ro", uri=True)
        assert con.execute("SELECT count(*) FROM clients WHERE external_id = 'C-1'").fetchone()[0] == 1
        con.close()
