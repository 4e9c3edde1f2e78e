"""The wall between domain and GUI: core, analysis, io and the CLI never load PySide6."""

from __future__ import annotations

import subprocess
import sys

CODE = """
import importlib, pkgutil, sys
import custdesk.core, custdesk.analysis, custdesk.io, custdesk.cli
for package in (custdesk.core, custdesk.analysis, custdesk.io):
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        importlib.import_module(info.name)
loaded = sorted(name for name in sys.modules if name.split(".")[0] in ("PySide6", "shiboken6"))
print(",".join(loaded))
"""


def test_core_analysis_io_and_cli_do_not_import_qt() -> None:
    proc = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "", f"Qt loaded by the domain layers: {proc.stdout}"
