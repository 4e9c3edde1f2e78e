"""Mailings against a real local SMTP server (aiosmtpd on 127.0.0.1, started here): the fields merged, the
minimum gap, "do not mail", a refused address failing only its client, history entries and re-runs."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from smtp_server import REFUSED, Mailbox, body, free_port, running_server
from sqlalchemy import select

from custdesk.core.db import Database
from custdesk.core.dto import ClientInput, EmailInput
from custdesk.core.errors import NotFoundError
from custdesk.core.models import AuditEntry, Client, Interaction, MailingRecipient
from custdesk.core.services import clients, settings
from custdesk.core.services.mail_templates import TemplateError, parse_template
from custdesk.core.services.mail_transport import (
    MailServerError,
    SmtpSettings,
    SmtpTransport,
    check_connection,
)
from custdesk.core.services.mailings import (
    Audience,
    MailingError,
    plan_mailing,
    send_mailing,
    set_do_not_mail,
)
from custdesk.i18n import format_date

SENDER = "shop@example.com"
TEMPLATE = parse_template(
    "Subject: Spring offer for {{ name }}\n\n"
    'Dear {{ name }} of {{ organisation }},\ncard {{ fields["Card"] }}.\n'
)


@pytest.fixture
def server() -> Iterator[tuple[Mailbox, SmtpSettings]]:
    with running_server() as box:
        yield box, SmtpSettings("127.0.0.1", box.port, "none", "", SENDER, "Shop")


def _client(db: Database, name: str, address: str | None, organisation: str = "") -> int:
    emails = (EmailInput(address),) if address else ()
    data = ClientInput(name=name, organisation=organisation, emails=emails)
    return clients.create_client(db, data).id


@pytest.fixture
def three(db: Database) -> list[int]:
    settings.set_values(db, {"require_contact": False})
    return [
        _client(db, "Anna Berg", "anna@example.org", "Berg Oy"),
        _client(db, "Boris Ivanov", "boris@example.org", "Ivanov LLC"),
        _client(db, "Cecilia Ek", "cecilia@example.org"),
    ]


def _send(db: Database, smtp: SmtpSettings, ids: list[int], **kw: Any) -> Any:
    plan = plan_mailing(db, TEMPLATE, Audience(ids=tuple(ids)), **kw)
    return plan, send_mailing(db, plan, SmtpTransport(smtp), sender=smtp.sender, sender_name=smtp.sender_name)


def _mailings_in_history(db: Database) -> list[tuple[int, str]]:
    with db.session() as s:
        rows = s.execute(
            select(Interaction.client_id, Interaction.text)
            .where(Interaction.kind == "mailing")
            .order_by(Interaction.client_id)
        )
        return [(cid, text) for cid, text in rows]


def test_each_client_gets_one_letter_with_the_fields_merged(
    db: Database, server: tuple[Mailbox, SmtpSettings], three: list[int]
) -> None:
    box, smtp = server
    _plan, report = _send(db, smtp, three)
    assert [r.client_id for r in report.sent] == three and not report.failed and not report.left_out
    assert len(box.letters) == 3
    (anna,) = box.to("anna@example.org")
    assert anna["Subject"] == "Spring offer for Anna Berg"
    assert anna["From"] == f"Shop <{SENDER}>"
    assert anna["To"] == "Anna Berg <anna@example.org>"
    assert body(anna) == "Dear Anna Berg of Berg Oy,\ncard .\n"
    (boris,) = box.to("boris@example.org")
    assert body(boris) == "Dear Boris Ivanov of Ivanov LLC,\ncard .\n"


def test_every_letter_is_written_into_the_clients_history(
    db: Database, server: tuple[Mailbox, SmtpSettings], three: list[int]
) -> None:
    _box, smtp = server
    _send(db, smtp, three)
    assert _mailings_in_history(db) == [
        (three[0], "Spring offer for Anna Berg"),
        (three[1], "Spring offer for Boris Ivanov"),
        (three[2], "Spring offer for Cecilia Ek"),
    ]
    # A mailing is no conversation: the last contact stays as it was.
    assert clients.get_client(db, three[0]).last_contact_at is None


def test_a_second_run_within_the_gap_sends_nothing_and_says_why(
    db: Database, server: tuple[Mailbox, SmtpSettings], three: list[int]
) -> None:
    box, smtp = server
    _send(db, smtp, three)
    other = parse_template("Subject: Another offer\n\nHello {{ name }}")
    plan = plan_mailing(db, other, Audience(ids=tuple(three)))
    assert plan.recipients == ()
    assert [(e.client_id, e.reason, e.last_mailed) for e in plan.left_out] == [
        (cid, "too-soon", date.today()) for cid in three
    ]
    assert plan.left_out[0].message == f"last mailed on {format_date(date.today())}"
    report = send_mailing(db, plan, SmtpTransport(smtp), sender=SENDER)
    assert report.sent == () and len(box.letters) == 3


def test_the_gap_is_the_firms_setting(
    db: Database, server: tuple[Mailbox, SmtpSettings], three: list[int]
) -> None:
    _box, smtp = server
    _send(db, smtp, three[:1])
    with db.session() as s:
        entry = s.scalars(select(Interaction).where(Interaction.kind == "mailing")).one()
        entry.occurred_at = datetime.now() - timedelta(days=3)
    other = parse_template("Subject: Another offer\n\nHello")
    assert [e.reason for e in plan_mailing(db, other, Audience(ids=(three[0],))).left_out] == ["too-soon"]
    settings.set_values(db, {"mailing_min_gap_days": 3})
    assert [r.client_id for r in plan_mailing(db, other, Audience(ids=(three[0],))).recipients] == [three[0]]


def test_the_owners_override_sends_and_is_journalled(
    db: Database, server: tuple[Mailbox, SmtpSettings], three: list[int]
) -> None:
    box, smtp = server
    _send(db, smtp, three[:2])
    other = parse_template("Subject: Urgent: the shop moves\n\nHello {{ name }}")
    plan = plan_mailing(db, other, Audience(ids=tuple(three)), override_gap=True)
    assert plan.overridden == tuple(three[:2])
    report = send_mailing(db, plan, SmtpTransport(smtp), sender=SENDER, who="owner")
    assert [r.client_id for r in report.sent] == three
    assert len(box.letters) == 5
    with db.session() as s:
        (override,) = s.scalars(select(AuditEntry).where(AuditEntry.action == "override")).all()
    assert (override.who, override.entity, override.field) == ("owner", "mailing", "mailing_min_gap_days")
    assert json.loads(override.new or "") == {"clients": three[:2]}


def test_do_not_mail_is_honoured_and_listed_with_its_reason(
    db: Database, server: tuple[Mailbox, SmtpSettings], three: list[int]
) -> None:
    box, smtp = server
    set_do_not_mail(db, three[1], True, reason="asked by phone", on=date(2025, 3, 1))
    plan, report = _send(db, smtp, three)
    assert [r.client_id for r in report.sent] == [three[0], three[2]]
    assert box.to("boris@example.org") == []
    (left,) = plan.left_out
    assert (left.client_id, left.reason) == (three[1], "do-not-mail")
    assert "asked by phone" in left.message
    with db.session() as s:
        boris = s.get(Client, three[1])
        assert boris is not None
        assert (boris.do_not_mail, boris.do_not_mail_on) == (True, date(2025, 3, 1))
    set_do_not_mail(db, three[1], False)
    assert [r.client_id for r in plan_mailing(db, TEMPLATE, Audience(ids=(three[1],))).recipients] == [
        three[1]
    ]


def test_clients_without_a_usable_address_are_left_out_and_listed(
    db: Database, server: tuple[Mailbox, SmtpSettings], three: list[int]
) -> None:
    _box, _smtp = server
    nobody = _client(db, "Dmitri", None)
    with db.session() as s:  # an old base's address that no longer validates
        client = s.get(Client, three[2])
        assert client is not None
        client.emails[0].address = "cecilia at example"
    plan = plan_mailing(db, TEMPLATE, Audience(ids=(*three, nobody)))
    assert [(e.client_id, e.reason) for e in plan.left_out] == [(three[2], "bad-email"), (nobody, "no-email")]
    assert [r.client_id for r in plan.recipients] == three[:2]


def test_a_refused_address_fails_only_that_client_and_a_rerun_sends_only_to_it(
    db: Database, server: tuple[Mailbox, SmtpSettings], three: list[int]
) -> None:
    box, smtp = server
    refused = _client(db, "Rolf", REFUSED)
    ids = [three[0], refused, three[1]]
    _plan, report = _send(db, smtp, ids)
    assert [r.client_id for r in report.sent] == [three[0], three[1]]
    (failure,) = report.failed
    assert failure.recipient.client_id == refused
    assert failure.reason.startswith("The server refused the address: 550")
    assert [cid for cid, _ in _mailings_in_history(db)] == [three[0], three[1]]
    with db.session() as s:
        statuses = dict(s.execute(select(MailingRecipient.client_id, MailingRecipient.status)).all())
    assert statuses == {three[0]: "sent", refused: "failed", three[1]: "sent"}

    # The same mailing again, with the gap off: only the client it did not reach is tried.
    settings.set_values(db, {"mailing_min_gap_days": 0})
    plan = plan_mailing(db, TEMPLATE, Audience(ids=tuple(ids)))
    assert [r.client_id for r in plan.recipients] == [refused]
    assert {e.client_id: e.reason for e in plan.left_out} == {
        three[0]: "already-sent",
        three[1]: "already-sent",
    }
    assert plan.mailing_id == report.mailing_id
    before = len(box.letters)
    send_mailing(db, plan, SmtpTransport(smtp), sender=SENDER)
    assert len(box.letters) == before  # refused again; nobody else got a second letter


def test_a_server_that_is_down_fails_every_letter_and_writes_no_history(
    db: Database, three: list[int]
) -> None:
    smtp = SmtpSettings("127.0.0.1", free_port(), "none", "", SENDER)
    with pytest.raises(MailServerError, match="cannot be reached"):
        check_connection(smtp, "")
    _plan, report = _send(db, smtp, three)
    assert report.sent == () and [f.recipient.client_id for f in report.failed] == three
    assert "cannot be reached" in report.failed[0].reason
    assert _mailings_in_history(db) == []
    assert [r.client_id for r in plan_mailing(db, TEMPLATE, Audience(ids=tuple(three))).recipients] == three


def test_cancel_between_letters_leaves_the_rest_for_a_rerun(
    db: Database, server: tuple[Mailbox, SmtpSettings], three: list[int]
) -> None:
    box, smtp = server
    plan = plan_mailing(db, TEMPLATE, Audience(ids=tuple(three)))
    report = send_mailing(
        db, plan, SmtpTransport(smtp), sender=SENDER, cancelled=lambda: len(box.letters) >= 1
    )
    assert report.cancelled and [r.client_id for r in report.sent] == three[:1]
    assert [r.client_id for r in report.not_sent] == three[1:]


def test_an_html_template_escapes_the_clients_values(
    db: Database, server: tuple[Mailbox, SmtpSettings]
) -> None:
    box, smtp = server
    settings.set_values(db, {"require_contact": False})
    cid = _client(db, "Tom <b>& Co</b>", "tom@example.org")
    html = parse_template("Subject: Hi {{ name }}\n\n<p>Hello {{ name }}</p>")
    assert html.is_html
    plan = plan_mailing(db, html, Audience(ids=(cid,)))
    send_mailing(db, plan, SmtpTransport(smtp), sender=SENDER)
    (letter,) = box.to("tom@example.org")
    assert letter["Subject"] == "Hi Tom <b>& Co</b>"
    assert letter.get_content_type() == "text/html"
    assert "<p>Hello Tom &lt;b&gt;&amp; Co&lt;/b&gt;</p>" in body(letter)


def test_bad_templates_and_audiences_are_refused_with_a_message(db: Database, three: list[int]) -> None:
    with pytest.raises(TemplateError, match="Subject"):
        parse_template("Hello {{ name }}")
    with pytest.raises(TemplateError, match="blank line"):
        parse_template("Subject: x\nHello")
    with pytest.raises(TemplateError, match="line 1"):
        parse_template("Subject: x\n\nHello {{ name ")
    with pytest.raises(NotFoundError):
        plan_mailing(db, TEMPLATE, Audience(ids=(9999,)))
    with pytest.raises(MailingError, match="not an RFM segment"):
        plan_mailing(db, TEMPLATE, Audience(segment="sleepy"))
    plan = plan_mailing(db, TEMPLATE, Audience(ids=tuple(three)))
    with pytest.raises(MailingError, match="sender"):
        send_mailing(db, plan, SmtpTransport(SmtpSettings("127.0.0.1")), sender="")


def test_segment_and_birthday_audiences(db: Database, three: list[int]) -> None:
    today = date.today()
    with db.session() as s:
        a, b, c = (s.get(Client, i) for i in three)
        assert a is not None and b is not None and c is not None
        a.rfm_segment = b.rfm_segment = "at risk"
        c.rfm_segment = "loyal"
        born = date(1990, today.month, min(today.day, 28))
        if born.day == today.day:
            c.birthday = born
    assert [r.client_id for r in plan_mailing(db, TEMPLATE, Audience(segment="at risk")).recipients] == three[
        :2
    ]
    birthdays = [r.client_id for r in plan_mailing(db, TEMPLATE, Audience(birthdays_on=today)).recipients]
    assert birthdays == ([three[2]] if today.day <= 28 else [])


def test_template_file_reading(tmp_path: Path) -> None:
    path = tmp_path / "offer.txt"
    path.write_bytes("\ufeffSubject: Скидка {{ name }}\r\n\r\nЗдравствуйте, {{ name }}!\r\n".encode())
    from custdesk.core.services.mail_templates import read_template_file

    template = read_template_file(path)
    assert (template.subject, template.body, template.is_html) == (
        "Скидка {{ name }}",
        "Здравствуйте, {{ name }}!\n",
        False,
    )
    (tmp_path / "bad.txt").write_bytes(b"\xff\xfe\x00")
    with pytest.raises(TemplateError, match="UTF-8"):
        read_template_file(tmp_path / "bad.txt")
    with pytest.raises(TemplateError, match="cannot be read"):
        read_template_file(tmp_path / "missing.txt")


def test_the_firms_own_fields_merge_by_their_label(db: Database, three: list[int]) -> None:
    from custdesk.core.services.mail_templates import client_context, render

    with db.session() as s:
        anna = s.get(Client, three[0])
        assert anna is not None
        context = client_context(anna, {"Card": "0042"}, address="anna@example.org", firm_name="Shop")
    merged = render(TEMPLATE, context)
    assert merged.body == "Dear Anna Berg of Berg Oy,\ncard 0042.\n"


@pytest.mark.parametrize(
    ("name", "first"),
    [
        ("Anna Berg", "Anna"),
        ("Иванова Анна Петровна", "Анна"),
        ("Сидоров Пётр Ильич", "Пётр"),
        ("Анна Петровна", "Анна"),
        ("Дмитрий Дмитриевич Шостакович", "Дмитрий"),
        ("مهدی گلپایگانی", "مهدی"),
        ("", ""),
    ],
)
def test_the_first_name_skips_a_surname_before_a_patronymic(name: str, first: str) -> None:
    from custdesk.core.services.mail_templates import first_name

    assert first_name(name) == first


def test_a_letter_merges_the_clients_own_fields_from_the_base(
    db: Database, server: tuple[Mailbox, SmtpSettings]
) -> None:
    # The firm's own fields (custom_fields) reach the template by their names, written as a person reads
    # them: "0004512" stays the text it is.
    from custdesk.core.services import custom_fields

    settings.set_values(db, {"require_contact": False})
    custom_fields.create_field(db, "Card", "text")
    card = next(f for f in custom_fields.list_fields(db) if f.label == "Card")
    data = ClientInput(
        name="Anna Berg", emails=(EmailInput("anna@example.org"),), custom={card.key: "0004512"}
    )
    cid = clients.create_client(db, data).id
    box, smtp = server
    _send(db, smtp, [cid])
    (letter,) = box.letters
    assert "card 0004512." in body(letter[1])
