"""The migrations build exactly the ORM's schema, and go down and up again."""

from __future__ import annotations

from pathlib import Path

from _search_data import insert_raw_client
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection

from custdesk.core.db import alembic_config, head_revision, make_engine, open_base
from custdesk.core.models import Base


def _differences(path: Path) -> list[object]:
    """What the base has that the ORM lacks (or the reverse), FTS5 tables and their shadows aside."""
    engine = make_engine(path)
    try:
        with engine.connect() as conn:
            virtual = list(
                conn.exec_driver_sql(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'"
                ).scalars()
            )

            def include_name(name: str | None, type_: str, _parent: object) -> bool:
                if type_ != "table" or name is None:
                    return True
                return not any(name == v or name.startswith(v + "_") for v in virtual)

            opts = {"compare_type": True, "render_as_batch": True, "include_name": include_name}
            ctx = MigrationContext.configure(conn, opts=opts)
            return list(compare_metadata(ctx, Base.metadata))
    finally:
        engine.dispose()


def test_migrated_empty_base_matches_the_orm(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite"
    open_base(path).close()
    assert _differences(path) == []


def test_downgrade_to_base_and_upgrade_again(empty_base_file: Path) -> None:
    engine = make_engine(empty_base_file)
    cfg = alembic_config()
    try:
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "base")
            tables = set(conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='table'").scalars())
            assert tables <= {"alembic_version"}
            command.upgrade(cfg, "head")
            version = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
            assert version == head_revision()
    finally:
        engine.dispose()
    assert _differences(empty_base_file) == []


def test_0005_pads_the_index_rows_and_adds_the_vocabulary_and_goes_back(empty_base_file: Path) -> None:
    engine = make_engine(empty_base_file)
    cfg = alembic_config()

    def state(conn: Connection) -> tuple[str, bool, bool]:
        body = conn.exec_driver_sql("SELECT body FROM client_search WHERE rowid = 5").scalar()
        vocabulary = conn.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE name = 'client_search_terms'"
        ).first()
        found = conn.exec_driver_sql("SELECT rowid FROM client_search WHERE client_search MATCH 'рова'")
        return str(body), vocabulary is not None, list(found.scalars()) == [5]

    try:
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0004")
            insert_raw_client(conn, id=5, external_id="X-5", name="Петрова", city="Тверь")
            assert state(conn) == ("Петрова\n\nТверь\n\n\n", False, True)
            command.upgrade(cfg, "0005")
            assert state(conn) == ("Петрова\n\nТверь\n\n\n\n\n", True, True)
            terms = conn.exec_driver_sql(
                "SELECT term FROM client_search_terms WHERE term >= 'ва' AND term < 'вб'"
            ).scalars()
            assert list(terms) == ["ва\n"]  # the row's last trigram starting with "ва"
            command.downgrade(cfg, "0004")
            assert state(conn) == ("Петрова\n\nТверь\n\n\n", False, True)
    finally:
        engine.dispose()


def test_0008_puts_text_values_of_own_fields_into_the_search_index_and_goes_back(
    empty_base_file: Path,
) -> None:
    engine = make_engine(empty_base_file)
    cfg = alembic_config()

    def body(conn: Connection) -> str:
        return str(conn.exec_driver_sql("SELECT body FROM client_search WHERE rowid = 5").scalar())

    try:
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            insert_raw_client(conn, id=5, external_id="X-5", name="Петрова", city="Тверь")
            conn.exec_driver_sql(
                "INSERT INTO custom_fields (id, name, kind, section, required, list_column, choices, "
                "position, created_at) "
                "VALUES (1, 'Авто', 'text', 'Own fields', 0, 0, '[]', 1, '2026-12-07 10:00:00')"
            )
            conn.exec_driver_sql("INSERT INTO client_field_values VALUES (5, 1, 'Ёлка Octavia')")
            assert "Елка Octavia" in body(conn)  # folded as the rest of the row
            conn.exec_driver_sql("UPDATE custom_fields SET kind = 'number' WHERE id = 1")
            assert "Octavia" not in body(conn)
            conn.exec_driver_sql("UPDATE custom_fields SET kind = 'text' WHERE id = 1")
            conn.exec_driver_sql("DELETE FROM client_field_values")
            assert "Octavia" not in body(conn)
            command.downgrade(cfg, "0006")
            assert body(conn) == "Петрова\n\nТверь\n\n\n\n\n"
            assert (
                conn.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'custom_fields'").first()
                is None
            )
            command.upgrade(cfg, "head")
            assert body(conn) == "Петрова\n\nТверь\n\n\n\n\n\n"
    finally:
        engine.dispose()
