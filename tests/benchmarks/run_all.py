"""Every benchmark at one or more sizes, as one table: markdown and JSON (not collected by pytest).

    python tests/benchmarks/run_all.py                          # 100,000 clients, then the table
    python tests/benchmarks/run_all.py --clients 10000 100000   # the growth from 10,000 to 100,000
    python tests/benchmarks/run_all.py --out docs/benchmarks    # writes docs/benchmarks.md and .json

For each size it makes a demo base (``custdesk-cli demo``, the same seed), runs each benchmark script
on it in its own process, one after the other, and collects the figures each one reports through
``_report.figure``: the figure, its baseline measured in the same run, the ratio, and the load average
before and after the script (a figure taken under load says so). The table names the date, the machine
and the versions. Nothing is asserted: it is a measurement, to be read.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]

# (name, script, arguments; {db} is the size's demo base, {clients} its size). Import and demo make
# their own data, sized like the base.
BENCHMARKS: list[tuple[str, str, list[str]]] = [
    ("list", "bench_list.py", ["--db", "{db}", "--repeat", "3"]),
    ("today", "bench_today.py", ["--db", "{db}"]),
    ("analysis", "bench_analysis.py", ["--db", "{db}", "--repeat", "3"]),
    ("export", "bench_export.py", ["{db}"]),
    ("import", "bench_import.py", ["--rows", "{clients}"]),
]


def _machine() -> dict[str, Any]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.partition(":")[2].strip()
                break
    except OSError:
        cpu = platform.processor()
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kib / 2**20:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return {
        "cpu": cpu or platform.machine(),
        "cores": os.cpu_count(),
        "memory": memory,
        "system": platform.platform(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
    }


def _load() -> float:
    try:
        return os.getloadavg()[0]
    except OSError:
        return float("nan")


def _demo(path: Path, clients: int) -> float:
    start = time.perf_counter()
    cli = [sys.executable, "-m", "custdesk.cli", "demo", "--db", str(path), "--clients", str(clients)]
    subprocess.run([*cli, "--seed", "1", "--lang", "ru"], check=True, capture_output=True, cwd=ROOT)
    return time.perf_counter() - start


def _run(script: str, args: list[str], figures: Path, log: Path) -> tuple[int, float, float]:
    before = _load()
    env = {**os.environ, "CUSTDESK_BENCH_JSON": str(figures), "QT_QPA_PLATFORM": "offscreen"}
    with log.open("a", encoding="utf-8") as out:
        out.write(f"\n$ {script} {' '.join(args)}\n")
        out.flush()
        done = subprocess.run(
            [sys.executable, str(HERE / script), *args],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=ROOT,
        )
    return done.returncode, before, _load()


def _cell(value: float | None, unit: str = "") -> str:
    if value is None:
        return ""
    text = f"{value:,.0f}" if value >= 100 else f"{value:,.2f}" if value >= 1 else f"{value:.3f}"
    return f"{text} {unit}".strip()


def markdown(result: dict[str, Any]) -> str:
    """The table as markdown: one row per figure, and the growth between the sizes measured."""
    m = result["machine"]
    lines = [
        "# Benchmarks",
        "",
        f"Measured {result['date']} on {m['cpu']}, {m['cores']} cores, {m['memory']}; {m['system']};",
        f"Python {m['python']}, SQLite {m['sqlite']}. Command: `{result['command']}`.",
        "Each figure stands beside a baseline doing comparable work in the same run; the load average",
        "before and after its script says how quiet the machine was (2 cores: a load above 1 means",
        "something else was running).",
        "",
        "| clients | step | figure | baseline | ratio | target | load before → after |",
        "|---:|---|---:|---|---:|---|---|",
    ]
    for row in result["figures"]:
        base = f"{row['baseline']}: {_cell(row['baseline_value'], row['unit'])}" if row["baseline"] else ""
        ratio = f"{row['ratio']:.2f}×" if row["ratio"] else ""
        load = f"{row['load_before']:.1f} → {row['load_after']:.1f}"
        lines.append(
            f"| {row['clients']:,} | {row['step']} | {_cell(row['value'], row['unit'])} | {base} | {ratio} "
            f"| {row['target']} | {load} |"
        )
    sizes = sorted({row["clients"] for row in result["figures"]})
    if len(sizes) > 1:
        small, big = sizes[0], sizes[-1]
        lines += [
            "",
            f"## Growth from {small:,} to {big:,} clients",
            "",
            "| step | at " + f"{small:,}" + " | at " + f"{big:,}" + " | growth |",
            "|---|---:|---:|---:|",
        ]
        by_size = {(r["clients"], _kind(r["step"])): r for r in result["figures"]}
        for (clients, kind), row in by_size.items():
            other = by_size.get((big, kind))
            if clients != small or other is None or not row["value"]:
                continue
            lines.append(
                f"| {kind} | {_cell(row['value'], row['unit'])} | {_cell(other['value'], other['unit'])} "
                f"| {other['value'] / row['value']:.1f}× |"
            )
    if result["failed"]:
        lines += ["", "Scripts that failed (see the log): " + ", ".join(result["failed"])]
    return "\n".join(lines) + "\n"


def _kind(step: str) -> str:
    """A step without the row count it names, so the same step matches across sizes."""
    return " ".join(w for w in step.split() if not w.replace(",", "").replace("-row", "").isdigit())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, nargs="+", default=[100_000], help="sizes of the demo bases")
    parser.add_argument("--only", nargs="+", choices=[b[0] for b in BENCHMARKS], help="these benchmarks")
    parser.add_argument("--out", type=Path, help="write OUT.md and OUT.json (default: print the markdown)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="custdesk-bench-all-"))
    log = work / "log.txt"
    result: dict[str, Any] = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": _machine(),
        "command": "python tests/benchmarks/run_all.py " + " ".join(sys.argv[1:]),
        "figures": [],
        "failed": [],
    }
    for clients in args.clients:
        db = work / f"demo-{clients}.sqlite"
        print(f"demo base of {clients:,} clients ...", flush=True)
        seconds = _demo(db, clients)
        print(f"  made in {seconds:.0f} s", flush=True)
        for name, script, template in BENCHMARKS:
            if args.only and name not in args.only:
                continue
            figures = work / f"{name}-{clients}.jsonl"
            values = [a.format(db=db, clients=clients) for a in template]
            print(f"  {name} ...", flush=True)
            code, before, after = _run(script, values, figures, log)
            if code != 0:
                result["failed"].append(f"{name} at {clients:,}")
            if figures.exists():
                for line in figures.read_text(encoding="utf-8").splitlines():
                    row = json.loads(line)
                    row.update(clients=clients, load_before=before, load_after=after, benchmark=name)
                    result["figures"].append(row)
    text = markdown(result)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.with_suffix(".md").write_text(text, encoding="utf-8")
        args.out.with_suffix(".json").write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
        print(f"wrote {args.out.with_suffix('.md')} and {args.out.with_suffix('.json')}; log: {log}")
    else:
        print(text)
        print(f"log: {log}")
    return 1 if result["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
