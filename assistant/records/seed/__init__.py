"""Deterministic seed of the demo world: fixed personas plus random-but-realistic customers."""

from assistant.records.seed.run import SeedReport, seed_database

__all__ = ["SeedReport", "seed_database"]
