"""A base on a PostgreSQL server: the address read before any path, the schema made by the migrations,
ids from the server, a foreign database refused unchanged, every CLI subcommand on a server."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, func, inspect, select, text

from custdesk.core.db import open_base
from custdesk.core.errors import BaseOpenError, NotABaseError
from custdesk.core.models import Base, Client
from custdesk.core.services import search
from custdesk.core.storage.target import is_server_url, parse_server_url
from custdesk.io.importers import read_source


@pytest.mark.parametrize(
    ("text_", "server"),
    [
        ("postgresql://u:p@host:5432/shop", True),
        ("postgres://host/shop", True),
        ("postgresql+psycopg://host/shop", True),
        ("PostgreSQL://host/shop", True),
        ("/home/anna/base.sqlite", False),
        ("C:\\Users\\anna\\base.sqlite", False),
        ("postgresql:base.sqlite", False),
        ("sqlite:///x.sqlite", False),
    ],
)
def test_a_server_address_is_told_from_a_file_path(text_: str, server: bool) -> None:
    assert is_server_url(text_) is server


def test_a_server_address_names_no_password_when_shown() -> None:
    target = parse_server_url("postgresql://anna:secret@shop-pc:5433/shop")
    assert target.display == "anna@shop-pc:5433/shop"
    assert target.url.drivername == "postgresql+psycopg"


def test_an_address_without_a_base_is_refused_with_how_to_write_it() -> None:
    with pytest.raises(BaseOpenError, match="names no base"):
        parse_server_url("postgresql://anna@shop-pc:5432")


def test_the_migrations_make_the_schema_on_the_server_as_the_models_say(server_url: str) -> None:
    db = open_base(server_url)
    try:
        assert db.is_server and db.created
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
            extensions = {r[0] for r in conn.execute(text("SELECT extname FROM pg_extension"))}
            superuser = conn.execute(
                text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            ).scalar()

        def of_search_index(d: tuple[object, ...]) -> bool:  # the index is not in the ORM (on SQLite neither)
            thing = d[1]
            table = getattr(thing, "table", thing)
            return (
                d[0] in ("remove_table", "remove_index")
                and getattr(table, "name", "") in search.SEARCH_TABLES
            )

        relevant = [d for d in diff if not of_search_index(d)]
        assert relevant == []
        assert "pg_trgm" in extensions
        assert superuser is False  # CustDesk's account in the tests is no superuser
    finally:
        db.close()


def test_a_database_of_another_program_is_refused_and_left_alone(server_url: str) -> None:
    engine = create_engine(server_url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE invoices (id integer PRIMARY KEY)"))
    with pytest.raises(NotABaseError, match="another program"):
        open_base(server_url)
    with engine.connect() as conn:
        assert set(inspect(conn).get_table_names()) == {"invoices"}
    engine.dispose()


def test_ids_come_from_the_server_so_an_import_and_a_new_card_never_collide(
    server_base_url: str, tmp_path: Path
) -> None:
    from custdesk.core.dto import ClientInput, PhoneInput
    from custdesk.core.services import clients
    from custdesk.io.import_engine import ImportOptions, run_import
    from custdesk.io.mapping import suggest_mapping

    db = open_base(server_base_url)
    try:
        first = clients.create_client(
            db, ClientInput(name="Before", phones=[PhoneInput(number="+79120000001")])
        )
        source = tmp_path / "c.csv"
        source.write_text("Name,Phone\nAnna,+79120000002\nBoris,+79120000003\n", encoding="utf-8")
        table = read_source(source)
        run_import(db, table, suggest_mapping("clients", table), ImportOptions())
        after = clients.create_client(
            db, ClientInput(name="After", phones=[PhoneInput(number="+79120000004")])
        )
        with db.session() as s:
            ids = sorted(s.scalars(select(Client.id)))
            assert s.scalar(select(func.count()).select_from(Client)) == 4
        assert len(set(ids)) == 4 and first.id == ids[0] and after.id == ids[-1]
    finally:
        db.close()


def test_every_cli_subcommand_reads_the_address_and_makes_no_folder(
    server_base_url: str, tmp_path: Path
) -> None:
    env = {**os.environ, "CUSTDESK_DATA_DIR": str(tmp_path / "data")}
    source = tmp_path / "c.csv"
    source.write_text("Name,Phone,City\nИванов Пётр,+79123456789,Москва\n", encoding="utf-8")

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "custdesk.cli", "--db", server_base_url, *args],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    assert cli("import", str(source)).returncode == 0
    listed = cli("clients", "--search", "петр")  # ё is е, letter case folded, on the server too
    assert listed.returncode == 0 and "Иванов Пётр" in listed.stdout
    assert cli("due").returncode == 0
    assert cli("analyze").returncode == 0
    assert cli("export", str(tmp_path / "out.csv")).returncode == 0
    assert "Иванов Пётр" in (tmp_path / "out.csv").read_text(encoding="utf-8-sig")
    refused = cli("backup")
    assert refused.returncode == 2 and "pg_dump" in refused.stderr and "Traceback" not in refused.stderr
    assert not (tmp_path / "postgresql:").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.csv", "data", "out.csv"]
