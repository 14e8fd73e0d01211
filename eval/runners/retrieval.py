"""Run the ``retrieval`` suite: the labeled queries against ``KnowledgeBase.search``.

Each query is searched the way the assistant searches (the query's market as the country
filter, the frozen clock's date, hybrid mode) for the top ``DEPTH`` passages. A query passes
when it is answerable and a relevant passage is in the top ``PASS_AT`` and the search says
answerable, or when it is unanswerable and the search says so. The ranking metrics are the
knowledge base's own (``knowledge.metrics``), so the harness and the retrieval benchmark agree.
"""

from __future__ import annotations

import time
from typing import Any

from eval.results import CaseResult, TrialResult
from eval.schema.retrieval import LabeledQuery
from knowledge.metrics import Relevant, first_ranks, ndcg_at, recall_at, reciprocal_rank

DEPTH = 10
PASS_AT = 5
RECALL_KS = (1, 3, 5, 10)


def score_query(knowledge: Any, query: LabeledQuery) -> TrialResult:
    """Search once and score the ranking."""
    started = time.perf_counter()
    found = knowledge.search(query.question, country=query.country, k=DEPTH)
    latency = (time.perf_counter() - started) * 1000
    ranked = [(p.doc_id, p.section_id) for p in found.passages]
    abstain_ok = found.answerable == query.answerable
    metrics: dict[str, float | None] = {"abstention_correct": float(abstain_ok)}
    failures = []
    if query.answerable:
        ranks = first_ranks(ranked, [Relevant(r.doc_id, r.section_id) for r in query.relevant])
        for k in RECALL_KS:
            metrics[f"recall@{k}"] = recall_at(ranks, k)
        metrics["mrr"] = reciprocal_rank(ranks)
        metrics["ndcg@10"] = ndcg_at(ranks, 10)
        if not any(0 < r <= PASS_AT for r in ranks):
            failures.append(f"no relevant passage in the top {PASS_AT}: got {ranked[:PASS_AT]}")
        if not found.answerable:
            failures.append(f"search said unanswerable (confidence {found.confidence:.3f})")
    elif found.answerable:
        failures.append(f"search said answerable (confidence {found.confidence:.3f})")
    return TrialResult(
        passed=not failures,
        failures=failures,
        metrics=metrics,
        details={
            "ranked": [f"{d} | {s}" for d, s in ranked],
            "confidence": round(found.confidence, 4),
            "latency_ms": round(latency, 2),
        },
        duration_ms=round(latency, 2),
    )


def run_case(knowledge: Any, query: LabeledQuery) -> CaseResult:
    """Score one query (retrieval is deterministic, so it always gets one trial)."""
    return CaseResult(
        suite="retrieval", id=query.id, title=query.question, tags=query.tags,
        trials=[score_query(knowledge, query)],
    )  # fmt: skip
