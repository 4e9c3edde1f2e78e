"""UTF-8 on standard output and error when they go to a file or a pipe, not a terminal.

On Windows, Python writes redirected output in the ANSI code page (cp1251 on a Russian PC, cp1252 on a
Finnish one), which has no Persian letters (and cp1251 no "Ö"): ``custdesk-cli clients --json > out.json``
would stop with ``UnicodeEncodeError`` halfway through. A terminal is left alone (Python writes to the
Windows console in UTF-16, and to a POSIX terminal in its locale's encoding, which the terminal expects).
CustDesk's files and pipes are UTF-8 everywhere, like its exports. No Qt here.
"""

from __future__ import annotations

import codecs
import sys
from typing import TextIO


def _is_utf8(encoding: str | None) -> bool:
    try:
        return codecs.lookup(encoding or "ascii").name == "utf-8"
    except LookupError:
        return False


def utf8_when_redirected(*streams: TextIO | None) -> None:
    """Switch each stream that is not a terminal to UTF-8 (default: ``sys.stdout`` and ``sys.stderr``).

    A missing stream (``None``: a windowed program has none), a terminal, a stream already in UTF-8 or
    one that cannot be reconfigured is left as it is; each keeps its error handler (stderr's
    ``backslashreplace``). Call it first thing, before anything is written.
    """
    for stream in streams or (sys.stdout, sys.stderr):
        if stream is None or _is_utf8(getattr(stream, "encoding", None)):
            continue
        try:
            if stream.isatty():
                continue
        except (AttributeError, ValueError, OSError):  # closed or not a real file
            continue
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is None:
            continue
        try:
            reconfigure(encoding="utf-8", errors=getattr(stream, "errors", None) or "strict")
        except (ValueError, OSError):  # already read from or closed: leave it
            continue
