#!/usr/bin/env bash
# Build packaging/custdesk.spec into a Linux bundle (dist/CustDesk/), check it, and compile the Windows
# installer script against it.
#
# The Linux bundle is the same spec as the Windows one (PyInstaller cannot cross-build, so the real
# CustDesk.exe is built on a Windows runner: .github/workflows/windows.yml). Here it proves that the spec
# collects everything the app loads at run time: the bundle's --self-test opens a fresh base (Alembic
# scripts), creates a client (phonenumbers, email-validator), prints its card to PDF (Qt print support,
# fonts), and checks Qt plugins, matplotlib's data and Babel's locales; the CLI makes a small demo base
# (Faker). Then makensis compiles packaging/installer.nsi with this folder standing in for the Windows
# one: the resulting .exe is only a syntax and packaging check, never something to ship.
#
# Usage: packaging/build_linux.sh            (from anywhere; about a minute or two)
# Env:   PYTHON=python3.11   the interpreter with CustDesk installed (pip install -c requirements/lock.txt -e .)
#        SKIP_NSIS=1         do not compile the installer script
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
PYTHON=${PYTHON:-python3}
DIST=$ROOT/dist
BUNDLE=$DIST/CustDesk
WORK=$ROOT/build/custdesk
SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/custdesk-bundle-check.XXXXXX")
trap 'rm -rf "$SCRATCH"' EXIT

say() { printf '\n=== %s\n' "$*"; }
seconds_since() { "$PYTHON" -c "import sys, time; print(f'{time.time() - float(sys.argv[1]):.2f}')" "$1"; }
now() { "$PYTHON" -c 'import time; print(time.time())'; }

sudo_cmd=""
[ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
apt_install() {
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "$@"
}

say "PyInstaller"
if ! "$PYTHON" -m PyInstaller --version >/dev/null 2>&1; then
    echo "PyInstaller is missing: installing it into $("$PYTHON" -c 'import sys; print(sys.prefix)')"
    "$PYTHON" -m pip install -q -c requirements/lock.txt pyinstaller
fi
echo "PyInstaller $("$PYTHON" -m PyInstaller --version), $("$PYTHON" --version)"
[ -f custdesk/resources/app.ico ] || "$PYTHON" packaging/make_icon.py

say "Building the bundle (pyinstaller packaging/custdesk.spec)"
mkdir -p "$WORK"
started=$(now)
if ! "$PYTHON" -m PyInstaller --noconfirm --log-level WARN --distpath "$DIST" --workpath "$WORK" \
    packaging/custdesk.spec >"$WORK/pyinstaller.log" 2>&1; then
    tail -n 40 "$WORK/pyinstaller.log"
    echo "FAILED: PyInstaller (the whole log: $WORK/pyinstaller.log)" >&2
    exit 1
fi
grep -E "^(compiled catalogs|Faker locales|trimmed)" "$WORK/pyinstaller.log" || true
echo "built $BUNDLE in $(seconds_since "$started") s"

say "Bundle size"
du -sh "$BUNDLE"
du -sh "$BUNDLE/_internal/PySide6" "$BUNDLE/_internal/matplotlib" 2>/dev/null || true

# The bundle must not see the source tree or the owner's data: run it from a scratch folder.
export CUSTDESK_DATA_DIR=$SCRATCH/data
export MPLCONFIGDIR=$SCRATCH/mpl
unset QT_QPA_PLATFORM  # the self-test must pick offscreen by itself

say "CustDesk --self-test"
started=$(now)
(cd "$SCRATCH" && "$BUNDLE/CustDesk" --self-test --report "$SCRATCH/self-test.txt")
echo "(wall time of the whole run: $(seconds_since "$started") s)"
grep -q "self-test passed" "$SCRATCH/self-test.txt"

say "custdesk-cli --version and demo"
started=$(now)
(cd "$SCRATCH" && "$BUNDLE/custdesk-cli" --version)
echo "(custdesk-cli --version: $(seconds_since "$started") s)"
started=$(now)
(cd "$SCRATCH" && "$BUNDLE/custdesk-cli" demo --db "$SCRATCH/demo.sqlite" --clients 300 --seed 1)
echo "(demo of 300 clients: $(seconds_since "$started") s)"
(cd "$SCRATCH" && "$BUNDLE/custdesk-cli" check --db "$SCRATCH/demo.sqlite")

say "Start time of the bundle (until the main window is mapped on a virtual screen)"
if command -v xvfb-run >/dev/null && command -v xwininfo >/dev/null; then
    # shellcheck disable=SC2016 # expanded by the inner shell
    xvfb-run -a -s "-screen 0 1280x800x24" bash -c '
        py=$1; app=$2; base=$3
        t0=$("$py" -c "import time; print(time.time())")
        QT_QPA_PLATFORM=xcb "$app" --db "$base" --lang en >/dev/null 2>&1 &
        pid=$!
        for _ in $(seq 1 600); do
            if xwininfo -root -tree 2>/dev/null | grep -q "\"CustDesk"; then
                "$py" -c "import sys, time; print(f\"main window shown after {time.time() - float(sys.argv[1]):.2f} s\")" "$t0"
                kill "$pid"; wait "$pid" 2>/dev/null || true; exit 0
            fi
            kill -0 "$pid" 2>/dev/null || { echo "CustDesk exited before showing a window" >&2; exit 1; }
            sleep 0.05
        done
        kill "$pid"; echo "no CustDesk window within 30 s" >&2; exit 1
    ' _ "$PYTHON" "$BUNDLE/CustDesk" "$SCRATCH/demo.sqlite"
else
    echo "skipped: xvfb-run or xwininfo is not installed"
fi

if [ "${SKIP_NSIS:-0}" = 1 ]; then
    echo "SKIP_NSIS=1: the installer script was not compiled"
    exit 0
fi

say "makensis packaging/installer.nsi (against the Linux bundle, as a syntax and packaging check)"
if ! command -v makensis >/dev/null; then
    echo "makensis is missing: installing the Debian package nsis"
    apt_install nsis
fi
VERSION=$("$PYTHON" packaging/version_info.py --version)
OUT=$DIST/CustDesk-$VERSION-setup-LINUX-CHECK-ONLY.exe
# makensis on Linux takes options with "-" (on Windows "/"); paths are given to the script as defines.
# NO_COMPRESSION: LZMA over ~300 MB takes many minutes on a small machine and proves nothing here.
started=$(now)
makensis -INPUTCHARSET UTF8 -DNO_COMPRESSION \
    "-DVERSION=$VERSION" "-DVERSION4=$("$PYTHON" packaging/version_info.py --numeric)" \
    "-DBUNDLE_DIR=$BUNDLE" "-DOUTFILE=$OUT" "-DICON=$ROOT/custdesk/resources/app.ico" \
    packaging/installer.nsi >"$WORK/makensis.log" 2>&1 || { tail -n 30 "$WORK/makensis.log"; exit 1; }
grep -v -E '^(File: |Output: |  ?File:|  ?Output:)' "$WORK/makensis.log" | tail -n 25
echo "(makensis: $(seconds_since "$started") s; the whole log: $WORK/makensis.log)"
ls -l "$OUT"
echo
echo "OK: bundle $BUNDLE ($(du -sh "$BUNDLE" | cut -f1)), self-test passed, installer script compiled."
