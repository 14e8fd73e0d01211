"""Seeding a database: migrate, load the catalog, write personas and generated customers."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine, func, select

from assistant.errors import UsageError
from assistant.records import money
from assistant.records.catalog import addon_rows, plan_rows
from assistant.records.db import drop_everything, migrate
from assistant.records.models import Addon, AuditEvent, Customer, Plan
from assistant.records.seed.generator import CustomerGenerator
from assistant.records.seed.personas import personas
from assistant.records.seed.writer import RowWriter

#: Default random seed: the demo world is the same everywhere.
DEFAULT_SEED = 20261120
#: Number of billed periods before the current cycle.
BILLED_PERIODS = 6
FIRST_GENERATED = 1008


@dataclass
class SeedReport:
    """What a seed run wrote and how long it took."""

    customers: int
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def billed_periods(now: datetime) -> list[str]:
    """The periods that have a bill at ``now``: the six months before the current cycle."""
    current = money.period_of(now.date())
    return [money.shift_period(current, -k) for k in range(BILLED_PERIODS, 0, -1)]


def seed_database(
    engine: Engine,
    now: datetime,
    *,
    customers: int = 200,
    seed: int = DEFAULT_SEED,
    reset: bool = False,
    batch_rows: int = 50_000,
) -> SeedReport:
    """Create (or with ``reset`` recreate) the schema and fill it deterministically.

    The first seven customers are the demo personas (C-1001..C-1007); the rest are drawn
    from ``random.Random(seed)``. Refuses to seed a database that already has customers.
    """
    if customers < 1:
        raise UsageError(f"customers must be at least 1, got {customers}")
    started = time.perf_counter()
    if reset:
        drop_everything(engine)
    migrate(engine)
    with engine.connect() as connection:
        if connection.scalar(select(func.count()).select_from(Customer)):
            raise UsageError(
                "the database already has customers; seed with --reset to replace them"
            )
        connection.execute(Plan.__table__.insert(), plan_rows())
        connection.execute(Addon.__table__.insert(), addon_rows())
        plans = {row["id"]: row for row in plan_rows()}
        periods = billed_periods(now)
        writer = RowWriter(
            connection, plans, today=now.date(), periods=periods, batch_rows=batch_rows
        )
        generator = CustomerGenerator(seed, periods, now.date())
        rng: random.Random = generator.rng
        fixed = personas()[:customers]
        for spec in fixed:
            writer.add(spec, rng)
        for n in range(FIRST_GENERATED, FIRST_GENERATED + customers - len(fixed)):
            writer.add(generator.customer(n), rng)
            if not writer.rows["customers"]:
                connection.commit()  # the writer flushed a batch: keep transactions bounded
        writer.flush()
        writer.fix_sequences()
        connection.execute(
            AuditEvent.__table__.insert(),
            [{"at": now, "actor": "seed", "action": "seed.loaded", "customer_id": None,
              "details": {"customers": customers, "seed": seed, "periods": periods}}],
        )  # fmt: skip
        connection.commit()
    return SeedReport(
        customers=customers, rows=dict(writer.counts), seconds=time.perf_counter() - started
    )
