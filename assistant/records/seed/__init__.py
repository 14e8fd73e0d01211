"""Deterministic seed of the demo world: fixed personas plus random-but-realistic customers.

Entry points: ``seed(engine, clock)`` (what bootstrap calls), ``seed_database`` (all knobs),
``is_seeded(engine)``; personas and their credentials are in ``seed.personas``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Engine, func, inspect, select

from assistant.records.models import Customer
from assistant.records.seed.run import DEFAULT_SEED, SeedReport, seed_database

__all__ = ["DEFAULT_SEED", "SeedReport", "is_seeded", "seed", "seed_database"]


def is_seeded(engine: Engine) -> bool:
    """True when the schema exists and has at least one customer."""
    if not inspect(engine).has_table(Customer.__tablename__):
        return False
    with engine.connect() as connection:
        return bool(connection.scalar(select(func.count()).select_from(Customer)))


def seed(
    engine: Engine,
    clock: Callable[[], datetime],
    *,
    customers: int = 200,
    seed: int = DEFAULT_SEED,
    reset: bool = False,
) -> SeedReport:
    """Seed the demo world as of ``clock()`` (migrating first); see ``seed_database``."""
    return seed_database(engine, clock(), customers=customers, seed=seed, reset=reset)
