"""The printed card, call sheet and client list as HTML: every field there, escaped; empty ones left out."""

from __future__ import annotations

import gettext
import html
import json
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from custdesk import i18n
from custdesk.core.db import Database
from custdesk.core.dto import CARD_FIELDS, PhoneInput
from custdesk.core.models import AuditEntry
from custdesk.core.services import clients, settings
from custdesk.core.services.client_list import ListQuery
from custdesk.core.vocab import FUNNEL_BY_KEY
from custdesk.io.cards import card_documents, card_html, load_card
from custdesk.io.print_html import FSI, LRI, esc
from custdesk.io.print_journal import journal_print
from custdesk.io.print_lists import client_list_document, today_document
from tests.unit.io._card_data import RICH, add_history, plain_client, rich_client


def _texts(value: object) -> list[str]:
    return [html.escape(line, quote=True) for line in str(value).splitlines()]


def test_every_field_is_printed_and_escaped(db: Database) -> None:
    cid = rich_client(db)
    page = card_html(load_card(db, cid))
    for name in CARD_FIELDS:
        value = getattr(RICH, name)
        if isinstance(value, str) and value and name not in ("kind", "temperature", "country"):
            for line in _texts(value):
                assert line in page, name
    # The raw markup a client typed never reaches the page as markup.
    for raw in ("<Tools>", "<steel>", "<prices>", "<North>", "<2024>", "<net>", '"sharp"'):
        assert raw not in page
    assert "Acme &lt;Tools&gt; &amp; &quot;Co&quot;" in page
    # Formatted values: the birthday, the contract's end, the discount, the cycle, the address, phones.
    for shown in ("5/17/80", "3/31/30", "7.5%", "every 5 days", "Main St. 12, Downtown, Springfield"):
        assert shown in page
    assert "United States" in page
    assert "(202) 555-0123" in page and "ext." in page and "(202) 555-0199" in page
    assert "mary@acme.example" in page and "wholesale" in page


def test_heading_badges_purchases_and_next_call(db: Database) -> None:
    cid = rich_client(db)
    with db.session() as s:
        from custdesk.core.models import Client

        s.get(Client, cid).next_call_on = date(2031, 4, 9)  # type: ignore[union-attr]
    page = card_html(load_card(db, cid))
    card = clients.get_client(db, cid)
    assert card.funnel == "platinum"  # the third purchase
    marker = FUNNEL_BY_KEY["platinum"]
    assert re.search(rf'<td bgcolor="{marker.colour}"[^>]*><b>{marker.letter}</b></td>', page)
    assert ">hot</b>" in page and ">VIP</b>" in page
    # The purchase summary: count, total, last, average.
    for shown in ("Number of purchases", ">3<", "$510.75", "2/1/25", "$170.25"):
        assert shown in page
    assert "Next call" in page and "4/9/31" in page


def test_history_shows_the_last_entries_of_the_setting(db: Database) -> None:
    cid = rich_client(db, history=12)
    settings.set_values(db, {"card_history_entries": 5})
    page = card_html(load_card(db, cid))
    assert "the latest 5 of 12 entries" in page
    shown = re.findall(r"Entry (\d{3})", page)
    assert shown == ["011", "010", "009", "008", "007"]  # newest first
    assert "Entry 011 &lt;said&gt; &amp; agreed" in page
    assert "<thead>" in page  # the header row repeats on every page
    assert "Next step: Send prices" in page  # entry 010


def test_empty_fields_leave_no_rows(db: Database) -> None:
    cid = plain_client(db, "Olga Plain")
    page = card_html(load_card(db, cid))
    for missing in (
        "Tax ID",
        "Bank details",
        "Birthday",
        "Buying and terms",
        "Contact person",
        "Organisation",
        "Discount",
        "E-mails",
        "Address",
        "ABC",
        "VIP",
    ):
        assert missing not in page, missing
    # No label without a value, no empty cell.
    assert not re.search(r"<td[^>]*>\s*</td>", page)
    assert "No purchases yet." in page and "No history yet." in page
    assert "Olga Plain" in page and "(202) 555-0111" in page


def test_right_to_left_reverses_the_columns(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    cid = plain_client(db, "علی رضایی", city="تهران", notes="مشتری خوب")
    i18n.set_language("fa")
    # The layout is under test, not the catalog: keep the labels English so they can be found.
    monkeypatch.setattr(i18n, "_translation", gettext.NullTranslations())
    try:
        page = card_html(load_card(db, cid))
    finally:
        i18n.set_language("en")
    assert '<html dir="rtl">' in page and '<body dir="rtl">' in page
    # The label column comes last in the row: Qt lays table columns out left to right.
    notes = next(r for r in re.findall(r"<tr>.*?</tr>", page) if "مشتری خوب" in r)
    assert notes.index("مشتری خوب") < notes.index("Notes")
    english = card_html(load_card(db, cid))
    notes = next(r for r in re.findall(r"<tr>.*?</tr>", english) if "مشتری خوب" in r)
    assert notes.index("Notes") < notes.index("مشتری خوب")
    assert FSI not in english
    assert f"{FSI}علی رضایی" in page  # each text in its own direction
    assert f"{LRI}(202) 555-0111" in page  # a phone stays left to right


def test_a_batch_of_cards_in_order_with_progress(db: Database) -> None:
    ids = [plain_client(db, f"Client {i}") for i in range(3)]
    seen: list[tuple[int, int]] = []
    docs = card_documents(db, list(reversed(ids)), progress=lambda d, t: seen.append((d, t)))
    assert [d.title for d in docs] == ["Client 2", "Client 1", "Client 0"]
    assert seen[0] == (0, 3) and seen[-1] == (3, 3)
    from custdesk.core.errors import NotFoundError

    with pytest.raises(NotFoundError):
        card_documents(db, [ids[0], 9999])


def test_today_call_sheet(db: Database) -> None:
    today = date.today()
    late = plain_client(db, "Late <Larry>")
    due = plain_client(
        db, "Due Dora", phones=(PhoneInput("+12025550140", "work"), PhoneInput("+12025550141"))
    )
    born = plain_client(db, "Birthday Bob", birthday=date(1990, today.month, today.day))
    ned = plain_client(db, "Not Due Ned")
    with db.session() as s:
        from custdesk.core.models import Client

        s.get(Client, late).next_call_on = today - timedelta(days=3)  # type: ignore[union-attr]
        s.get(Client, due).next_call_on = today  # type: ignore[union-attr]
        s.get(Client, born).next_call_on = today + timedelta(days=30)  # type: ignore[union-attr]
        s.get(Client, ned).next_call_on = today + timedelta(days=30)  # type: ignore[union-attr]
    doc = today_document(db)
    page = doc.html
    assert "Late &lt;Larry&gt;" in page and "<Larry>" not in page
    assert "Overdue call" in page and "3 days ago" in page
    assert "Call due today" in page and "Birthday on" in page
    assert "(202) 555-0140" in page and "(202) 555-0141" in page  # every phone, not just the primary
    assert "Not Due Ned" not in page
    for head in ("Client", "Phones", "Why", "Notes"):
        assert f">{head}</th>" in page
    assert page.index("Late &lt;Larry&gt;") < page.index("Due Dora") < page.index("Birthday Bob")


def test_client_list_with_the_columns_shown(db: Database) -> None:
    a = plain_client(db, "Anna <A>", city="Oulu")
    b = plain_client(db, "Boris", city="Espoo", vip=True)
    plain_client(db, "Carl", city="Turku")
    q = ListQuery(search="", sort="name", descending=True)
    doc = client_list_document(db, q, ["city", "name", "phone"])
    page = doc.html
    heads = re.findall(r"<th[^>]*>([^<]*)</th>", page)
    assert heads == ["No.", "City", "Name", "Phone"]
    assert page.index("Carl") < page.index("Boris") < page.index("Anna &lt;A&gt;")
    assert f">{a}<" in page and f">{b}<" in page
    assert "Funnel" not in page and "Revenue" not in page
    assert "<b>Boris</b>" in page  # VIP in bold, as the list shows it
    assert "3 clients" in page
    filtered = client_list_document(db, ListQuery(city="Oulu"), ["name"]).html
    assert "1 client; city: Oulu" in filtered and "Boris" not in filtered
    with pytest.raises(ValueError):
        client_list_document(db, q, ["salary"])


def test_print_jobs_are_journalled(db: Database) -> None:
    cid = plain_client(db, "Journal Jane")
    journal_print(db, "cards", client_ids=[cid], pages=2, target="/tmp/x.pdf", who="anna")
    with db.session() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "print")).one()
        assert (entry.entity, entry.entity_id, entry.field, entry.who) == ("client", cid, "cards", "anna")
        assert json.loads(entry.new or "") == {"pages": 2, "target": "/tmp/x.pdf", "clients": [cid]}


def test_esc_keeps_line_breaks() -> None:
    assert esc('a<b>\n"c" & d') == "a&lt;b&gt;<br/>&quot;c&quot; &amp; d"


def test_history_longer_than_the_setting_is_cut_and_counted(db: Database) -> None:
    cid = plain_client(db, "Many Entries")
    add_history(db, cid, 30)
    page = card_html(load_card(db, cid, history_entries=25))
    assert "the latest 25 of 30 entries" in page
    assert len(re.findall(r"Entry \d{3}", page)) == 25


def test_analysis_classes_where_computed(db: Database) -> None:
    from datetime import datetime

    from custdesk.core.models import AnalysisRun, Client

    analysed = plain_client(db, "Analysed Ann")
    never = plain_client(db, "Never Analysed")
    with db.session() as s:
        run = AnalysisRun(
            period_from=date(2024, 1, 1),
            period_to=date(2024, 12, 31),
            criterion="revenue",
            bucket="month",
            abc_thresholds="0.8,0.95",
            xyz_thresholds="0.1,0.25",
            clients=1,
            computed_at=datetime(2025, 1, 2),
        )
        s.add(run)
        s.flush()
        c = s.get(Client, analysed)
        assert c is not None
        c.abc_class, c.xyz_class, c.rfm_segment = "A", "X", "champions"
        c.rfm_r, c.rfm_f, c.rfm_m, c.analysis_run_id = 5, 5, 4, run.id
    docs = card_documents(db, [analysed, never])
    assert ">ABC: A</b>" in docs[0].html and ">XYZ: X</b>" in docs[0].html
    assert ">RFM: champions (5-5-4)</b>" in docs[0].html
    assert "ABC" not in docs[1].html and "RFM" not in docs[1].html  # not computed: no empty badge


def test_a_red_marker_is_framed_in_red_on_paper() -> None:
    from custdesk.core.vocab import FUNNEL_BY_KEY, RED_OUTLINE
    from custdesk.io.print_html import funnel_badge

    red, plain = funnel_badge("gold-red"), funnel_badge("gold")
    assert f"3px solid {RED_OUTLINE}" in red and FUNNEL_BY_KEY["gold-red"].letter in red
    assert RED_OUTLINE not in plain
