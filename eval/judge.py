"""An optional LLM judge of faithfulness (only with a real model; nothing in CI needs it).

The judge sees the question, the answer and its sources (the passages it cited and the tool
results of the turn) and returns a score in [0, 1]. An unparsable verdict is recorded as
missing, never guessed.
"""

from __future__ import annotations

import json
import re
from importlib import resources
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage

from eval.checks.grounding import search_number
from eval.results import StepRecord

_SCORE = re.compile(r"\b(0(?:\.\d+)?|1(?:\.0+)?)\b")
_SOURCE_CHARS = 6000


def sources_of(step: StepRecord) -> str:
    """The cited passages and the non-search tool results of a step, as text.

    The answer numbers its citations 1..n; each passage is shown under the answer's number.
    """
    passages: dict[int, dict[str, Any]] = {}  # by the search's number; the latest search wins
    results = []
    for ex in step.executions:
        if ex.name == "search_knowledge" and isinstance(ex.result, dict):
            passages.update({int(p.get("cite", 0)): p for p in ex.result.get("passages", [])})
        else:
            results.append(f"{ex.name}: {json.dumps(ex.result, default=str, ensure_ascii=False)}")
    parts = []
    for c in sorted(step.citations, key=lambda c: int(c["number"])):
        p = passages.get(search_number(c))
        if p is not None:
            parts.append(f"[{c['number']}] {p.get('title', '')}: {p.get('text', '')}")
    return "\n\n".join(parts + results)[:_SOURCE_CHARS] or "(none)"


def parse_score(text: str) -> float | None:
    """The first number in [0, 1] in the verdict, or None."""
    match = _SCORE.search(text)
    return float(match.group(1)) if match else None


class Judge:
    """Scores faithfulness with a chat model."""

    def __init__(self, model: BaseChatModel) -> None:
        self.model = model

    def faithfulness(self, question: str, answer: str, step: StepRecord) -> float | None:
        """Score how well the sources support the answer."""
        template = resources.files("eval").joinpath("data/judge.md").read_text("utf-8")
        prompt = template.format(question=question, sources=sources_of(step), answer=answer)
        verdict = self.model.invoke([HumanMessage(prompt)])
        return parse_score(verdict.text if hasattr(verdict, "text") else str(verdict.content))
