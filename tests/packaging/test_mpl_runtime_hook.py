"""The frozen bundle's matplotlib run-time hook keeps the font cache in the data folder between sessions.

PyInstaller's own hook gives matplotlib a new temporary ``MPLCONFIGDIR`` every start (a font-list rebuild
each session); packaging/hooks/rthooks.dat replaces it with packaging/hooks/rthooks/
pyi_rth_custdesk_mplconfig.py. The hook is run here as PyInstaller runs it: as a script, first thing, in
a fresh interpreter.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HOOKS = ROOT / "packaging" / "hooks"
HOOK = HOOKS / "rthooks" / "pyi_rth_custdesk_mplconfig.py"

_RUN = """
import json, os, runpy, sys
runpy.run_path(sys.argv[1])
import matplotlib
from matplotlib import font_manager  # loads the font list, or builds it and writes fontlist-*.json
from pathlib import Path
caches = sorted(Path(matplotlib.get_cachedir()).glob("fontlist-*.json"))
print(json.dumps({"env": os.environ["MPLCONFIGDIR"], "configdir": matplotlib.get_configdir(),
                  "cache": str(caches[0]) if caches else ""}))
"""


def _run(env_extra: dict[str, str], *, drop_mplconfigdir: bool = True) -> dict[str, str]:
    env = dict(os.environ)
    if drop_mplconfigdir:
        env.pop("MPLCONFIGDIR", None)
    env.update(env_extra)
    proc = subprocess.run(
        [sys.executable, "-c", _RUN, str(HOOK)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    result: dict[str, str] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def test_rthooks_dat_replaces_pyinstallers_matplotlib_hook() -> None:
    ours = ast.literal_eval((HOOKS / "rthooks.dat").read_text(encoding="utf-8"))
    assert ours == {"matplotlib": [HOOK.name]}
    assert HOOK.is_file()
    pyinstaller = pytest.importorskip("PyInstaller")
    theirs = ast.literal_eval(
        (Path(pyinstaller.__file__).parent / "hooks" / "rthooks.dat").read_text("utf-8")
    )
    assert "matplotlib" in theirs  # the key ours must take, so that theirs is skipped


def test_the_font_cache_persists_in_the_data_folder(tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = _run({"CUSTDESK_DATA_DIR": str(data)})
    folder = data / "matplotlib"
    assert first["env"] == first["configdir"] == str(folder)
    cache = Path(first["cache"])
    assert cache.parent == folder and cache.is_file()
    made = cache.stat().st_mtime_ns
    second = _run({"CUSTDESK_DATA_DIR": str(data)})
    assert second["cache"] == first["cache"]
    assert cache.stat().st_mtime_ns == made  # read, not rebuilt


def test_a_given_mplconfigdir_is_kept(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    result = _run(
        {"CUSTDESK_DATA_DIR": str(tmp_path / "data"), "MPLCONFIGDIR": str(mine)}, drop_mplconfigdir=False
    )
    assert result["env"] == str(mine)
    assert not (tmp_path / "data").exists()


def test_an_unusable_data_folder_falls_back_to_a_temporary_one(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    result = _run({"CUSTDESK_DATA_DIR": str(blocker / "data")})
    assert Path(result["env"]).name.startswith("custdesk-mpl-")
    assert not Path(result["env"]).exists()  # removed at exit
