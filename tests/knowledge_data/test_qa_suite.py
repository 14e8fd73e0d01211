"""eval/suites/qa.yaml: schema, size and fairness of every case against the corpus."""

from __future__ import annotations

import copy
from collections import Counter
from typing import Any

import pytest

from tests.knowledge_data.checks import DocFacts, qa_case_problems


def test_suite_header(qa_suite: dict[str, Any]) -> None:
    assert set(qa_suite) == {"version", "cases"}
    assert qa_suite["version"] == 1


def test_every_case_is_well_formed_and_fair(
    qa_suite: dict[str, Any], corpus: dict[str, DocFacts], personas: frozenset[str]
) -> None:
    report = {
        case.get("id", f"case {n}"): problems
        for n, case in enumerate(qa_suite["cases"], start=1)
        if (problems := qa_case_problems(case, corpus, personas))
    }
    assert report == {}


def test_ids_are_unique_and_the_suite_is_big_enough(qa_suite: dict[str, Any]) -> None:
    cases = qa_suite["cases"]
    ids = Counter(case["id"] for case in cases)
    tags = Counter(tag for case in cases for tag in case["tags"])
    assert [i for i, n in ids.items() if n > 1] == []
    assert len(cases) >= 60
    assert sum(not case["answerable"] for case in cases) >= 10
    assert sum(case["language"] == "es" for case in cases) >= 15
    # Each superseded document must be probed by at least one trap case.
    assert tags["superseded-trap"] >= 6


def test_superseded_values_are_trapped(qa_suite: dict[str, Any]) -> None:
    banned = {text for case in qa_suite["cases"] for text in case["must_not_include"]}
    stale = {"£28.00", "£4.00", "KES 150.00", "£3.50/GB", "25GB", "50GB", "180 days", "AD-2025.01"}
    assert stale <= banned


def _valid_case() -> dict[str, Any]:
    return {
        "id": "qa999",
        "question": "How much is Unlimited Max a month?",
        "persona": None,
        "language": "en",
        "must_include": ["£30.00", ["24-month", "24 months", "30 quid"]],
        "must_cite": ["plan-gb-unlimited-max"],
        "must_not_include": ["£28.00"],
        "answerable": True,
        "tags": ["plan"],
    }


PLANTED_FAULTS = {
    "fact not in the cited document": ("must_include", ["£31.00"]),
    "fact only in a superseded version": ("must_include", ["£33.60 including VAT"]),
    "unknown cited document": ("must_cite", ["plan-gb-unlimited-mega"]),
    "answerable without facts": ("must_include", []),
    "unanswerable that cites": ("answerable", False),
    "unknown persona": ("persona", "C-9999"),
    "banned string inside a required fact": ("must_not_include", ["30.00"]),
    "missing key": ("tags", None),
    "alternatives whose first wording is not in the document": (
        "must_include",
        [["£30 a month", "£30.00"]],
    ),
    "empty alternatives": ("must_include", [[]]),
    "banned string inside an alternative": ("must_not_include", ["30 quid"]),
}


def test_the_valid_case_used_below_passes(
    corpus: dict[str, DocFacts], personas: frozenset[str]
) -> None:
    assert qa_case_problems(_valid_case(), corpus, personas) == []


@pytest.mark.parametrize("fault", sorted(PLANTED_FAULTS))
def test_a_planted_fault_is_reported(
    fault: str, corpus: dict[str, DocFacts], personas: frozenset[str]
) -> None:
    case = copy.deepcopy(_valid_case())
    key, value = PLANTED_FAULTS[fault]
    if value is None:
        del case[key]
    else:
        case[key] = value
    assert qa_case_problems(case, corpus, personas) != []
