"""Benchmark of the system of record on SQLite: seed time and look-up latency.

Usage:
    .venv/bin/python bench/records_bench.py --customers 10000
    .venv/bin/python bench/records_bench.py --customers 10000 --customers 1000000 --json out.json

For each size it seeds a fresh SQLite file with the normal seed (bulk executemany inserts,
the same code as ``python -m assistant db seed``), then times ``Records.get_bill`` and
``Records.current_usage`` through the facade (one unit of work per call, as the agent uses
them) for randomly chosen customers, and prints p50/p95/p99 in milliseconds.
Not a test: nothing here runs in CI.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

# Runnable as a plain script from a checkout (the package need not be installed).
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import text  # noqa: E402

from assistant.records.api import Records  # noqa: E402
from assistant.records.db import make_engine  # noqa: E402
from assistant.records.seed import seed_database  # noqa: E402
from assistant.settings import DEMO_CLOCK  # noqa: E402


def percentiles(samples_ms: list[float]) -> dict[str, float]:
    """p50/p95/p99/max of a list of durations in milliseconds."""
    ordered = sorted(samples_ms)
    cuts = statistics.quantiles(ordered, n=100, method="inclusive")
    return {
        "p50": round(cuts[49], 3),
        "p95": round(cuts[94], 3),
        "p99": round(cuts[98], 3),
        "max": round(ordered[-1], 3),
    }


def time_calls(
    fn: Callable[[str], Any], ids: list[str], warmup: int = 50
) -> tuple[list[float], list[float]]:
    """Wall and CPU milliseconds per call of ``fn`` over ``ids`` (after ``warmup`` calls).

    CPU time is reported too because on a shared 2-core machine wall time mostly measures
    the other processes' load.
    """
    for customer_id in ids[:warmup]:
        fn(customer_id)
    wall, cpu = [], []
    for customer_id in ids[warmup:]:
        started, started_cpu = time.perf_counter(), time.process_time()
        fn(customer_id)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return wall, cpu


def run(customers: int, lookups: int, db_dir: Path, keep: bool, reuse: bool) -> dict[str, Any]:
    """Seed ``customers`` into a fresh file (or reuse a kept one) and time the look-ups."""
    path = db_dir / f"records-{customers}.db"
    seed_seconds, rows = None, None
    reusing = reuse and path.exists()
    if not reusing:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{path}")
    if not reusing:
        report = seed_database(engine, DEMO_CLOCK, customers=customers)
        seed_seconds, rows = round(report.seconds, 1), report.rows
    size_mb = os.path.getsize(path) / 1e6
    print(f"{customers:,} customers, seed {seed_seconds}s, {size_mb:,.0f} MB", flush=True)

    rng = random.Random(1)
    sample = [f"C-{1001 + rng.randrange(customers)}" for _ in range(lookups)]
    with engine.connect() as connection:
        prepaid = set(
            connection.scalars(
                text("SELECT customer_id FROM accounts WHERE billing_type = 'prepaid'")
            )
        )
    postpaid = [c for c in sample if c not in prepaid]
    records = Records(engine, lambda: DEMO_CLOCK)

    load_before = os.getloadavg()[0]
    bill_wall, bill_cpu = time_calls(records.get_bill, postpaid)
    usage_wall, usage_cpu = time_calls(records.current_usage, sample)
    result = {
        "customers": customers,
        "seed_seconds": seed_seconds,
        "rows": rows,
        "db_mb": round(size_mb),
        "get_bill_ms": percentiles(bill_wall),
        "get_bill_cpu_ms": percentiles(bill_cpu),
        "current_usage_ms": percentiles(usage_wall),
        "current_usage_cpu_ms": percentiles(usage_cpu),
        "lookups": {"get_bill": len(bill_wall), "current_usage": len(usage_wall)},
        "load_average_1min": [round(load_before, 1), round(os.getloadavg()[0], 1)],
    }
    print(json.dumps(result, indent=2), flush=True)
    engine.dispose()
    if not keep:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    return result


def main() -> None:
    """Parse arguments and run each size in turn."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, action="append", help="size (repeatable)")
    parser.add_argument("--lookups", type=int, default=2000, help="timed calls per look-up")
    parser.add_argument("--db-dir", type=Path, default=Path("var/bench"))
    parser.add_argument("--keep", action="store_true", help="keep the database files")
    parser.add_argument("--reuse", action="store_true", help="time look-ups on a kept file")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    args.db_dir.mkdir(parents=True, exist_ok=True)
    machine = {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
    }
    print(json.dumps(machine), flush=True)
    results = [
        run(n, args.lookups, args.db_dir, args.keep, args.reuse) for n in args.customers or [10_000]
    ]
    if args.json:
        args.json.write_text(json.dumps({"machine": machine, "results": results}, indent=2))


if __name__ == "__main__":
    main()
