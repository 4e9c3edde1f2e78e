"""What ``--db`` names: a SQLite file or a base on a PostgreSQL server, decided before any path handling.

A text such as ``postgresql://user@host:5432/shop`` is a server URL; anything else is a file path.
Parsing the URL first keeps a server address from becoming folders called ``postgresql:``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import urlsplit

from sqlalchemy.engine import URL, make_url

from custdesk.core.errors import BaseOpenError
from custdesk.i18n import _

SERVER_SCHEMES = ("postgresql", "postgres")  # with or without "+driver"
DRIVER = "postgresql+psycopg"


def is_server_url(target: str | os.PathLike[str]) -> bool:
    """Whether ``target`` names a base on a server (``postgresql://…``) rather than a file."""
    if not isinstance(target, str):
        return False
    scheme, sep, _rest = target.partition("://")
    return bool(sep) and scheme.split("+", 1)[0].lower() in SERVER_SCHEMES


@dataclass(frozen=True)
class ServerTarget:
    """A base on a PostgreSQL server: the SQLAlchemy URL (psycopg 3) and a name to show (no password)."""

    url: URL

    @property
    def display(self) -> str:
        """``user@host:port/base`` for messages and titles (never the password)."""
        u = self.url
        host = u.host or "localhost"
        port = f":{u.port}" if u.port else ""
        user = f"{u.username}@" if u.username else ""
        return f"{user}{host}{port}/{u.database or ''}"

    @property
    def database(self) -> str:
        return self.url.database or ""


def parse_server_url(text: str) -> ServerTarget:
    """The server base ``text`` names, with the psycopg driver.

    Raises:
        BaseOpenError: the URL cannot be read, or names no base.
    """
    try:
        parts = urlsplit(text)
        url = make_url(text)
    except Exception as exc:  # sqlalchemy.exc.ArgumentError, ValueError (a bad port)
        raise BaseOpenError(
            _("{url} is not a server address CustDesk can read: {reason}").format(url=text, reason=exc)
        ) from exc
    try:
        _port = parts.port
    except ValueError as exc:
        raise BaseOpenError(
            _("{url} is not a server address CustDesk can read: {reason}").format(url=text, reason=exc)
        ) from exc
    if not url.database:
        raise BaseOpenError(
            _(
                "The server address {url} names no base: add its name at the end, "
                "e.g. postgresql://user@host:5432/shop."
            ).format(url=text)
        )
    return ServerTarget(url.set(drivername=DRIVER))


__all__ = ["DRIVER", "SERVER_SCHEMES", "ServerTarget", "is_server_url", "parse_server_url"]
