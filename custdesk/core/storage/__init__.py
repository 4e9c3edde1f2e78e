"""Storage: where a base lives and the seams its dialects differ at.

- :mod:`.target`: whether ``--db`` names a SQLite file or a PostgreSQL server (parsed before any path
  handling);
- :mod:`.server`: opening a base on a PostgreSQL server (migrations, read-only seats, errors);
- :mod:`.changes`: change detection (SQLite ``PRAGMA data_version``; a change counter on the server);
- :mod:`.files`: file-level operations (backup, integrity check, lock) for each kind of base;
- :mod:`.copy`: copying a whole base from one kind to the other (``custdesk-cli copy-base``).

``custdesk.core.db`` keeps the SQLite engine, sessions and opening (it is re-exported here as
:func:`open_base`); it hands a server address to :mod:`.server`.
"""

from __future__ import annotations

from custdesk.core.db import Database, open_base
from custdesk.core.storage.target import ServerTarget, is_server_url, parse_server_url

__all__ = ["Database", "ServerTarget", "is_server_url", "open_base", "parse_server_url"]
