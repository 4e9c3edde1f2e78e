"""The test suite's PostgreSQL server: one throwaway server per run, one fresh database per test.

``.ci/run`` starts the server (tools/pg_test_server.sh) and gives its address in ``CUSTDESK_TEST_PG_URL``
(an account that may create databases but is no superuser). Without it the server tests are skipped with
the reason, except in CI (``CI`` set), where a missing server fails them.

A migrated template database is made once; each test's base is ``CREATE DATABASE … TEMPLATE`` of it
(a file copy on the server: milliseconds instead of a migration).
"""

from __future__ import annotations

import itertools
import os

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url

ENV_URL = "CUSTDESK_TEST_PG_URL"


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() not in ("", "0", "false", "no")


def server_or_skip() -> str:
    """The test server's address; skips the test without one (fails it in CI)."""
    url = os.environ.get(ENV_URL, "")
    if not url:
        reason = f"no PostgreSQL test server: set {ENV_URL} (tools/pg_test_server.sh start prints it)"
        if _in_ci():
            pytest.fail(f"CI needs the PostgreSQL server: {reason}")
        pytest.skip(reason)
    return url


class PgTestServer:
    """Makes and drops databases on the test server through its maintenance database."""

    def __init__(self, url: str) -> None:
        self.url: URL = make_url(url).set(drivername="postgresql+psycopg")
        self._admin = create_engine(self.url, isolation_level="AUTOCOMMIT", pool_size=1)
        self._names = itertools.count(1)
        self._prefix = f"cdt{os.getpid()}"
        self._template: str | None = None

    @classmethod
    def from_environment(cls) -> PgTestServer:
        return cls(server_or_skip())

    def url_of(self, name: str) -> str:
        return self.url.set(database=name).render_as_string(hide_password=False)

    def _create(self, name: str, template: str | None = None) -> None:
        with self._admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")))

    def _template_name(self) -> str:
        if self._template is None:
            from custdesk.core.db import open_base

            name = f"{self._prefix}_template"
            with self._admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            self._create(name)
            open_base(self.url_of(name)).close()  # migrated, settings written, every connection closed
            self._template = name
        return self._template

    def new_database(self, *, migrated: bool = False) -> str:
        """The address of a new database: empty, or a migrated empty CustDesk base."""
        name = f"{self._prefix}_{next(self._names)}"
        self._create(name, self._template_name() if migrated else None)
        return self.url_of(name)

    def drop(self, url: str) -> None:
        name = make_url(url).database
        with self._admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    def close(self) -> None:
        if self._template is not None:
            self.drop(self.url_of(self._template))
        self._admin.dispose()
