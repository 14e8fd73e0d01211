"""The understanding and dialogues suites: loading, per-reply judging, split figures, reports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval.errors import SuiteError
from eval.loader import load_suite, load_understanding
from eval.metrics import direction, summarise
from eval.reports.markdown import render
from eval.results import CaseResult, Execution, Report, RunInfo, StepRecord, TrialResult
from eval.runners.dialogues import check_turn
from eval.runners.understanding import judge
from eval.schema.dialogue import TurnExpect
from eval.schema.understanding import UnderstandingCase


def _case(**fields: object) -> UnderstandingCase:
    raw = {"id": "x-1", "text": "hi", "lang": "en", "intent": "greeting", "as": "both",
           "answerable": True, "source": "written (test)", **fields}  # fmt: skip
    return UnderstandingCase.model_validate(raw)


def _step(reply: str = "", tools: tuple[str, ...] = (), docs: tuple[str, ...] = ()) -> StepRecord:
    return StepRecord(
        kind="say",
        reply=reply,
        executions=[Execution(name=t, outcome="ok", scope="account") for t in tools],
        citations=[{"number": i, "doc_id": d} for i, d in enumerate(docs, 1)],
    )


def test_shipped_suites_load_with_their_splits() -> None:
    cases = load_suite("understanding").cases
    assert {c.split for c in cases} == {"dev", "heldout"}
    assert sum(c.split == "heldout" for c in cases) >= 350
    scenarios = load_suite("dialogues").cases
    assert sum(s.split == "heldout" for s in scenarios) >= 60


def test_loader_rejects_unknown_intents_and_split_in_the_case(tmp_path: Path) -> None:
    good = {"id": "a-1", "text": "hi", "lang": "en", "intent": "greeting", "as": "guest",
            "answerable": True, "source": "t"}  # fmt: skip
    (tmp_path / "dev-x.jsonl").write_text(json.dumps(good) + "\n", "utf-8")
    assert load_understanding(tmp_path)[0].split == "dev"
    bad = [{**good, "id": "a-2", "intent": "weather"}, {**good, "id": "a-3", "split": "dev"}]
    (tmp_path / "heldout-x.jsonl").write_text("\n".join(json.dumps(b) for b in bad), "utf-8")
    with pytest.raises(SuiteError) as error:
        load_understanding(tmp_path)
    assert "unknown intent 'weather'" in str(error.value)
    assert "comes from the file name" in str(error.value)


def test_judging_by_intent() -> None:
    bill = _case(intent="bill")
    assert judge(bill, "customer", _step("£12.00", ("get_bill",)), True, True).handled
    assert judge(bill, "guest", _step("Please sign in first."), None, True).handled
    assert not judge(bill, "customer", _step("x", ("get_usage",)), True, True).handled
    knowledge = _case(intent="knowledge", docs=["policy-roaming-gb"])
    wrong = judge(knowledge, "guest", _step("x [1]", ("search_knowledge",), ("guia-bonos",)),
                  None, True)  # fmt: skip
    assert not wrong.handled and wrong.wrong_with_citations
    declined = judge(knowledge, "guest", _step("Our documents don't cover that."), None, True)
    assert declined.false_decline
    greeting = judge(_case(), "guest", _step("Hello!", (), ("guide-addons",)), None, True)
    assert not greeting.handled and greeting.wrong_with_citations
    ticket = judge(_case(intent="thanks"), "guest", _step("ok", ("hand_off_to_human",)), None, True)
    assert ticket.accidental_ticket


def test_turn_checks() -> None:
    expect = TurnExpect.model_validate(
        {"tools_any": [{"name": "get_bill", "args": {"period": "2026-10"}}],
         "facts": ["{reference}"], "pending": "none", "tools_forbidden": ["change_plan"]}
    )  # fmt: skip
    step = _step("Your ticket is TK-1A2B.", ("get_bill",))
    failures = check_turn(expect, [step], ["TK-1A2B"], "none")
    assert failures == ["none of [get_bill] called (called: ['get_bill'])"]  # args differ


def _trial(split: str, handled: float) -> TrialResult:
    flags = {"handled": handled, "wrong_with_citations": 0.0, "false_declines": 0.0,
             "accidental_tickets": 0.0}  # fmt: skip
    details = {"split": split, "as": "guest", "intent": "bill", "lang": "en"}
    return TrialResult(passed=bool(handled), metrics=flags, details=details)


def test_split_figures_gap_and_report() -> None:
    cases = [
        CaseResult(suite="understanding", id=f"c{i}", trials=[_trial(split, handled)])
        for i, (split, handled) in enumerate([("dev", 1.0), ("dev", 1.0), ("heldout", 0.0),
                                              ("heldout", 1.0)])
    ]  # fmt: skip
    suite = summarise("understanding", cases)
    assert suite.metrics["dev.handled"] == 1.0
    assert suite.metrics["heldout.handled"] == 0.5
    assert suite.metrics["gap.handled"] == 0.5
    assert suite.breakdown["by intent"]["bill"]["heldout.n"] == 2.0
    assert direction("gap.handled") == "lower" and direction("heldout.handled") == "higher"
    run = RunInfo(model="m", provider="p", trials=1, suites=["understanding"], started_at="t",
                  duration_s=0.0)  # fmt: skip
    text = render(Report(run=run, suites={"understanding": suite}, cases=cases))
    assert "| handled | 1.000 | 0.500 | 0.500 |" in text
    assert "### understanding by intent" in text
