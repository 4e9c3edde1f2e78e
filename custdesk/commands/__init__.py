"""Subcommands of ``custdesk-cli`` that live beside the core ones in ``custdesk.cli``.

Each module here registers its subcommands with :func:`custdesk.cli.command` when imported; the CLI
imports every module of this package before building its parser, so adding a subcommand is adding a
file. Keep Qt out of module level (the console tool must start without it): import it inside a handler
that needs it.
"""

from __future__ import annotations

import importlib
import pkgutil

# Listed for frozen builds, where the package cannot be scanned; the scan below finds new ones in a
# source tree, and a test checks this list against the scan.
KNOWN: tuple[str, ...] = (
    "analyze",
    "campaign",
    "due",
    "duplicates",
    "export",
    "fields",
    "import_",
    "journal",
    "mailing",
    "print_card",
    "users",
)


def load_all() -> None:
    """Import every command module so that each registers its subcommands."""
    names = set(KNOWN)
    names.update(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_"))
    for name in sorted(names):
        importlib.import_module(f"{__name__}.{name}")
