"""The harness end to end on a scripted model: driver, gold replay, checks, simulator, judge.

The model is not under test here, so it plays fixed steps; what is tested is that the harness
records what happened and judges it correctly.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.settings import Settings
from eval.judge import Judge, parse_score
from eval.runners import conversations
from eval.runners.options import RunOptions
from eval.schema import ConversationCase
from eval.usersim import UserSimulator, parse_move
from eval.world import World
from tests.eval.conftest import FixedKnowledge
from tests.scripted import ScriptedModel, call, say


@pytest.fixture()
def world_for(settings: Settings, seeded_db: Path, tmp_path: Path) -> Iterator:
    """Build a World whose model plays the given script."""
    built: list[World] = []

    def build(steps: list) -> tuple[World, ScriptedModel]:
        model = ScriptedModel(steps=steps)
        world = World.open(settings, tmp_path / f"w{len(built)}", knowledge=FixedKnowledge(),
                           model=model, seeded_db=seeded_db)  # fmt: skip
        built.append(world)
        return world, model

    yield build
    for world in built:
        world.close()


def case(**fields: object) -> ConversationCase:
    return ConversationCase.model_validate({"id": "t", "persona": "C-1001", **fields})


def test_a_correct_answer_passes_and_is_measured(world_for) -> None:
    world, model = world_for([call("get_bill"), say("Your latest bill is £12.00, due 2026-11-15.")])
    result = conversations.run_case(world, case(
        turns=[{"user": "What's my latest bill?"}],
        expect={"tools_required": ["get_bill"], "facts": ["12.00"]},
    ), "tasks", RunOptions())  # fmt: skip
    model.assert_consumed()
    trial = result.trials[0]
    assert trial.passed, trial.failures
    step = trial.steps[0]
    assert [e.name for e in step.executions] == ["get_bill"]
    assert step.model_calls == 2 and step.prompt_tokens > 0 and step.completion_tokens > 0
    assert trial.metrics["tool_recall"] == 1.0


def test_invented_numbers_missing_facts_and_a_wrong_end_state_fail(world_for) -> None:
    world, _ = world_for([call("get_bill"), say("Your bill is £12.00 and you get £99.00 back.")])
    result = conversations.run_case(world, case(
        turns=[{"user": "What's my bill?", "actions": ["confirm"]}],
        gold=[{"ticket": {"topic": "billing"}}],
        expect={"facts": ["2026-11-15"]},
    ), "tasks", RunOptions())  # fmt: skip
    failures = "\n".join(result.trials[0].failures)
    assert "confirm pressed, but pending is nothing" in failures
    # The reply verifier replaced the invented amount before the customer (or the eval) saw it;
    # the eval's own grounding check is tested on a transcript in tests/eval/test_checks.py.
    said = result.trials[0].steps[0]
    assert "99.00" not in said.reply and any("number" in r for r in said.replaced)
    assert "ungrounded number" not in failures
    assert "fact not communicated: 2026-11-15" in failures
    assert "end state: tickets: expected row missing" in failures


def test_the_user_simulator_drives_the_same_conversation(world_for) -> None:
    world, _ = world_for([call("get_bill"), say("Your latest bill is £12.00.")])
    simulator = UserSimulator(
        ScriptedModel(steps=[say("What's my latest bill?"), say("###STOP###")])
    )
    result = conversations.run_case(world, case(
        goal="Find out your latest bill.", turns=[{"user": "unused when simulated"}],
        expect={"facts": ["12.00"]},
    ), "tasks", RunOptions(user_simulator=simulator))  # fmt: skip
    assert result.trials[0].passed, result.trials[0].failures
    assert [s.user for s in result.trials[0].steps] == ["What's my latest bill?"]


def test_simulator_and_judge_parsing() -> None:
    assert parse_move("###CONFIRM###").kind == "confirm"
    assert parse_move("ok ###ALLOW###").kind == "grant_consent"
    assert parse_move("###STOP###").kind == "stop"
    assert parse_move('"How much is my bill?"').text == "How much is my bill?"
    assert parse_score("0.8") == 0.8 and parse_score("Score: 1") == 1.0
    assert parse_score("no idea") is None
    judge = Judge(ScriptedModel(steps=[say("0.5")]))
    from eval.results import StepRecord

    assert judge.faithfulness("q", "a", StepRecord(kind="say")) == 0.5


def test_an_sdk_error_fails_the_trial_not_the_run(world_for) -> None:
    world, _ = world_for([])
    result = conversations.run_case(world, case(turns=[{"user": "x" * 5000}]), "tasks",
                                    RunOptions())  # fmt: skip
    failures = "\n".join(result.trials[0].failures)
    assert "turn failed (UsageError: message is 5000 characters" in failures
