"""Search: the FTS5 trigram index, its triggers, and the query reading (phones, words, any text)."""

from __future__ import annotations

from datetime import datetime

import pytest
from _search_data import add_client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select, text, true, update

from custdesk.core.db import Database
from custdesk.core.models import Client, Email, Phone
from custdesk.core.services import search


def found(db: Database, query: str, *, dialect: str | None = None) -> set[int]:
    """The clients ``query`` finds; on SQLite the same with and without the index's vocabulary, and
    the same as the ids ``matching_ids`` reads from the index alone (for a non-empty query).

    ``dialect``: the base's own (SQLite's FTS5 or the server's pg_trgm), or ``"other"`` for the LIKE
    fallback of a dialect without an index."""
    index = dialect is None
    dialect = dialect or db.engine.dialect.name
    with db.session() as s:
        plain = set(s.scalars(select(Client.id).where(search.match_clause(query, dialect=dialect))))
        terms = search.term_lookup(s.connection())
        by_terms = set(
            s.scalars(select(Client.id).where(search.match_clause(query, dialect=dialect, terms=terms)))
        )
        if index and search.normalise(query):
            for lookup in (None, terms):
                ids = set(s.scalars(search.matching_ids(query, terms=lookup, dialect=dialect)))
                assert ids == plain, (query, lookup)
    assert by_terms == plain, query
    return plain


@pytest.fixture
def base(db: Database) -> dict[str, int]:
    return {
        "ivanov": add_client(
            db,
            "Иванов Пётр Сергеевич",
            phones=("+79123456789", "+74951234567"),
            emails=("Ivan.Petrov@Mail.ru",),
            city="Москва",
            region="Московская область",
        ),
        "rezaei": add_client(db, "مهدی رضایی", phones=("+989351112233",), city="تهران", notes="مشتری قدیمی"),
        "matti": add_client(
            db, "Matti Meikäläinen", phones=("+358401234567",), organisation="Oy Puu Ab", city="Helsinki"
        ),
        "empty": add_client(db, "Smith"),
    }


def test_phone_digits_find_e164_and_national_forms(db: Database, base: dict[str, int]) -> None:
    assert found(db, "9123") == {base["ivanov"]}
    assert found(db, "+7 (912) 345-67-89") == {base["ivanov"]}
    assert found(db, "8 912 345") == {base["ivanov"]}  # the national form
    assert found(db, "0401234") == {base["matti"]}  # Finnish trunk prefix 0
    assert found(db, "09351") == {base["rezaei"]}  # Iranian trunk prefix 0
    assert found(db, "495") == {base["ivanov"]}  # a second phone
    assert found(db, "۹۱۲۳") == {base["ivanov"]}  # Persian digits


def test_short_phone_query_matches_the_start_of_the_number(db: Database, base: dict[str, int]) -> None:
    assert found(db, "98") == {base["rezaei"]}
    assert found(db, "+7") == {base["ivanov"]}
    assert found(db, "(35)") == {base["matti"]}
    assert found(db, "93") == set()  # not at the start: 3+ digits search anywhere
    assert found(db, "93", dialect="other") == {base["rezaei"]}  # LIKE anywhere on other dialects


def test_cyrillic_substring_any_case(db: Database, base: dict[str, int]) -> None:
    for query in ("ива", "ИВА", "Ива", "етр", "ПЁТР", "петр", "москов"):
        assert found(db, query) == {base["ivanov"]}, query


def test_persian_substring(db: Database, base: dict[str, int]) -> None:
    assert found(db, "رضا") == {base["rezaei"]}
    assert found(db, "تهر") == {base["rezaei"]}
    assert found(db, "قدیم") == {base["rezaei"]}  # notes
    assert found(db, "رضاي") == {base["rezaei"]}  # Arabic yeh typed for the Persian one


def test_latin_with_diacritics_and_organisation(db: Database, base: dict[str, int]) -> None:
    assert found(db, "MEIKÄ") == {base["matti"]}
    assert found(db, "puu") == {base["matti"]}
    assert found(db, "hels") == {base["matti"]}


def test_email_part(db: Database, base: dict[str, int]) -> None:
    assert found(db, "ivan.petrov@") == {base["ivanov"]}
    assert found(db, "@mail.ru") == {base["ivanov"]}
    assert found(db, "MAIL") == {base["ivanov"]}


def test_words_are_anded_across_fields(db: Database, base: dict[str, int]) -> None:
    assert found(db, "Иванов Москва") == {base["ivanov"]}
    assert found(db, "Иванов  mail  9123") == {base["ivanov"]}
    assert found(db, "Иванов Helsinki") == set()
    assert found(db, "Matti Oy") == {base["matti"]}  # a short word goes by LIKE
    assert found(db, "Matti Ив") == set()


def test_short_queries_match_starts_in_any_case(db: Database, base: dict[str, int]) -> None:
    assert found(db, "ив") == {base["ivanov"]}
    assert found(db, "ИВ") == {base["ivanov"]}
    assert found(db, "И") == {base["ivanov"]}
    assert found(db, "mo") == set()
    assert found(db, "мо") == {base["ivanov"]}  # the city
    assert found(db, "oy") == {base["matti"]}  # the organisation
    assert found(db, "sm") == {base["empty"]}
    assert found(db, "пё") == set()  # inside the name: not a start
    assert found(db, "%") == set()
    assert found(db, "_") == set()


def test_short_word_beside_a_long_one_matches_anywhere(db: Database, base: dict[str, int]) -> None:
    assert found(db, "Иванов пё") == {base["ivanov"]}
    assert found(db, "Иванов пе") == {base["ivanov"]}  # е finds ё
    assert found(db, "Иванов ПЁ") == {base["ivanov"]}


def test_short_word_beside_a_long_one_in_any_case_and_field(db: Database, base: dict[str, int]) -> None:
    assert found(db, "Иванов иВ") == {base["ivanov"]}  # the name, mixed case
    assert found(db, "Иванов МО") == {base["ivanov"]}  # the city and the region
    assert found(db, "Иванов ru") == {base["ivanov"]}  # the e-mail
    assert found(db, "Иванов 89") == {base["ivanov"]}  # the national form of a phone
    assert found(db, "Иванов 12") == {base["ivanov"]}  # phone digits anywhere
    assert found(db, "Иванов 77") == set()
    assert found(db, "رضا قد") == {base["rezaei"]}  # Persian notes
    assert found(db, "رضا قي") == set()
    assert found(db, "Matti KÄ") == {base["matti"]}  # a non-ASCII letter in upper case
    assert found(db, "Matti %") == set()
    assert found(db, "Matti _") == set()


def test_empty_query_finds_everyone(db: Database, base: dict[str, int]) -> None:
    assert found(db, "") == set(base.values())
    assert found(db, "   ") == set(base.values())


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '""',
        "'",
        'a"b',
        "NEAR(a b)",
        "a OR b",
        "a AND",
        "NOT",
        "*",
        "ива*",
        "^ива",
        "col:ива",
        "{name}: x",
        "(",
        ")",
        "-",
        "+",
        "\\",
        "%_",
        "a\x00b",
        "\u200b",
        "ivan@mail.ru OR 1=1; DROP TABLE clients",
    ],
)
def test_fts_syntax_is_plain_text(db: Database, base: dict[str, int], query: str) -> None:
    assert found(db, query) <= set(base.values())


def test_fts_operators_are_not_interpreted(db: Database, base: dict[str, int]) -> None:
    assert found(db, "Иванов OR Matti") == set()  # "OR" is a word that must also be found
    assert found(db, '"Иванов"') == set()  # the quotes are text
    assert found(db, "Ивано*") == set()


def test_index_follows_client_updates_and_deletes(db: Database, base: dict[str, int]) -> None:
    with db.session() as s:
        s.execute(update(Client).where(Client.id == base["empty"]).values(name="Сидоров", city="Казань"))
    assert found(db, "сидор казан") == {base["empty"]}
    assert found(db, "Smith") == set()
    with db.session() as s:
        s.execute(update(Client).where(Client.id == base["empty"]).values(notes="любит чай"))
    assert found(db, "чай") == {base["empty"]}
    with db.session() as s:
        s.execute(delete(Client).where(Client.id == base["empty"]))
    assert found(db, "сидор") == set()
    with db.session() as s:
        assert s.scalar(text("SELECT count(*) FROM client_search")) == 3


def test_index_follows_phones(db: Database, base: dict[str, int]) -> None:
    with db.session() as s:
        s.add(Phone(client_id=base["empty"], number="+79995550011", position=0, is_primary=True))
    assert found(db, "5550011") == {base["empty"]}
    with db.session() as s:
        s.execute(update(Phone).where(Phone.number == "+79995550011").values(number="+79995550022"))
    assert found(db, "5550011") == set()
    assert found(db, "5550022") == {base["empty"]}
    with db.session() as s:  # moved to another client (as a merge does)
        s.execute(update(Phone).where(Phone.number == "+79995550022").values(client_id=base["matti"]))
    assert found(db, "5550022") == {base["matti"]}
    assert found(db, "Smith 5550022") == set()
    with db.session() as s:
        s.execute(delete(Phone).where(Phone.number == "+79995550022"))
    assert found(db, "5550022") == set()
    assert found(db, "0401234") == {base["matti"]}


def test_index_follows_emails(db: Database, base: dict[str, int]) -> None:
    with db.session() as s:
        s.add(
            Email(client_id=base["empty"], address="J.Smith@Example.com", address_key="j.smith@example.com")
        )
    assert found(db, "smith@exa") == {base["empty"]}
    with db.session() as s:
        s.execute(update(Email).where(Email.client_id == base["empty"]).values(address="js@firm.fi"))
    assert found(db, "example") == set()
    assert found(db, "firm.fi") == {base["empty"]}
    with db.session() as s:
        s.execute(delete(Email).where(Email.client_id == base["empty"]))
    assert found(db, "firm.fi") == set()


def test_orm_delete_cascade_removes_index_row(db: Database, base: dict[str, int]) -> None:
    with db.session() as s:
        s.delete(s.get_one(Client, base["ivanov"]))
    assert found(db, "9123") == set()
    assert found(db, "mail") == set()


def test_rebuild_index_and_bulk_load(db: Database, base: dict[str, int]) -> None:
    with db.engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM client_search")
    assert found(db, "9123") == set()
    with db.engine.begin() as conn:
        search.rebuild_index(conn)
    assert found(db, "9123") == {base["ivanov"]}

    now = datetime(2026, 1, 1)
    sqlite = db.engine.dialect.name == "sqlite"  # a server keeps its triggers through a bulk load
    with db.engine.begin() as conn:
        with search.bulk_load(conn):
            if sqlite:
                names = {
                    r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='trigger'")
                }
                assert not any(n.startswith("client_search_") for n in names)
            conn.execute(
                Client.__table__.insert(),
                [
                    {"external_id": f"B-{i}", "name": f"Балк {i}", "created_at": now, "updated_at": now}
                    for i in range(3)
                ],
            )
        if sqlite:
            names = {
                r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='trigger'")
            }
            assert len([n for n in names if n.startswith("client_search_")]) == 13  # 0002: 9, 0008: 4
    assert len(found(db, "балк")) == 3
    assert found(db, "9123") == {base["ivanov"]}
    new = add_client(db, "После Балка")  # the triggers work again
    assert found(db, "после") == {new}


def test_bulk_load_rolled_back_keeps_triggers(db: Database, base: dict[str, int]) -> None:
    with pytest.raises(RuntimeError), db.engine.begin() as conn, search.bulk_load(conn):
        raise RuntimeError("loader failed")
    new = add_client(db, "Триггер Жив")
    assert found(db, "тригг") == {new}


def test_like_fallback_of_other_dialects(db: Database, base: dict[str, int]) -> None:
    # What a PostgreSQL base would run (SQLite's lower() folds ASCII only, so stay in ASCII here).
    assert found(db, "matti", dialect="other") == {base["matti"]}
    assert found(db, "9123", dialect="other") == {base["ivanov"]}
    assert found(db, "petrov@", dialect="other") == {base["ivanov"]}
    assert found(db, "Matti Helsinki", dialect="other") == {base["matti"]}


def test_is_phone_query() -> None:
    assert search.is_phone_query("+7 (912) 345-67-89")
    assert not search.is_phone_query("Иван 912")
    assert not search.is_phone_query("+-()")


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=30))
def test_any_text_never_raises_and_returns_a_subset(db: Database, query: str) -> None:
    if not found(db, "Smith"):
        add_client(db, "Smith", phones=("+79123456789",), emails=("x@y.ru",))
    with db.session() as s:
        everyone = set(s.scalars(select(Client.id)))
    assert found(db, query) <= everyone
    assert found(db, query, dialect="other") <= everyone


@pytest.mark.sqlite_only  # SQLite's FTS5 index: its MATCH text and the checks left per client
def test_match_parts_split_index_and_per_client_checks(db: Database, base: dict[str, int]) -> None:
    def ids(condition: object) -> set[int]:
        with db.session() as s:
            return set(s.scalars(select(Client.id).where(condition)))  # type: ignore[arg-type]

    indexed, checks = search.match_parts("Иванов пё")
    assert "client_search MATCH" in str(indexed) and "LIKE" in str(checks)
    assert ids(indexed) == {base["ivanov"]} == ids(search.match_clause("Иванов пё"))
    indexed, checks = search.match_parts("Иванов пё", driving=False)  # not to start from: "id + 0 IN"
    assert "clients.id +" in str(indexed)
    assert ids(indexed) == {base["ivanov"]}
    assert search.match_parts("9123")[1] is true()
    assert search.match_parts("") == (true(), true())


def test_short_words_beside_long_ones_are_answered_by_the_index(db: Database, base: dict[str, int]) -> None:
    """With the vocabulary nothing is left to check per client, also for a word at the very end of a row."""
    tail = add_client(db, "Zyx Qwerty", emails=("a@b.fi",))  # "fi" and "i" only at the end of its row

    def ids(condition: object) -> set[int]:
        with db.session() as s:
            return set(s.scalars(select(Client.id).where(condition)))  # type: ignore[arg-type]

    cases = {
        "Иванов пё": {base["ivanov"]},
        "Иванов ru": {base["ivanov"]},  # the last characters of the row (its last e-mail)
        "Иванов u": {base["ivanov"]},
        "Qwerty fi": {tail},
        "Qwerty i": {tail},
        "Qwerty FI": {tail},
        "Иванов 89": {base["ivanov"]},  # a phone's national form
        "رضا قد": {base["rezaei"]},
        "Matti KÄ": {base["matti"]},
        "Иванов zq": set(),  # held by no row at all
    }
    with db.session() as s:
        terms = search.term_lookup(s.connection())
        dialect = db.engine.dialect.name
        parts = {query: search.match_parts(query, terms=terms, dialect=dialect) for query in cases}
    for query, who in cases.items():
        indexed, checks = parts[query]
        assert checks is true(), query
        if dialect == "sqlite":  # the FTS5 vocabulary answers them (a server's pg_trgm index: ILIKE)
            assert "LIKE" not in str(indexed), query
        assert ids(indexed) == who == found(db, query), query


@pytest.mark.sqlite_only  # the vocabulary of SQLite's FTS5 index
def test_a_short_word_too_common_for_the_index_is_checked_per_client(
    db: Database, base: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search, "MAX_SHORT_TERMS", 1)  # "в" starts more trigrams than that here
    with db.session() as s:
        indexed, checks = search.match_parts("Иванов в", terms=search.term_lookup(s.connection()))
        assert "LIKE" in str(checks)
        assert set(s.scalars(select(Client.id).where(indexed, checks))) == {base["ivanov"]}
    monkeypatch.setattr(search, "MAX_SHORT_TERMS", 100)
    monkeypatch.setattr(search, "MAX_SHORT_POSTINGS", 0)
    with db.session() as s:
        assert "LIKE" in str(search.match_parts("Иванов в", terms=search.term_lookup(s.connection()))[1])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.sampled_from(["Иванов", "Москва", "مهدی", "Matti", "ivan.petrov", "Smith", "912345"]),
    st.text(alphabet="аАвВиИеЕёЁoOмМaAtTiIkKäÄ@.123456789 یهد\n", min_size=1, max_size=2),
)
def test_a_short_word_finds_the_same_by_the_index_as_by_like(
    db: Database, base: dict[str, int], long: str, short: str
) -> None:
    """Whatever the short word, the index and LIKE find the same clients (``found`` compares them)."""
    found(db, f"{long} {short}")
