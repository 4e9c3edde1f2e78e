"""The migrations build exactly the ORM's schema, and go down and up again."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

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
