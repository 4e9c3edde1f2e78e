"""Check that requirements/lock.txt covers pyproject.toml and is what this environment runs.

    python tools/check_lock.py        # exit 1 with what is wrong, 0 when the lock is in force

- every dependency of CustDesk and of its ``test`` extra has a pin in the lock that its specifier allows
  (a dependency added to pyproject.toml without refreshing the lock fails here);
- every package pinned for this platform is installed at exactly its pinned version (an install that
  did not use the lock fails here).

The lock is made by ``uv pip compile`` (see requirements/README.md); this reads it with ``packaging``.
"""

from __future__ import annotations

import sys
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements" / "lock.txt"
REFRESH = "see requirements/README.md to refresh the lock"
# Pinned by the lock for the builds, never installed by `pip install -e .[test]`.
BUILD_ONLY = {"altgraph", "pyinstaller", "pyinstaller-hooks-contrib", "setuptools", "wheel", "uv"}


def locked_pins() -> dict[str, Version]:
    """The lock's pins that apply to this interpreter and platform."""
    pins: dict[str, Version] = {}
    for raw in LOCK.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        spec, _, marker = line.partition(";")
        if marker.strip() and not Marker(marker.strip()).evaluate():
            continue
        name, _, version = spec.strip().partition("==")
        pins[canonicalize_name(name)] = Version(version.strip())
    return pins


def declared() -> list[Requirement]:
    """CustDesk's dependencies and its test extra's, as pyproject.toml states them."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    specs = [*project["dependencies"], *project["optional-dependencies"]["test"]]
    return [Requirement(spec) for spec in specs]


def problems() -> list[str]:
    """What is wrong, one sentence each (empty: the lock covers the project and is installed)."""
    pins = locked_pins()
    found = []
    for req in declared():
        if req.marker is not None and not req.marker.evaluate():
            continue
        pin = pins.get(canonicalize_name(req.name))
        if pin is None:
            found.append(f"{req.name} is a dependency but the lock has no pin for it ({REFRESH})")
        elif not req.specifier.contains(pin, prereleases=True):
            found.append(f"the lock pins {req.name}=={pin}, outside {req.specifier} ({REFRESH})")
    for name, pin in sorted(pins.items()):
        if name in BUILD_ONLY:
            continue
        try:
            installed = Version(metadata.version(name))
        except metadata.PackageNotFoundError:
            found.append(f"{name}=={pin} is locked but not installed (install with -c requirements/lock.txt)")
            continue
        if installed != pin:
            found.append(f"{name} {installed} is installed, the lock pins {pin}")
    return found


def main() -> int:
    found = problems()
    for line in found:
        print(f"lock: {line}", file=sys.stderr)
    if not found:
        print(f"lock: {LOCK.relative_to(ROOT)} covers pyproject.toml and is installed")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
