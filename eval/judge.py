"""An optional LLM judge of faithfulness (only with a real model; nothing in CI needs it).

The judge sees the question, the answer and its sources (the passages it cited and the tool
results of the turn) and returns a score in [0, 1]. An unparsable verdict is recorded as
missing, never guessed.
"""

from __future__ import annotations

import json
import re
from importlib import resources

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage

from eval.results import StepRecord

_SCORE = re.compile(r"\b(0(?:\.\d+)?|1(?:\.0+)?)\b")
_SOURCE_CHARS = 6000


def sources_of(step: StepRecord) -> str:
    """The cited passages and the non-search tool results of a step, as text."""
    cited = {int(c["number"]) for c in step.citations}
    parts = []
    for ex in step.executions:
        if ex.name == "search_knowledge" and isinstance(ex.result, dict):
            for p in ex.result.get("passages", []):
                if int(p.get("cite", 0)) in cited:
                    parts.append(f"[{p['cite']}] {p.get('title', '')}: {p.get('text', '')}")
        else:
            parts.append(f"{ex.name}: {json.dumps(ex.result, default=str, ensure_ascii=False)}")
    return "\n\n".join(parts)[:_SOURCE_CHARS] or "(none)"


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
