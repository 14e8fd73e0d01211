"""Concurrent conflicting changes on one line: exactly one wins, the others change nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine

from assistant.errors import Conflict
from assistant.records.api import Records
from tests.records.race import race


def _race(calls: list[Callable[[], Any]]) -> list[Any]:
    return race(calls, (Conflict,))


def test_conflicting_quotes_on_one_line_exactly_one_wins(
    engine_factory: Callable[[], Engine], clock
) -> None:
    setup = Records(engine_factory(), clock)
    plans = ["GB-UNLIMITED-MAX", "GB-ESSENTIAL-5", "GB-FLEX-10"]
    quotes = [setup.quote_plan_change("C-1002", plan) for plan in plans]
    # Separate engines = separate connection pools, as in separate processes.
    racers = [Records(engine_factory(), clock) for _ in quotes]
    outcomes = _race(
        [
            (lambda r=r, q=q: r.apply_plan_change("C-1002", q.quote_id))
            for r, q in zip(racers, quotes, strict=True)
        ]
    )
    winners = [o for o in outcomes if not isinstance(o, Conflict)]
    losers = [o for o in outcomes if isinstance(o, Conflict)]
    assert len(winners) == 1 and len(losers) == len(quotes) - 1, outcomes
    state = setup.snapshot()
    applied = [c for c in state["plan_changes"] if c["line_id"] == "L-1002-1"]
    assert len(applied) == 1 and applied[0]["status"] == "applied"
    line = next(line for line in state["lines"] if line["id"] == "L-1002-1")
    assert line["version"] == 2  # bumped once
    written = [e for e in setup.audit_events("C-1002") if e.action == "plan_change.applied"]
    assert len(written) == 1


def test_same_quote_applied_twice_at_once_gives_one_reference(
    engine_factory: Callable[[], Engine], clock
) -> None:
    setup = Records(engine_factory(), clock)
    quote = setup.quote_plan_change("C-1002", "GB-UNLIMITED-MAX")
    racers = [Records(engine_factory(), clock) for _ in range(2)]
    outcomes = _race([lambda r=r: r.apply_plan_change("C-1002", quote.quote_id) for r in racers])
    assert not any(isinstance(o, Conflict) for o in outcomes), outcomes
    assert outcomes[0].reference == outcomes[1].reference
    assert sorted(o.already_applied for o in outcomes) == [False, True]
