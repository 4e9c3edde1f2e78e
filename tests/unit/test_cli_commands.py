"""Feature subcommands register once, whichever way the console tool is started."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

from custdesk import commands


def test_known_lists_every_command_module() -> None:
    scanned = {m.name for m in pkgutil.iter_modules(commands.__path__) if not m.name.startswith("_")}
    # Frozen builds cannot scan the package: KNOWN must name every module.
    assert set(commands.KNOWN) == scanned


def test_python_m_lists_feature_commands() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "custdesk.cli", "--help"], capture_output=True, text=True, check=True
    ).stdout
    from custdesk.cli import COMMANDS, build_parser

    build_parser()
    for name in COMMANDS:
        assert f"    {name} " in out or f"    {name}\n" in out, name
