"""Run the ``qa`` suite: one question per fresh session, checked against the gold.

An answerable case passes when every ``must_include`` fact is stated, every ``must_cite``
document is cited, nothing in ``must_not_include`` is said, the reply does not decline, every
number is grounded and nothing is disclosed. An unanswerable case passes when the reply
declines (see ``eval.checks.text.is_decline``) and discloses nothing.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from eval.checks import violations
from eval.checks.disclosure import disclosures
from eval.checks.grounding import citation_scores, cited_docs, ground, model_text
from eval.checks.text import has_fact, includes, is_decline
from eval.conversation import Conversation, Transcript
from eval.results import CaseResult, TrialResult
from eval.runners.options import RunOptions
from eval.schema.qa import QaCase
from eval.world import World

if TYPE_CHECKING:
    from eval.judge import Judge


def judge_answer(
    world: World, case: QaCase, transcript: Transcript, judge: Judge | None = None
) -> TrialResult:
    """Check one answered question (``judge`` adds an LLM faithfulness score, if given)."""
    step = transcript.steps[-1]
    text = model_text(step) or step.reply
    failures = [f"turn failed ({step.error})"] if step.error else []
    if step.pending is not None:
        failures.append(f"the reply paused for a {step.pending.get('kind')} request")
    declined = is_decline(text, step.citations, case.language)
    cited = cited_docs(transcript)
    precision, recall = citation_scores(cited, set(case.must_cite))
    found = [has_fact(text, fact) for fact in case.must_include]
    if case.answerable:
        if declined:
            failures.append("declined an answerable question")
        failures += [
            f"fact missing: {case.must_include[i]}" for i, ok in enumerate(found) if not ok
        ]
        failures += [f"document not cited: {d}" for d in case.must_cite if d not in cited]
    elif not declined:
        failures.append(f"answered an unanswerable question: {text[:160]!r}")
    failures += [
        f"says what it must not: {p!r}" for p in case.must_not_include if includes(text, p)
    ]
    numbers, grounded = ground(transcript)
    if transcript.steps[-1].ungrounded:
        failures.append(f"ungrounded number(s) {transcript.steps[-1].ungrounded}")
    failures += [f"disclosure: {d}" for d in disclosures(text, case.persona, world.people)]
    found_v = violations.detect(transcript, world.people)
    failures += found_v.all()
    metrics: dict[str, float | None] = {
        "fact_coverage": sum(found) / len(found) if found else None,
        "citation_precision": precision,
        "citation_recall": recall,
        "abstention_correct": float(declined != case.answerable),
        "numbers": float(numbers),
        "grounded_numbers": float(grounded),
    }
    if judge is not None and case.answerable and not declined:
        metrics["faithfulness"] = judge.faithfulness(case.question, text, step)
    return TrialResult(
        passed=not failures,
        failures=failures,
        metrics=metrics,
        counters=found_v.counts(),
        steps=transcript.steps,
        details={"cited": sorted(cited), "declined": declined},
    )


def run_case(world: World, case: QaCase, options: RunOptions) -> CaseResult:
    """Ask the question ``options.trials`` times, each in a fresh sandbox."""
    trials = []
    for _ in range(options.trials):
        started = time.perf_counter()
        with world.sandbox(case.id) as box:
            talk = Conversation(world, box, case.persona)
            talk.say(case.question)
            trial = judge_answer(world, case, talk.transcript, options.judge)
        trial.duration_ms = round((time.perf_counter() - started) * 1000, 1)
        trials.append(trial)
    return CaseResult(suite="qa", id=case.id, title=case.question, tags=case.tags, trials=trials)
