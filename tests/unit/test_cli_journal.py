"""``custdesk-cli journal`` and ``custdesk-cli undo``: entries with ids, an import undone by the id its
report names, refusals as a message with exit code 2 and the base left as it was."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from custdesk.cli import main
from custdesk.core.db import open_base
from custdesk.core.dto import ClientInput, PhoneInput
from custdesk.core.services import clients, settings
from tests.unit.io._import_data import base_state


@pytest.fixture
def base(empty_base_file: Path) -> Path:
    with open_base(empty_base_file, auto_backup=False) as db:
        settings.set_values(db, {"phone_region": "RU"})
        card = clients.create_client(
            db, ClientInput(name="Иван", city="Москва", phones=(PhoneInput("+79123456789"),))
        )
        clients.archive_client(db, card.id, who="boss")
    return empty_base_file


def test_journal_json_gives_entries_with_ids_and_filters(
    base: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["journal", "--db", str(base), "--json"]) == 0
    entries = json.loads(capsys.readouterr().out)
    assert [e["kind"] for e in entries][:2] == ["archive", "edit"] and all(e["id"] for e in entries)
    assert main(["journal", "--db", str(base), "--json", "--kind", "archive", "--client", "1"]) == 0
    (archived,) = json.loads(capsys.readouterr().out)
    assert archived["who"] == "boss" and archived["client_name"] == "Иван"
    assert main(["journal", "--db", str(base), "--json", "--since", "2999-01-01"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_a_bad_date_is_refused_with_exit_2(base: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["journal", "--db", str(base), "--since", "yesterday"]) == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_import_names_its_entry_and_undo_takes_it_back(
    base: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "c.csv"
    source.write_text(
        "ФИО,Телефон,Город\nАнна,+7 912 000-11-22,Тверь\nПётр,+7 912 000-11-23,Казань\n", "utf-8"
    )
    with open_base(base, auto_backup=False) as db:
        before = base_state(db)
    assert main(["import", str(source), "--db", str(base), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    entry = report["journal_entry_id"]
    assert entry and len(report["created_ids"]) == 2

    assert main(["undo", str(entry), "--db", str(base), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["undone"] == entry and sorted(result["clients"]) == sorted(report["created_ids"])
    with open_base(base, auto_backup=False) as db:
        assert clients.get_client(db, 1).name == "Иван"
        from custdesk.core.services.client_list import list_clients

        assert [c.id for c in list_clients(db, include_archived=True)] == [1]

    assert main(["undo", str(entry), "--db", str(base)]) == 2
    assert f"journal entry {result['entry_id']}" in capsys.readouterr().err
    with open_base(base, auto_backup=False) as db:
        assert base_state(db) != before  # the journal keeps the import and its undo


def test_undo_refusals_exit_2_and_change_nothing(base: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with open_base(base, auto_backup=False) as db:
        card = clients.get_client(db, 1)
        from dataclasses import replace

        data = ClientInput(name=card.name, city="Тверь", phones=(PhoneInput("+79123456789"),))
        clients.update_client(db, 1, data)
        clients.update_client(db, 1, replace(data, city="Казань"))
        before = base_state(db)
    assert main(["journal", "--db", str(base), "--json", "--kind", "edit"]) == 0
    first_edit = next(e for e in json.loads(capsys.readouterr().out) if e["new"] == "Тверь")["id"]
    assert main(["undo", str(first_edit), "--db", str(base)]) == 2
    err = capsys.readouterr().err
    assert "City" in err and "--force" in err
    with open_base(base, auto_backup=False) as db:
        assert base_state(db) == before
    assert main(["undo", str(first_edit), "--db", str(base), "--force"]) == 0
    assert main(["undo", "9999", "--db", str(base)]) == 2
    assert "9999" in capsys.readouterr().err
