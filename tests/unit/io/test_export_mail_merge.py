"""Mail-merge and SMS list files: real .xlsx read back with openpyxl, .csv with the csv module; phones
in E.164, texts merged, formulas neutralised, "do not mail" and phoneless clients left out, journalled."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from custdesk.core.db import Database
from custdesk.core.dto import ClientInput, EmailInput, PhoneInput
from custdesk.core.models import AuditEntry
from custdesk.core.services import clients, settings
from custdesk.core.services.mail_templates import parse_template
from custdesk.core.services.mailings import Audience, plan_mailing, plan_sms, set_do_not_mail
from custdesk.io.exporters.mail_merge import export_mail_merge, export_sms_list


@pytest.fixture
def ids(db: Database) -> list[int]:
    settings.set_values(db, {"phone_region": "RU", "require_contact": False})

    def add(name: str, phones: tuple[PhoneInput, ...], email: str | None) -> int:
        emails = (EmailInput(email),) if email else ()
        return clients.create_client(db, ClientInput(name=name, phones=phones, emails=emails)).id

    return [
        add(
            "Анна",
            (PhoneInput("8 (495) 123-45-67", kind="work"), PhoneInput("8 912 345 67 89")),
            "anna@example.org",
        ),
        add("=HYPERLINK(1)", (PhoneInput("+7 912 000 11 22"),), "evil@example.org"),
        add("Без телефона", (), "none@example.org"),
        add("Не писать", (PhoneInput("+7 912 999 88 77"),), "no@example.org"),
    ]


def test_the_sms_list_has_mobile_phones_in_e164_with_merged_text(
    db: Database, ids: list[int], tmp_path: Path
) -> None:
    set_do_not_mail(db, ids[3], True, reason="просил", on=date(2025, 1, 1))
    sms = plan_sms(db, "{{ name }}, скидка 10% до пятницы!", Audience(ids=tuple(ids)))
    assert [(r.client_id, r.phone, r.text) for r in sms.rows] == [
        (ids[0], "+79123456789", "Анна, скидка 10% до пятницы!"),
        (ids[1], "+79120001122", "=HYPERLINK(1), скидка 10% до пятницы!"),
    ]
    assert [(e.client_id, e.reason) for e in sms.left_out] == [(ids[2], "no-phone"), (ids[3], "do-not-mail")]

    xlsx = export_sms_list(db, sms, tmp_path / "sms.xlsx", who="owner")
    sheet = openpyxl.load_workbook(xlsx).active
    assert sheet is not None
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == ["id", "name", "phone", "text"]
    assert rows[1] == [ids[0], "Анна", "+79123456789", "Анна, скидка 10% до пятницы!"]
    assert sheet.cell(3, 2).data_type == "s"  # a string, never a formula

    path = export_sms_list(db, sms, tmp_path / "sms.csv")
    with open(path, encoding="utf-8-sig", newline="") as fh:
        lines = list(csv.reader(fh))
    assert lines[1] == [str(ids[0]), "Анна", "+79123456789", "Анна, скидка 10% до пятницы!"]
    assert lines[2][1] == "'=HYPERLINK(1)" and lines[2][2] == "+79120001122"
    with db.session() as s:
        entries = s.scalars(select(AuditEntry).where(AuditEntry.action == "export")).all()
    assert [(e.entity, e.field, e.who) for e in entries] == [
        ("sms_list", "xlsx", "owner"),
        ("sms_list", "csv", entries[1].who),
    ]


def test_the_mail_merge_file_has_each_letter(db: Database, ids: list[int], tmp_path: Path) -> None:
    plan = plan_mailing(
        db, parse_template("Subject: Привет, {{ name }}\n\nТекст для {{ name }}"), Audience(ids=(ids[0],))
    )
    path = export_mail_merge(db, plan, tmp_path / "merge.xlsx")
    sheet = openpyxl.load_workbook(path).active
    assert sheet is not None
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["id", "name", "email", "subject", "body"],
        [ids[0], "Анна", "anna@example.org", "Привет, Анна", "Текст для Анна"],
    ]


def test_another_file_kind_is_refused(db: Database, ids: list[int], tmp_path: Path) -> None:
    sms = plan_sms(db, "Hi", Audience(ids=(ids[0],)))
    with pytest.raises(ValueError, match=r"\.xlsx or \.csv"):
        export_sms_list(db, sms, tmp_path / "sms.txt")
