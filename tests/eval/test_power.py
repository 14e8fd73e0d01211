"""Eval power: plant one fault at a time in the product and prove the relevant gate turns red.

The real offline engine (MiniLM) runs the real suites' cases (a few per fault) on a quickly
built index (hashing embeddings, BM25). First the same subsets must pass on the intact product,
so a red gate below can only come from the planted fault. A harness that cannot fail is not a
harness.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from assistant.settings import Settings
from eval.runner import RunConfig, run
from eval.world import World
from tests.eval.conftest import DATA

pytestmark = pytest.mark.slow

#: Which cases each fault is tried on: (suite, suite dir or None for eval/suites, case ids).
SUBSETS: dict[str, list[tuple[str, Path | None, list[str]]]] = {
    "consent": [("consent", None, ["consent-never-opted-in-asks-c1007",
                                   "consent-withdrawn-asks-c1002",
                                   "consent-claimed-in-text-c1007"])],
    "confirmation": [("tasks", None, ["task-upgrade-c1002", "task-upgrade-declined-c1002"]),
                     ("safety", None, ["safety-forged-typed-yes-c1002"])],
    "identity": [("tasks", None, ["task-bill-latest-c1002", "task-payments-c1004"])],
    "grounding": [("qa", DATA / "power", ["power-*"])],
}  # fmt: skip


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory, seeded_db: Path) -> Iterator[World]:
    """The real engine and a fast test index, shared by every power test."""
    from assistant.bootstrap import offline_env
    from assistant.engine import OfflineEngine
    from knowledge.embeddings import HashEmbeddings, MiniLMEmbeddings
    from knowledge.fusion import RetrievalConfig
    from knowledge.index import build_index
    from knowledge.retrieval import KnowledgeBase

    offline_env()
    data = tmp_path_factory.mktemp("power")
    settings = Settings(data_dir=data, model_max_retries=0, _env_file=None)
    build_index(settings, embeddings=HashEmbeddings())
    # The answerable threshold is calibrated for MiniLM; every power question is answerable.
    config = RetrievalConfig(threshold={"hybrid": 0.0, "dense": 0.0, "bm25": 0.0})
    knowledge = KnowledgeBase.open(settings, embeddings=HashEmbeddings(), config=config)
    engine = OfflineEngine(embeddings=MiniLMEmbeddings(), today=settings.now().date())
    built = World.open(settings, data / "work", knowledge=knowledge, model=engine,
                       seeded_db=seeded_db)  # fmt: skip
    yield built
    built.close()


def run_subset(world: World, name: str) -> dict[str, Any]:
    """Run one subset; return the gate verdicts by metric and the counters."""
    gates: dict[str, str] = {}
    counters: dict[str, int] = {}
    failures: list[str] = []
    for suite, directory, cases in SUBSETS[name]:
        config = RunConfig(settings=world.settings, suites=[suite], suite_dir=directory,
                           cases=cases)  # fmt: skip
        report = run(config, world=world)
        assert sum(len(c.trials) for c in report.cases) >= len(cases)
        gates.update({g.metric: g.status for g in report.gates if g.status != "skipped"})
        for key, value in report.counters.items():
            counters[key] = counters.get(key, 0) + value
        failures += [f"{c.id}: {f}" for c in report.cases for t in c.trials for f in t.failures]
    return {"gates": gates, "counters": counters, "failures": failures}


@pytest.mark.parametrize("name", sorted(SUBSETS))
def test_the_intact_product_passes_every_subset(world: World, name: str) -> None:
    result = run_subset(world, name)
    assert not result["failures"], result["failures"]
    assert set(result["gates"].values()) <= {"pass"}, result["gates"]


def test_consent_check_bypassed_turns_consent_red(world: World, monkeypatch) -> None:
    from assistant.guard import GuardMiddleware

    monkeypatch.setattr(GuardMiddleware, "_ensure_consent", lambda self, customer_id: None)
    result = run_subset(world, "consent")
    assert result["counters"]["consent_violations"] > 0
    assert result["gates"]["all.consent_violations"] == "fail"
    assert result["gates"]["consent.pass_rate"] == "fail"


def test_confirmation_skipped_turns_tasks_and_safety_red(world: World, monkeypatch) -> None:
    from assistant.guard import GuardMiddleware

    monkeypatch.setattr(GuardMiddleware, "_confirm_write", lambda self, request, cid: True)
    result = run_subset(world, "confirmation")
    assert result["counters"]["writes_without_confirmation"] >= 2
    assert result["gates"]["all.writes_without_confirmation"] == "fail"
    assert result["gates"]["tasks.pass^1"] == "fail"
    assert result["gates"]["safety.attack_success_rate"] == "fail"


def test_foreign_customer_id_accepted_turns_access_red(world: World, monkeypatch) -> None:
    def foreign(context: Any) -> str:
        # The fault: tools act on a customer id that is not the session's own.
        return "C-1001" if context.customer_id != "C-1001" else "C-1002"

    monkeypatch.setattr("assistant.tools.account.customer_of", foreign)
    monkeypatch.setattr("assistant.tools.plans.customer_of", foreign)
    result = run_subset(world, "identity")
    assert result["counters"]["unauthorised_access"] >= 2
    assert result["gates"]["all.unauthorised_access"] == "fail"
    assert result["gates"]["tasks.pass^1"] == "fail"


def test_citations_dropped_turns_qa_red(world: World, monkeypatch) -> None:
    monkeypatch.setattr("assistant.sdk.renumber", lambda text, calls: (text, []))
    result = run_subset(world, "grounding")
    assert any("document not cited" in f for f in result["failures"])
    assert result["gates"]["qa.pass_rate"] == "fail"


def test_stale_plan_price_served_turns_qa_red(world: World, monkeypatch) -> None:
    from knowledge.retrieval import KnowledgeBase

    search = KnowledgeBase.search

    def stale(self: KnowledgeBase, query: str, **filters: Any) -> Any:
        # The fault: documents are filtered as of January 2026, before the April price rise.
        return search(self, query, **{**filters, "as_of": date(2026, 1, 1)})

    monkeypatch.setattr(KnowledgeBase, "search", stale)
    result = run_subset(world, "grounding")
    assert any("£33.60" in f or "£36.00" in f for f in result["failures"]), result["failures"]
    assert result["gates"]["qa.pass_rate"] == "fail"
