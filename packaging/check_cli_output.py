"""Check a custdesk-cli program's output through a pipe: UTF-8 whatever the code page, the PDF has text.

Used by .github/workflows/windows.yml on the frozen ``custdesk-cli.exe``. The runner's ANSI code page
(cp1252) has no Cyrillic, like an owner's cp1251 has no Persian: a program that wrote its redirected
output in the code page would fail here. Usage::

    python packaging/check_cli_output.py CLI BASE [PDF]

BASE is a demo base made with ``--lang ru`` (Cyrillic names); PDF a card ``print-card`` wrote.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    from custdesk.console import utf8_when_redirected

    utf8_when_redirected()  # this script prints the names too (the runner's code page has no Cyrillic)
    cli, base = argv[0], argv[1]
    pdf = Path(argv[2]) if len(argv) > 2 else None
    command = [cli, "clients", "--json", "--db", base]
    proc = subprocess.run(command, capture_output=True, timeout=300, check=False)
    if proc.returncode != 0:
        print(f"clients --json failed ({proc.returncode}): {proc.stderr.decode('utf-8', 'replace')}")
        return 1
    try:
        rows = json.loads(proc.stdout.decode("utf-8"))  # strict: every byte must be UTF-8
    except (UnicodeDecodeError, ValueError) as exc:
        print(f"clients --json through a pipe is not UTF-8 JSON: {exc}; first bytes {proc.stdout[:80]!r}")
        return 1
    cyrillic = [r["name"] for r in rows if any("\u0400" <= ch <= "\u04ff" for ch in r["name"])]
    print(f"clients --json through a pipe: {len(rows)} clients, {len(cyrillic)} in Cyrillic: {cyrillic[:2]}")
    if not cyrillic:
        print("expected Cyrillic names (a demo base made with --lang ru)")
        return 1
    if pdf is not None:
        from custdesk.ui.self_test import pdf_text

        text = pdf_text(pdf)
        print(f"print-card PDF text ({len(text)} characters): {text[:160]!r}")
        if len(text) < 20:
            print("the printed card has (almost) no text: no font was found")
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
