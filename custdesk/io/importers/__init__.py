"""Readers of the files an old client base lives in, one module per format, behind :mod:`.base`.

Use :func:`custdesk.io.importers.base.read_source` (also re-exported here); it picks the reader by the
file's content and extension.
"""

from custdesk.io.importers.base import ImportFileError, SourceTable, list_tables, read_source

__all__ = ["ImportFileError", "SourceTable", "list_tables", "read_source"]
