"""Where a benchmark puts its figures for ``run_all.py``'s table (not collected by pytest).

A benchmark calls :func:`figure` beside the line it prints; when the environment names a file in
``CUSTDESK_BENCH_JSON``, the figures are appended to it as JSON lines when the script ends. Run alone, a
benchmark prints as before and writes nothing.
"""

from __future__ import annotations

import atexit
import json
import os
from typing import Any

_FIGURES: list[dict[str, Any]] = []


def figure(
    step: str,
    value: float,
    unit: str,
    *,
    baseline: str = "",
    baseline_value: float | None = None,
    target: str = "",
) -> None:
    """One measured figure: ``value`` in ``unit`` ("s", "ms", "MiB"), beside a baseline of the same run."""
    _FIGURES.append(
        {
            "step": step,
            "value": value,
            "unit": unit,
            "baseline": baseline,
            "baseline_value": baseline_value,
            "ratio": value / baseline_value if baseline_value else None,
            "target": target,
        }
    )


def _write() -> None:
    path = os.environ.get("CUSTDESK_BENCH_JSON")
    if path and _FIGURES:
        with open(path, "a", encoding="utf-8") as out:
            for row in _FIGURES:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")


atexit.register(_write)
