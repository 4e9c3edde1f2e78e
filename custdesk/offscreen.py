"""Qt's ``offscreen`` platform with fonts, on every system (no Qt imported here: set before Qt starts).

On Windows the offscreen platform uses Qt's FreeType font database, which reads only the folder named by
``QT_QPA_FONTDIR``, else ``<Qt>/lib/fonts``, which Qt no longer ships: without that variable a card
printed offscreen (``custdesk --self-test``, ``custdesk-cli print-card``, the tests) is a PDF without a
single glyph, and nothing warns. Linux and macOS find the system's fonts (fontconfig, Core Text).

The folder given is matplotlib's own fonts (DejaVu: Latin, Cyrillic and Arabic script, the fonts the
Linux tests print with), which every CustDesk installation carries, else ``%WINDIR%\\Fonts``.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import MutableMapping
from pathlib import Path


def matplotlib_font_dir() -> Path | None:
    """matplotlib's bundled TrueType fonts (``mpl-data/fonts/ttf``), found without importing it."""
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        folder = Path(location) / "mpl-data" / "fonts" / "ttf"
        if (folder / "DejaVuSans.ttf").is_file():
            return folder
    return None


def windows_font_dir(environ: MutableMapping[str, str]) -> Path | None:
    """``%WINDIR%\\Fonts`` when it exists."""
    windir = environ.get("WINDIR") or environ.get("SystemRoot")
    if not windir:
        return None
    folder = Path(windir) / "Fonts"
    return folder if folder.is_dir() else None


def offscreen_font_dir(
    environ: MutableMapping[str, str] | None = None, *, platform: str = sys.platform
) -> Path | None:
    """Point ``QT_QPA_FONTDIR`` at fonts when Qt will run offscreen on Windows; returns the folder set.

    Nothing changes (None) on other systems, on another platform plugin, or when ``QT_QPA_FONTDIR``
    is already set. Call it after ``QT_QPA_PLATFORM`` is decided and before the Qt application exists.
    """
    env = os.environ if environ is None else environ
    chosen = env.get("QT_QPA_PLATFORM", "").split(":", 1)[0].strip()
    if platform != "win32" or chosen != "offscreen" or env.get("QT_QPA_FONTDIR"):
        return None
    folder = matplotlib_font_dir() or windows_font_dir(env)
    if folder is not None:
        env["QT_QPA_FONTDIR"] = str(folder)
    return folder


def use_offscreen(environ: MutableMapping[str, str] | None = None, *, platform: str = sys.platform) -> None:
    """Run Qt offscreen unless a platform is already chosen, with fonts (see :func:`offscreen_font_dir`)."""
    env = os.environ if environ is None else environ
    if not env.get("QT_QPA_PLATFORM"):
        env["QT_QPA_PLATFORM"] = "offscreen"
    offscreen_font_dir(env, platform=platform)
