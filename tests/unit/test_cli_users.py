"""``custdesk-cli`` on a protected base: ``--user`` on every subcommand, refusals exit 2 and write nothing.

The new user's password comes from standard input (not a terminal here); the signing-in user's from
``CUSTDESK_PASSWORD``.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from custdesk.cli import main
from custdesk.core.db import open_base
from custdesk.core.models import AuditEntry
from custdesk.core.services import access
from tests.unit.io._export_data import make_base
from tests.unit.io._import_data import base_state

OWNER_PW, SELLER_PW, VIEWER_PW = "owner-pass-11", "seller-pass-22", "viewer-pass-33"
KEYS: dict[Path, str] = {}  # the recovery key each base's first "users add" printed


@pytest.fixture(autouse=True)
def _signed_out(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("CUSTDESK_PASSWORD", raising=False)
    access.sign_in(None)
    yield
    access.sign_in(None)


def _stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(text))


def _run(
    monkeypatch: pytest.MonkeyPatch, argv: list[str], *, password: str | None = None, stdin: str = ""
) -> int:
    _stdin(monkeypatch, stdin)
    if password is None:
        monkeypatch.delenv("CUSTDESK_PASSWORD", raising=False)
    else:
        monkeypatch.setenv("CUSTDESK_PASSWORD", password)
    return main(argv)


def _state(base: Path) -> str:
    with open_base(base, readonly=True) as db:
        return base_state(db)


@pytest.fixture
def base(empty_base_file: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Path:
    """A base with clients, an owner (who turned protection on), a seller and a viewer."""
    with open_base(empty_base_file, auto_backup=False) as db:
        make_base(db)
    db_arg = ["--db", str(empty_base_file)]
    assert _run(monkeypatch, ["users", *db_arg, "add", "olga", "--role", "owner"], stdin=OWNER_PW + "\n") == 0
    out = capsys.readouterr().out
    assert "recovery key" in out
    KEYS[empty_base_file] = re.findall(r"[A-Z0-9]{5}(?:-[A-Z0-9]{5}){5}", out)[0]
    for name, role, pw in (("sam", "seller", SELLER_PW), ("vera", "viewer", VIEWER_PW)):
        argv = ["users", *db_arg, "--user", "olga", "add", name, "--role", role]
        assert _run(monkeypatch, argv, password=OWNER_PW, stdin=pw + "\n") == 0
    capsys.readouterr()
    return empty_base_file


def test_the_first_user_must_be_an_owner(
    empty_base_file: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _state(empty_base_file)
    code = _run(
        monkeypatch,
        ["users", "--db", str(empty_base_file), "add", "sam", "--role", "seller"],
        stdin="pw-123456\n",
    )
    assert code == 2 and "must be an owner" in capsys.readouterr().err
    assert _state(empty_base_file) == before
    code = _run(
        monkeypatch,
        ["users", "--db", str(empty_base_file), "add", "olga", "--role", "owner", "--json"],
        stdin="pw-123456\n",
    )
    assert code == 0
    key = json.loads(capsys.readouterr().out)["recovery_key"]
    assert len(key) == 35


@pytest.mark.parametrize(
    "argv",
    [
        ["clients"],
        ["check"],
        ["due"],
        ["backup"],
        ["users", "list"],
    ],
)
def test_no_user_on_a_protected_base_is_refused(
    base: Path, argv: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _state(base)
    assert _run(monkeypatch, [*argv, "--db", str(base)]) == 2
    assert "is protected: give --user NAME" in capsys.readouterr().err
    assert _state(base) == before


def test_a_wrong_password_is_refused(
    base: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(monkeypatch, ["clients", "--db", str(base), "--user", "sam"], password="nope") == 2
    assert "Wrong user name or password" in capsys.readouterr().err
    assert _run(monkeypatch, ["clients", "--db", str(base), "--user", "sam"], password=SELLER_PW) == 0
    # The password from the prompt (standard input here) when CUSTDESK_PASSWORD is not set.
    assert _run(monkeypatch, ["clients", "--db", str(base), "--user", "sam"], stdin=SELLER_PW + "\n") == 0


@pytest.mark.parametrize("user,password", [("sam", SELLER_PW), ("vera", VIEWER_PW)])
def test_what_a_seller_and_a_viewer_may_not_do_exits_2_and_writes_nothing(
    base: Path,
    user: str,
    password: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    before = _state(base)
    source = tmp_path / "in.csv"
    source.write_text("name,email\nEve,eve@example.com\n", encoding="utf-8")
    backup = tmp_path / "b.sqlite"
    assert _run(monkeypatch, ["backup", "--db", str(base), "--to", str(backup)], password=OWNER_PW + "x") == 2
    refused = [
        ["export", str(tmp_path / "all.csv")],
        ["import", str(source)],
        ["users", "add", "eve", "--role", "owner"],
        ["users", "remove", "olga"],
        ["restore", "--from", str(backup)],
    ]
    for argv in refused:
        code = _run(
            monkeypatch, [*argv, "--db", str(base), "--user", user], password=password, stdin="eve-pass-99\n"
        )
        err = capsys.readouterr().err
        assert code == 2, (argv, err)
        assert "Traceback" not in err and err.strip()
    assert _state(base) == before
    assert not (tmp_path / "all.csv").exists()


def test_the_journal_names_the_signed_in_user(
    base: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("USER", "someone_else")
    target = tmp_path / "all.csv"
    assert (
        _run(monkeypatch, ["export", str(target), "--db", str(base), "--user", "olga"], password=OWNER_PW)
        == 0
    )
    with open_base(base, readonly=True) as db, db.session() as s:
        last = s.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert last is not None and (last.action, last.who) == ("export", "olga")


def test_users_list_password_and_recover(
    base: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db_arg = ["--db", str(base)]
    assert _run(monkeypatch, ["users", *db_arg, "--user", "olga", "list", "--json"], password=OWNER_PW) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(u["name"], u["role"]) for u in listed] == [
        ("olga", "owner"),
        ("sam", "seller"),
        ("vera", "viewer"),
    ]
    # A seller changes their own password, not another's.
    argv = ["users", *db_arg, "--user", "sam", "password", "sam"]
    assert _run(monkeypatch, argv, password=SELLER_PW, stdin="seller-new-44\n") == 0
    argv = ["users", *db_arg, "--user", "sam", "password", "olga"]
    assert _run(monkeypatch, argv, password="seller-new-44", stdin="stolen-pass-1\n") == 2
    # The owner forgot the password: the recovery key (first line) and a new password (second line).
    capsys.readouterr()
    assert _run(monkeypatch, ["users", *db_arg, "recover", "olga"], stdin="WRONG-KEY\nowner-new-55\n") == 2
    assert "not the recovery key" in capsys.readouterr().err
    argv = ["users", *db_arg, "recover", "olga", "--json"]
    assert _run(monkeypatch, argv, stdin=f"{KEYS[base]}\nowner-new-55\n") == 0
    assert json.loads(capsys.readouterr().out)["recovery_key"] != KEYS[base]
    assert _run(monkeypatch, ["clients", *db_arg, "--user", "olga"], password=OWNER_PW) == 2
    assert _run(monkeypatch, ["clients", *db_arg, "--user", "olga"], password="owner-new-55") == 0
    assert (
        _run(monkeypatch, ["users", *db_arg, "--user", "olga", "remove", "vera"], password="owner-new-55")
        == 0
    )
    assert _run(monkeypatch, ["users", *db_arg, "--user", "vera", "list"], password=VIEWER_PW) == 2
