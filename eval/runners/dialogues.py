"""Run the ``dialogues`` suite: multi-turn scenarios with expectations on every turn.

A scenario runs in its own sandbox (fresh database copy, setup applied, new session). Each
turn is a message and the buttons pressed after it; the turn's steps are checked against its
``expect``. A scenario passes only when every turn passes and no zero-tolerance rule broke.
"""

from __future__ import annotations

import time

from eval.checks import state, violations
from eval.checks.grounding import ground, model_text
from eval.checks.text import has_fact, reply_language
from eval.checks.tools import matches
from eval.conversation import Conversation, Transcript
from eval.results import CaseResult, StepRecord, TrialResult
from eval.runners.conversations import references, resolve_fact
from eval.runners.options import RunOptions
from eval.schema.dialogue import Scenario, TurnExpect
from eval.world import World


def check_turn(
    expect: TurnExpect, steps: list[StepRecord], refs: list[str], pending: str
) -> list[str]:
    """Why one turn fails its expectations (empty: it passes)."""
    failures = [f"{s.kind}: {s.problem}" for s in steps if s.problem]
    failures += [f"{s.kind}: turn failed ({s.error})" for s in steps if s.error]
    executions = [e for s in steps for e in s.executions]
    called = {e.name for e in executions}
    cited = {c["doc_id"] for s in steps for c in s.citations}
    text = "\n".join(s.reply for s in steps if s.reply)
    if expect.tools_any and not any(matches(t, e) for t in expect.tools_any for e in executions):
        wanted = ", ".join(t.name for t in expect.tools_any)
        failures.append(f"none of [{wanted}] called (called: {sorted(called) or 'nothing'})")
    ran = {e.name for e in executions if e.outcome == "ok"}
    failures += [f"forbidden tool ran: {t}" for t in expect.tools_forbidden if t in ran]
    if expect.cites_any and not cited & set(expect.cites_any):
        failures.append(f"cites none of {expect.cites_any} (cited: {sorted(cited) or 'nothing'})")
    if expect.no_citations and cited:
        failures.append(f"cites {sorted(cited)} where no citation was wanted")
    for fact in expect.facts:
        if not has_fact(text, resolve_fact(fact, refs)):
            failures.append(f"fact not stated: {fact}")
    if expect.lang is not None:
        written = "\n".join(model_text(s) for s in steps) or text
        found = reply_language(written)
        if found != expect.lang:
            failures.append(f"reply language {found or 'unclear'}, expected {expect.lang}")
    if expect.pending is not None and expect.pending != pending:
        failures.append(f"pending {pending}, expected {expect.pending}")
    return failures


def play(world: World, scenario: Scenario) -> tuple[Transcript, list[list[str]], list[bool]]:
    """Run every turn; return the transcript, each turn's failures and its context flag."""
    per_turn: list[list[str]] = []
    with world.sandbox(scenario.id) as box:
        for op in scenario.setup:
            state.apply_op(box.records, scenario.persona, op)
        talk = Conversation(world, box, scenario.persona)
        for turn in scenario.turns:
            start = len(talk.transcript.steps)
            if turn.user is not None:
                talk.say(turn.user)
            for action in turn.actions:
                talk.press(action)
            steps = talk.transcript.steps[start:]
            pending = (talk.pending.kind if talk.pending is not None else None) or "none"
            refs = references(talk.transcript)
            per_turn.append(check_turn(turn.expect, steps, refs, pending))
    return talk.transcript, per_turn, [t.context for t in scenario.turns]


def judge(
    world: World, scenario: Scenario, transcript: Transcript, per_turn: list[list[str]],
    context: list[bool],
) -> TrialResult:  # fmt: skip
    """Pass only when every turn passes and nothing broke a zero-tolerance rule."""
    failures = [f"turn {i}: {f}" for i, fs in enumerate(per_turn, 1) for f in fs]
    found = violations.detect(transcript, world.people)
    failures += found.all()
    numbers, grounded = ground(transcript)
    ok = [not fs for fs in per_turn]
    return TrialResult(
        passed=not failures,
        failures=failures,
        metrics={"numbers": float(numbers), "grounded_numbers": float(grounded)},
        counters=found.counts(),
        steps=transcript.steps,
        details={
            "split": scenario.split,
            "language": scenario.language,
            "scenarios": 1,
            "passed": int(not failures),
            "turns": len(ok),
            "turns_passed": sum(ok),
            "context_turns": sum(context),
            "context_turns_passed": sum(o for o, c in zip(ok, context, strict=True) if c),
        },
    )


def run_case(world: World, scenario: Scenario, options: RunOptions) -> CaseResult:
    """Every trial of one scenario, each on a fresh sandbox."""
    trials = []
    for _ in range(options.trials):
        started = time.perf_counter()
        transcript, per_turn, context = play(world, scenario)
        trial = judge(world, scenario, transcript, per_turn, context)
        trial.duration_ms = round((time.perf_counter() - started) * 1000, 1)
        trials.append(trial)
    title = scenario.turns[0].user or scenario.id
    tags = [f"split:{scenario.split}", f"lang:{scenario.language}", *scenario.tags]
    return CaseResult(suite="dialogues", id=scenario.id, title=title, tags=tags, trials=trials)
