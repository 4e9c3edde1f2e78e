"""Address books exported by other programs land whole: Google Contacts' and Outlook's CSV files.

The files are in tests/fixtures/address_books/, with the columns those programs write (Google:
"Phone 1 - Type" / "Phone 1 - Value", several values in one cell joined by " ::: ", groups; Outlook:
business, home and other addresses, many phone columns).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from babel.dates import format_skeleton

from custdesk.core.db import Database
from custdesk.core.services import clients
from custdesk.core.services.client_list import list_clients
from custdesk.io.import_engine import ImportOptions, run_import
from custdesk.io.importers import read_source
from custdesk.io.mapping import suggest_mapping
from tests.unit.io._import_data import set_region

BOOKS = Path(__file__).resolve().parents[2] / "fixtures" / "address_books"


def _import(db: Database, path: Path) -> None:
    table = read_source(path)
    run_import(db, table, suggest_mapping("clients", table), ImportOptions())


def _cards(db: Database) -> dict[str, object]:
    return {c.name: clients.get_client(db, c.id) for c in list_clients(db)}


def test_google_contacts_csv_lands_whole(db: Database) -> None:
    set_region(db, "US")
    _import(db, BOOKS / "google-contacts.csv")
    cards = _cards(db)
    anna = cards["Anna Smith"]
    assert (anna.organisation, anna.birthday, anna.notes) == ("Acme Inc", date(1985, 3, 14), "Met at fair")  # type: ignore[attr-defined]
    assert (anna.street, anna.city, anna.region, anna.postcode, anna.country) == (  # type: ignore[attr-defined]
        "12 Main St", "San Francisco", "CA", "94105", "US",
    )  # fmt: skip
    # "Phone 2 - Value" holds two numbers joined by " ::: "; each column's kind comes from its "Type".
    assert [(p.number, p.kind) for p in anna.phones] == [  # type: ignore[attr-defined]
        ("+14155550101", "mobile"), ("+14155550199", "work"), ("+14155550100", "work"),
    ]  # fmt: skip
    assert [e.address for e in anna.emails] == ["anna@example.com", "anna.smith@acme.com"]  # type: ignore[attr-defined]
    assert list(anna.tags) == ["VIP"]  # type: ignore[attr-defined]  # not Google's own "* myContacts"
    bob = cards["Bob Jones"]
    day = format_skeleton("MMMMd", date(2000, 7, 4), locale="en")
    assert bob.birthday is None and bob.notes == f"Birthday: {day} (the year is not known)."  # type: ignore[attr-defined]


def test_outlook_csv_lands_whole(db: Database) -> None:
    set_region(db, "FI")
    _import(db, BOOKS / "outlook.csv")
    (matti,) = _cards(db).values()
    assert (matti.name, matti.organisation, matti.birthday) == (  # type: ignore[attr-defined]
        "Matti Meikäläinen", "Meikäläinen Oy", date(1980, 5, 17),
    )  # fmt: skip
    assert (matti.street, matti.city, matti.postcode, matti.country) == (  # type: ignore[attr-defined]
        "Hämeenkatu 1", "Tampere", "33100", "FI",
    )  # fmt: skip
    assert [(p.number, p.kind) for p in matti.phones] == [  # type: ignore[attr-defined]
        ("+35898765432", "home"), ("+358401234567", "mobile"),
    ]  # fmt: skip
    assert [e.address for e in matti.emails] == ["matti@example.fi"]  # type: ignore[attr-defined]


def test_an_outlook_contact_with_only_a_home_address_keeps_it(db: Database, tmp_path: Path) -> None:
    text = (BOOKS / "outlook.csv").read_text(encoding="utf-8").splitlines()
    header = text[0].split('","')
    row = ["" for _ in header]

    def put(column: str, value: str) -> None:
        row[[h.strip('"') for h in header].index(column)] = value

    put("First Name", "Liisa")
    put("Last Name", "Virtanen")
    put("Mobile Phone", "+358 50 765 4321")
    put("Home Street", "Mannerheimintie 5 A 3")
    put("Home City", "Helsinki")
    put("Home Postal Code", "00100")
    path = tmp_path / "home.csv"
    path.write_text(text[0] + "\n" + ",".join(f'"{v}"' for v in row) + "\n", encoding="utf-8")
    _import(db, path)
    (liisa,) = _cards(db).values()
    assert (liisa.street, liisa.city, liisa.postcode) == ("Mannerheimintie 5 A 3", "Helsinki", "00100")  # type: ignore[attr-defined]


def test_a_second_address_goes_into_the_notes_not_nowhere(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "two.csv"
    path.write_text(
        '"First Name","Last Name","Mobile Phone","Business City","Home City"\n'
        '"Liisa","Virtanen","+358 50 765 4321","Tampere","Helsinki"\n',
        encoding="utf-8",
    )
    _import(db, path)
    (liisa,) = _cards(db).values()
    assert liisa.city == "Tampere"  # type: ignore[attr-defined]
    assert liisa.notes == "Home City: Helsinki"  # type: ignore[attr-defined]
