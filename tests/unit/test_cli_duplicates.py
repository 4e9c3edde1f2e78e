"""``custdesk-cli duplicates``, ``merge`` and ``not-duplicates``: groups with ids, score and reasons;
a merge of several cards, undone from the journal; refusals exit 2 and leave the base as it was."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from custdesk.cli import main
from custdesk.core.db import open_base
from custdesk.core.dto import ClientInput, EmailInput, PhoneInput
from custdesk.core.services import clients, settings
from tests.unit.io._import_data import base_state


@pytest.fixture
def base(empty_base_file: Path) -> Path:
    with open_base(empty_base_file, auto_backup=False) as db:
        settings.set_values(db, {"phone_region": "RU"})
        for name, phone, email, city in (
            ("Иван Петров", "+79123456789", "ivan@example.ru", "Москва"),
            ("Петров Иван", "8 912 345-67-89", "", "Тверь"),  # the same phone
            ("Пётр Иванов", "+79990000001", "IVAN@example.ru", "Казань"),  # the same e-mail
            ("Анна Смирнова", "+79990000002", "", "Самара"),
        ):
            emails = (EmailInput(email),) if email else ()
            clients.create_client(
                db, ClientInput(name=name, city=city, phones=(PhoneInput(phone),), emails=emails)
            )
    return empty_base_file


def test_duplicates_json_gives_groups_with_ids_score_and_reasons(
    base: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["duplicates", "--db", str(base), "--json"]) == 0
    (group,) = json.loads(capsys.readouterr().out)
    assert group["ids"] == [1, 2, 3] and group["score"] == 100
    assert set(group["reasons"]) == {"phone", "email"}


def test_merge_several_then_undo_from_the_journal(base: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with open_base(base, auto_backup=False) as db:
        before = base_state(db)
    assert main(["merge", "1", "2", "3", "--db", str(base)]) == 0
    assert "2 cards" in capsys.readouterr().out
    assert main(["duplicates", "--db", str(base), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert main(["journal", "--db", str(base), "--kind", "merge", "--json"]) == 0
    heads = sorted({e["operation_id"] for e in json.loads(capsys.readouterr().out)}, reverse=True)
    for head in heads:  # the last merge first
        assert main(["undo", str(head), "--db", str(base)]) == 0
    with open_base(base, auto_backup=False) as db:
        assert [clients.get_client(db, i).archived for i in (1, 2, 3)] == [False, False, False]
        assert base_state(db) != before  # the journal keeps what happened


def test_merge_refusals_exit_2_and_change_nothing(base: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with open_base(base, auto_backup=False) as db:
        before = base_state(db)
    assert main(["merge", "1", "2", "99", "--db", str(base)]) == 2
    assert main(["merge", "1", "1", "--db", str(base)]) == 2
    assert "itself" in capsys.readouterr().err
    with open_base(base, auto_backup=False) as db:
        assert base_state(db) == before


def test_not_duplicates_is_remembered(base: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["not-duplicates", "1", "2", "3", "--db", str(base)]) == 0
    capsys.readouterr()
    assert main(["duplicates", "--db", str(base), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert main(["not-duplicates", "1", "--db", str(base)]) == 2
