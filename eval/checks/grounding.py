"""Numeric grounding and citations.

Numeric grounding: every number the assistant writes must appear in a passage it cites or in
a tool result of the same turn. A *turn* is one customer message plus the pauses it led to and
their resolution (the quote shown for confirmation is part of the turn). Numbers the customer
wrote in that message count as sources too: repeating them is not inventing them. Texts the SDK
writes itself (the AI disclosure, consent and confirmation prompts) are not checked.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from assistant.grounding import number_values, numbers_in, value_set
from eval.conversation import Transcript
from eval.results import StepRecord

SEARCH_TOOL = "search_knowledge"


def _disclosures() -> list[str]:
    from assistant.sdk import say

    return [say("disclosure", lang) for lang in ("en", "es")]


def model_text(step: StepRecord) -> str:
    """The part of a reply the model wrote (SDK prompts and the disclosure removed)."""
    if step.pending is not None or step.error:
        return ""
    text = step.reply
    for disclosure in _disclosures():
        if text.startswith(disclosure):
            text = text[len(disclosure) :].lstrip()
    return text


def search_number(citation: dict[str, Any]) -> int:
    """The number the search gave a cited passage (the reply renumbers its citations 1..n;
    a record without ``passage`` predates that and used the search's number)."""
    passage = citation.get("passage")
    return int(passage if passage is not None else citation["number"])


class _Turn:
    """Sources accumulated since the last customer message."""

    def __init__(self, user: str | None) -> None:
        self.sources: list[str] = [user] if user else []
        self.passages: dict[int, str] = {}

    def add(self, step: StepRecord) -> None:
        for ex in step.executions:
            if ex.name == SEARCH_TOOL and isinstance(ex.result, dict):
                for p in ex.result.get("passages", []):
                    self.passages[int(p.get("cite", 0))] = str(p.get("text", ""))
            else:
                self.sources.append(json.dumps(ex.result, default=str, ensure_ascii=False))
        if step.pending is not None:
            self.sources.append(json.dumps(step.pending, default=str, ensure_ascii=False))

    def values(self, citations: list[dict[str, Any]]) -> set[Decimal]:
        cited = [self.passages.get(search_number(c), "") for c in citations]
        return value_set(self.sources + cited)


def ground(transcript: Transcript) -> tuple[int, int]:
    """Fill each step's ``numbers``/``ungrounded``; return (numbers, grounded numbers)."""
    total = grounded = 0
    turn = _Turn(None)
    for index, step in enumerate(transcript.steps):
        if step.kind == "say":
            turn = _Turn(step.user)
        turn.add(step)
        text = model_text(step)
        if not text:
            continue
        available = turn.values(step.citations)
        numbers = numbers_in(text)
        missing = [n for n in numbers if not (number_values(n) & available)]
        transcript.steps[index] = step.model_copy(
            update={"numbers": numbers, "ungrounded": missing}
        )
        total += len(numbers)
        grounded += len(numbers) - len(missing)
    return total, grounded


def cited_docs(transcript: Transcript) -> set[str]:
    """Document ids cited anywhere in the conversation."""
    return {c["doc_id"] for s in transcript.steps for c in s.citations}


def citation_scores(cited: set[str], gold: set[str]) -> tuple[float | None, float | None]:
    """(precision, recall) of cited documents against the gold documents; None if undefined."""
    hits = len(cited & gold)
    precision = hits / len(cited) if cited else None
    recall = hits / len(gold) if gold else None
    return precision, recall
