"""Fixtures for the knowledge-data tests: the corpus at the demo clock and the two data files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from assistant.settings import DEMO_CLOCK
from tests.knowledge_data.checks import DocFacts, corpus_facts

ROOT = Path(__file__).resolve().parents[2]
QUERIES = ROOT / "knowledge" / "data" / "labeled_queries.jsonl"
QA_SUITE = ROOT / "eval" / "suites" / "qa.yaml"


@pytest.fixture(scope="session")
def corpus() -> dict[str, DocFacts]:
    """Every document id with the version in force at the demo clock (what retrieval serves)."""
    return corpus_facts(DEMO_CLOCK.date())


@pytest.fixture(scope="session")
def queries() -> list[dict[str, Any]]:
    """The labeled queries, one JSON object per line; a bad line fails with its line number."""
    records = []
    for number, line in enumerate(QUERIES.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            pytest.fail(f"{QUERIES.name}:{number}: blank line")
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError as exc:
            pytest.fail(f"{QUERIES.name}:{number}: {exc}")
    return records


@pytest.fixture(scope="session")
def qa_suite() -> dict[str, Any]:
    """The qa suite document as loaded from YAML."""
    return yaml.safe_load(QA_SUITE.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def personas() -> frozenset[str]:
    """Ids of the seeded demo customers a qa case may sign in as."""
    from assistant.records.seed.personas import SITUATIONS

    return frozenset(SITUATIONS)
