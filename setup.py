"""Build shim: the translations are compiled (.po -> .mo) whenever the package is built.

Everything else is in pyproject.toml. ``pip install .``, ``pip install -e .`` and ``python -m build`` run
``build_py``, which writes each ``custdesk/resources/locale/<lang>/LC_MESSAGES/custdesk.mo`` beside its
``.po`` before the package data is collected. The .mo files are build products and stay out of git; a
source checkout that has none still speaks every language (custdesk.i18n compiles a .po in memory), and
the PyInstaller spec compiles them for the bundle.
"""

from __future__ import annotations

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

LOCALE_DIR = Path(__file__).resolve().parent / "custdesk" / "resources" / "locale"


def compile_catalogs() -> list[Path]:
    """Compile every .po under the locale folder to its .mo when the .mo is missing or differs."""
    import io

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written = []
    for po in sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po")):
        with po.open("rb") as f:
            catalog = read_po(f)
        buffer = io.BytesIO()
        write_mo(buffer, catalog, use_fuzzy=False)
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.read_bytes() != buffer.getvalue():
            mo.write_bytes(buffer.getvalue())
            written.append(mo)
    return written


class BuildPyWithCatalogs(build_py):
    """``build_py`` that compiles the translations first."""

    def run(self) -> None:
        for mo in compile_catalogs():
            print(f"compiled {mo.relative_to(LOCALE_DIR.parent.parent.parent)}")
        super().run()


setup(cmdclass={"build_py": BuildPyWithCatalogs})
