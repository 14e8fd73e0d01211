"""knowledge/data/labeled_queries.jsonl: schema, coverage and agreement with the corpus."""

from __future__ import annotations

import copy
from collections import Counter
from typing import Any

import pytest

from tests.knowledge_data.checks import DocFacts, query_problems


def test_every_query_is_well_formed_and_matches_the_corpus(
    queries: list[dict[str, Any]], corpus: dict[str, DocFacts]
) -> None:
    report = {
        q.get("id", f"line {n}"): problems
        for n, q in enumerate(queries, start=1)
        if (problems := query_problems(q, corpus))
    }
    assert report == {}


def test_ids_and_questions_are_unique(queries: list[dict[str, Any]]) -> None:
    ids = Counter(q["id"] for q in queries)
    questions = Counter(q["question"].strip().casefold() for q in queries)
    assert [i for i, n in ids.items() if n > 1] == []
    assert [t for t, n in questions.items() if n > 1] == []


def test_the_set_is_large_and_varied_enough(queries: list[dict[str, Any]]) -> None:
    answerable = [q for q in queries if q["answerable"]]
    unanswerable = [q for q in queries if not q["answerable"]]
    spanish = [q for q in answerable if q["language"] == "es"]
    multi_doc = [q for q in answerable if len({r["doc_id"] for r in q["relevant"]}) > 1]
    tags = Counter(t for q in answerable for t in q["tags"])
    assert len(answerable) >= 150
    assert len(unanswerable) >= 20
    assert len(spanish) >= 30
    assert len(multi_doc) >= 15
    # Customer phrasing, not only tidy FAQ titles.
    assert tags["colloquial"] >= 60 and tags["misspelt"] >= 20 and tags["indirect"] >= 30


def test_every_document_is_the_answer_to_some_question(
    queries: list[dict[str, Any]], corpus: dict[str, DocFacts]
) -> None:
    covered = {r["doc_id"] for q in queries for r in q["relevant"]}
    assert sorted(set(corpus) - covered) == []


def _valid_record() -> dict[str, Any]:
    return {
        "id": "q999",
        "question": "how much is the unlimited one a month?",
        "language": "en",
        "country": "GB",
        "relevant": [{"doc_id": "plan-gb-unlimited-max", "section_id": None}],
        "answerable": True,
        "tags": ["colloquial", "plan"],
    }


def _set(path: tuple[Any, ...], value: Any) -> Any:
    def mutate(record: dict[str, Any]) -> None:
        target = record
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return mutate


PLANTED_FAULTS = {
    "unknown document": _set(("relevant", 0, "doc_id"), "plan-gb-unlimited-mega"),
    "unknown section": _set(("relevant", 0, "section_id"), "plan-gb-unlimited-max#price"),
    "section of a superseded version only": _set(
        ("relevant", 0, "section_id"), "policy-fair-use#what-changed"
    ),
    "country the document does not cover": _set(("country",), "KE"),
    "answerable without relevant": _set(("relevant",), []),
    "unanswerable with relevant": _set(("answerable",), False),
    "unknown language": _set(("language",), "fr"),
    "Spanish without the spanish tag": _set(("language",), "es"),
    "bad id": _set(("id",), "Q-1"),
    "multi-doc tag on one document": _set(("tags",), ["plan", "multi-doc"]),
    "extra key": _set(("difficulty",), "easy"),
    "same document twice": _set(
        ("relevant",),
        [{"doc_id": "plan-gb-unlimited-max", "section_id": None}] * 2,
    ),
}


def test_the_valid_record_used_below_passes(corpus: dict[str, DocFacts]) -> None:
    assert query_problems(_valid_record(), corpus) == []


@pytest.mark.parametrize("fault", sorted(PLANTED_FAULTS))
def test_a_planted_fault_is_reported(fault: str, corpus: dict[str, DocFacts]) -> None:
    record = copy.deepcopy(_valid_record())
    PLANTED_FAULTS[fault](record)
    assert query_problems(record, corpus) != []
