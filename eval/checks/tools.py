"""Tool-call expectations: required calls, forbidden calls, precision and recall.

Only finished calls count (``Execution``: the result arrived). A required call matches by name,
by every listed argument (compared as case-insensitive text) and, if given, by outcome.
Precision is over the distinct tools called: the share that were required or explicitly
allowed (undefined for a case that declares neither). Recall is the share of required calls
that were made (undefined when none is required).
"""

from __future__ import annotations

from collections.abc import Sequence

from eval.results import Execution
from eval.schema.conversation import ToolExpect


def _same(expected: object, actual: object) -> bool:
    return str(expected).casefold() == str(actual).casefold()


def matches(expect: ToolExpect, ex: Execution) -> bool:
    """Whether ``ex`` satisfies the expectation."""
    if ex.name != expect.name:
        return False
    if expect.outcome is not None and ex.outcome != expect.outcome:
        return False
    return all(k in ex.args and _same(v, ex.args[k]) for k, v in expect.args.items())


def missing_required(executions: Sequence[Execution], required: Sequence[ToolExpect]) -> list[str]:
    """Required calls that never happened, described."""
    return [
        f"{r.name}({', '.join(f'{k}={v}' for k, v in r.args.items())})"
        + (f" -> {r.outcome}" if r.outcome else "")
        for r in required
        if not any(matches(r, ex) for ex in executions)
    ]


def forbidden_ran(executions: Sequence[Execution], forbidden: Sequence[str]) -> list[str]:
    """Forbidden tools that ran successfully."""
    return sorted({ex.name for ex in executions if ex.outcome == "ok" and ex.name in forbidden})


def precision_recall(
    executions: Sequence[Execution], required: Sequence[ToolExpect], allowed: Sequence[str]
) -> tuple[float | None, float | None]:
    """(precision, recall) of the tool calls; None where undefined (nothing called/required)."""
    called = {ex.name for ex in executions}
    relevant = {r.name for r in required} | set(allowed)
    # A case that declares no tool expectations says nothing about which calls are relevant.
    precision = len(called & relevant) / len(called) if called and relevant else None
    if not required:
        return precision, None
    found = sum(any(matches(r, ex) for ex in executions) for r in required)
    return precision, found / len(required)
