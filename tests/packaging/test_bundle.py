"""The Linux bundle of packaging/custdesk.spec and the installer script packaging/installer.nsi.

The real build (``packaging/build_linux.sh``: PyInstaller, the bundle's self-test and CLI, makensis) takes
minutes, so it runs only when asked: ``CUSTDESK_BUILD_BUNDLE=1 python -m pytest -m slow
tests/packaging``. The installer script alone compiles in a second against a stand-in folder, so that
check runs wherever makensis is installed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from custdesk import __version__

ROOT = Path(__file__).resolve().parents[2]
BUILD_SCRIPT = ROOT / "packaging" / "build_linux.sh"
INSTALLER_SCRIPT = ROOT / "packaging" / "installer.nsi"


@pytest.mark.slow
@pytest.mark.skipif(
    os.environ.get("CUSTDESK_BUILD_BUNDLE") != "1",
    reason="building the bundle takes minutes (CI must stay well under 30): CUSTDESK_BUILD_BUNDLE=1 runs it",
)
def test_build_linux_builds_a_bundle_that_passes_its_self_test_and_compiles_the_installer() -> None:
    result = subprocess.run(
        ["bash", str(BUILD_SCRIPT)], cwd=ROOT, capture_output=True, text=True, timeout=1800, check=False
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-4000:]
    assert "self-test passed" in output
    assert "custdesk-cli " + __version__ in output
    bundle = ROOT / "dist" / "CustDesk"
    assert (bundle / "CustDesk").is_file() and (bundle / "custdesk-cli").is_file()
    assert (bundle / "_internal" / "custdesk" / "migrations" / "script.py.mako").is_file()
    setup = ROOT / "dist" / f"CustDesk-{__version__}-setup-LINUX-CHECK-ONLY.exe"
    assert setup.read_bytes()[:2] == b"MZ"  # a Windows executable


def _stand_in_bundle(folder: Path) -> Path:
    """A folder shaped like dist/CustDesk (two programs and _internal), for compiling the script."""
    (folder / "_internal" / "custdesk").mkdir(parents=True)
    (folder / "_internal" / "custdesk" / "placeholder.txt").write_text("library files", encoding="utf-8")
    for name in ("CustDesk.exe", "custdesk-cli.exe"):
        (folder / name).write_bytes(b"MZ stand-in")
    return folder


def _makensis(tmp_path: Path, *defines: str) -> subprocess.CompletedProcess[str]:
    makensis = shutil.which("makensis")
    assert makensis is not None
    return subprocess.run(
        [makensis, "-V2", "-INPUTCHARSET", "UTF8", "-DNO_COMPRESSION", *defines, str(INSTALLER_SCRIPT)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


needs_makensis = pytest.mark.skipif(
    shutil.which("makensis") is None, reason="makensis is not installed (Debian package nsis)"
)


@needs_makensis
def test_the_installer_script_compiles_against_a_bundle_folder(tmp_path: Path) -> None:
    bundle = _stand_in_bundle(tmp_path / "CustDesk")
    out = tmp_path / f"CustDesk-{__version__}-setup.exe"

    result = _makensis(
        tmp_path,
        f"-DVERSION={__version__}",
        f"-DBUNDLE_DIR={bundle}",
        f"-DOUTFILE={out}",
        f"-DICON={ROOT / 'custdesk' / 'resources' / 'app.ico'}",
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "warning" not in (result.stdout + result.stderr).lower()
    data = out.read_bytes()
    assert data[:2] == b"MZ"
    assert b"library files" in data  # the bundle's files are inside (uncompressed in this check)


@needs_makensis
def test_the_installer_script_refuses_a_missing_bundle(tmp_path: Path) -> None:
    result = _makensis(
        tmp_path,
        f"-DVERSION={__version__}",
        f"-DBUNDLE_DIR={tmp_path / 'nothing-here'}",
        f"-DOUTFILE={tmp_path / 'CustDesk-setup.exe'}",
    )

    assert result.returncode != 0
    assert "No PyInstaller bundle in" in result.stdout + result.stderr
    assert not (tmp_path / "CustDesk-setup.exe").exists()


_RECORD_SIGNING = """
import sys
from pathlib import Path
target = Path(sys.argv[1])
with open(sys.argv[2], "a", encoding="utf-8") as log:
    log.write(f"{target} {target.read_bytes()[:2].decode('latin-1')}\\n")
sys.exit(int(sys.argv[3]))
"""


@needs_makensis
@pytest.mark.parametrize("exit_code", [0, 1])
def test_signing_hooks_sign_the_uninstaller_and_the_setup(tmp_path: Path, exit_code: int) -> None:
    bundle = _stand_in_bundle(tmp_path / "CustDesk")
    out = tmp_path / "CustDesk-setup.exe"
    recorder = tmp_path / "sign.py"
    recorder.write_text(_RECORD_SIGNING, encoding="utf-8")
    log = tmp_path / "signed.txt"
    command = f"{sys.executable} {recorder} %1 {log} {exit_code}"

    result = _makensis(
        tmp_path,
        f"-DVERSION={__version__}",
        f"-DBUNDLE_DIR={bundle}",
        f"-DOUTFILE={out}",
        f"-DSIGN_COMMAND={command}",
    )

    signed = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    if exit_code == 0:
        assert result.returncode == 0, result.stdout + result.stderr
        # First the uninstaller (a temporary file, before it is packed), then the setup itself.
        assert len(signed) == 2, signed
        assert signed[0].endswith(" MZ") and not signed[0].startswith(str(out))
        assert signed[1] == f"{out} MZ"
    else:
        assert result.returncode != 0  # a failed signature fails the build
        assert len(signed) == 1


@needs_makensis
def test_without_a_certificate_nothing_is_signed(tmp_path: Path) -> None:
    result = _makensis(
        tmp_path,
        f"-DVERSION={__version__}",
        f"-DBUNDLE_DIR={_stand_in_bundle(tmp_path / 'CustDesk')}",
        f"-DOUTFILE={tmp_path / 'CustDesk-setup.exe'}",
        "-V4",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "finalize" not in (result.stdout + result.stderr).lower()


@needs_makensis
def test_the_installer_checks_x64_and_the_windows_build() -> None:
    script = INSTALLER_SCRIPT.read_text(encoding="utf-8")
    on_init = script.split("Function .onInit", 1)[1].split("FunctionEnd", 1)[0]
    assert "${IfNot} ${RunningX64}" in on_init and "$(NEEDS_X64)" in on_init
    assert "${AtLeastBuild} ${MIN_WINDOWS_BUILD}" in on_init and "$(NEEDS_WIN10)" in on_init
    assert "!define MIN_WINDOWS_BUILD 17763" in script  # Windows 10 1809, Qt 6's minimum
    for name in ("NEEDS_X64", "NEEDS_WIN10"):
        assert script.count(f"LangString {name} ") == 4  # English, Russian, Finnish, Persian
