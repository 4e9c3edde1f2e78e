"""Piped or redirected console output is UTF-8 whatever the code page (custdesk.console).

A Russian Windows PC writes redirected output in cp1251, which has no Persian letters and no "Ö".
``PYTHONIOENCODING=cp1251`` gives a Linux Python the same encoding, so
``custdesk-cli clients --json | cat`` here stands in for ``custdesk-cli clients --json > out.json`` there.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from custdesk.console import utf8_when_redirected
from custdesk.core.db import open_base
from custdesk.core.dto import ClientInput, PhoneInput
from custdesk.core.services import clients

NAMES = ("مریم احمدی", "Öberg Åsa", "Анна Ёлкина")  # Persian, Finnish (not in cp1251), Russian


@pytest.fixture
def base_with_names(empty_base_file: Path) -> Path:
    with open_base(empty_base_file) as db:
        for number, name in enumerate(NAMES, start=1):
            phone = PhoneInput(f"+358 40 123 456{number}")
            clients.create_client(db, ClientInput(name=name, phones=(phone,)))
    return empty_base_file


def _cli(*args: str, encoding: str | None) -> subprocess.CompletedProcess[bytes]:
    env = dict(os.environ)
    env.pop("PYTHONUTF8", None)
    if encoding:
        env["PYTHONIOENCODING"] = encoding
    else:
        env.pop("PYTHONIOENCODING", None)
    return subprocess.run(
        [sys.executable, "-m", "custdesk.cli", *args], capture_output=True, env=env, timeout=120, check=False
    )


@pytest.mark.parametrize("command", [["clients", "--json"], ["clients"]])
def test_piped_output_is_utf8_with_a_cp1251_code_page(base_with_names: Path, command: list[str]) -> None:
    # Without the fix: UnicodeEncodeError ("'charmap' codec can't encode characters"), exit 1.
    with pytest.raises(UnicodeEncodeError):  # the premise of the test
        NAMES[0].encode("cp1251")
    proc = _cli(*command, "--db", str(base_with_names), encoding="cp1251")
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    text = proc.stdout.decode("utf-8")  # strict: every byte is UTF-8
    if "--json" in command:
        assert sorted(row["name"] for row in json.loads(text)) == sorted(NAMES)
    else:
        for name in NAMES:
            assert name in text


def test_error_messages_are_utf8_too(tmp_path: Path) -> None:
    missing = tmp_path / "Öberg مریم" / "base.sqlite"
    proc = _cli("clients", "--db", str(missing), encoding="cp1251")
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr.decode("utf-8", "replace")
    assert str(missing.parent) in proc.stderr.decode("utf-8")


def test_a_redirected_stream_is_switched_and_keeps_its_error_handler() -> None:
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="cp1251", errors="backslashreplace")
    utf8_when_redirected(stream)
    stream.write(NAMES[0])
    stream.flush()
    assert raw.getvalue().decode("utf-8") == NAMES[0]
    assert stream.errors == "backslashreplace"


class _Terminal(io.TextIOWrapper):
    def isatty(self) -> bool:
        return True


def test_a_terminal_and_a_missing_stream_are_left_alone() -> None:
    terminal = _Terminal(io.BytesIO(), encoding="cp1251")
    utf8_when_redirected(terminal, None)
    assert terminal.encoding == "cp1251"
