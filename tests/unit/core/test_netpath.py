"""A base on a network share is refused before it is touched (custdesk.core.netpath).

The UNC test is a pure function of the path and runs everywhere; the mapped-drive test injects
``GetDriveTypeW``, so the Windows decision is checked on Linux too. On Windows itself the real call
is checked against the system drive (a local disk).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from custdesk.core.errors import BaseOpenError
from custdesk.core.netpath import (
    DRIVE_REMOTE,
    NetworkBaseError,
    is_unc_path,
    network_location,
    refuse_network_base,
)

DRIVE_FIXED = 3  # winbase.h


@pytest.mark.parametrize(
    "path",
    [
        r"\\server\shop\custdesk.sqlite",
        "//server/shop/custdesk.sqlite",
        r"\\192.168.1.5\share\base.sqlite",
        r"\\?\UNC\server\shop\custdesk.sqlite",
        r"\\.\UNC\server\shop\custdesk.sqlite",
    ],
)
def test_unc_paths_are_network_paths(path: str) -> None:
    assert is_unc_path(path)


@pytest.mark.parametrize(
    "path",
    [
        r"C:\Users\anna\custdesk.sqlite",
        r"\\?\C:\Users\anna\custdesk.sqlite",
        "/home/anna/custdesk.sqlite",
        "custdesk.sqlite",
        r"\\",
        r"\\\triple",
    ],
)
def test_local_paths_are_not(path: str) -> None:
    assert not is_unc_path(path)


def test_a_unc_base_is_refused_with_the_share_named() -> None:
    def no_call(root: str) -> int:
        raise AssertionError(f"a UNC path needs no drive type ({root})")

    with pytest.raises(NetworkBaseError) as caught:
        refuse_network_base(r"\\shopserver\data\custdesk.sqlite", platform="win32", drive_type=no_call)
    message = str(caught.value)
    assert r"\\shopserver\data" in message and r"\\shopserver\data\custdesk.sqlite" in message
    assert "Copy the base to a folder on this PC" in message
    assert isinstance(caught.value, BaseOpenError)  # shown like any base that cannot be opened


def test_a_mapped_network_drive_is_refused_and_a_local_drive_is_not() -> None:
    asked: list[str] = []

    def drive_type(root: str) -> int:
        asked.append(root)
        return DRIVE_REMOTE if root.upper() == "Z:\\" else DRIVE_FIXED

    with pytest.raises(NetworkBaseError, match=r"network share \(Z:\)"):
        refuse_network_base(r"z:\shop\custdesk.sqlite", platform="win32", drive_type=drive_type)
    refuse_network_base(r"C:\Users\anna\custdesk.sqlite", platform="win32", drive_type=drive_type)
    assert network_location(r"D:\base.sqlite", platform="win32", drive_type=drive_type) is None
    assert asked == ["z:\\", "C:\\", "D:\\"]


def test_other_platforms_refuse_nothing(tmp_path: Path) -> None:
    def no_call(root: str) -> int:
        raise AssertionError("no drive letters here")

    assert network_location(tmp_path / "base.sqlite", platform="linux", drive_type=no_call) is None
    refuse_network_base(tmp_path / "base.sqlite", platform="darwin", drive_type=no_call)


@pytest.mark.skipif(sys.platform != "win32", reason="the real GetDriveTypeW exists on Windows only")
def test_the_real_drive_type_call_finds_the_system_drive_local() -> None:  # pragma: no cover - Windows
    system_drive = os.environ.get("SYSTEMDRIVE", "C:")
    assert network_location(system_drive + "\\custdesk-test.sqlite") is None


def test_open_base_and_restore_refuse_a_share_before_touching_anything(
    monkeypatch: pytest.MonkeyPatch, empty_base_file: Path
) -> None:
    """Wired in: on Windows, opening or restoring onto \\\\server\\share is refused with the message, and
    no file or folder is made (on Linux the same path would be a local folder named ``server``)."""
    from custdesk.core.db import open_base
    from custdesk.core.restore import restore

    monkeypatch.setattr(sys, "platform", "win32")
    for path in ("//server/share/shop.sqlite", "\\\\server\\share\\shop.sqlite"):
        with pytest.raises(NetworkBaseError, match="network share"):
            open_base(path)
        with pytest.raises(NetworkBaseError, match="network share"):
            restore(Path(path), empty_base_file)
    monkeypatch.undo()
    assert not Path("/server").exists() and not Path("//server").exists()
