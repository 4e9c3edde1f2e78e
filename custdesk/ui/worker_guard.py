"""A check that the base worker never calls into Qt, but to emit its own signals.

Qt objects belong to the thread that made them; a widget, a font, a ``QTextDocument``, a ``QLocale``
shared with the GUI, touched from the worker, can crash the app at random (a segmentation fault on the
worker, once in several runs). The worker's tasks are domain code and must not need Qt at all.

When the environment variable ``CUSTDESK_CHECK_WORKER_QT`` is ``1`` (the test suite sets it), the worker
profiles its own calls (:func:`sys.setprofile` acts on the calling thread only) and records every call
of a PySide6 function or method it makes, with the Python stack that made it. Tests assert that
:data:`violations` stays empty. The profile costs time, so the app itself never turns it on.
"""

from __future__ import annotations

import os
import sys
import traceback
from types import FrameType
from typing import Any

ENV = "CUSTDESK_CHECK_WORKER_QT"
# Emitting a signal from another thread is what Qt's queued connections are for.
_ALLOWED = frozenset({"emit"})

violations: list[str] = []


def enabled() -> bool:
    """Whether the worker should check itself (the environment variable is ``1``)."""
    return os.environ.get(ENV) == "1"


def _is_qt(fn: Any) -> bool:
    if getattr(fn, "__name__", "") in _ALLOWED:
        return False
    owner = getattr(fn, "__self__", None)
    module = getattr(fn, "__module__", None) or getattr(type(owner), "__module__", "") or ""
    return module.startswith(("PySide6", "shiboken6"))


def _profile(frame: FrameType, event: str, arg: Any) -> None:
    if event == "c_call" and _is_qt(arg):
        owner = getattr(arg, "__self__", None)
        name = f"{type(owner).__name__}.{arg.__name__}" if owner is not None else arg.__name__
        stack = "".join(traceback.format_stack(frame, limit=6))
        violations.append(f"the base worker called Qt: {name}\n{stack}")


def install() -> None:
    """Start checking the calling thread (the worker), when :func:`enabled`."""
    if enabled():
        sys.setprofile(_profile)


def take() -> list[str]:
    """The violations recorded so far, and forget them."""
    found = violations[:]
    violations.clear()
    return found


__all__ = ["ENV", "enabled", "install", "take", "violations"]
