"""The tools' JSON schemas are the model's contract: snapshot them so changes are visible diffs."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from langchain_core.tools import tool
from langchain_core.utils.function_calling import convert_to_openai_tool

from assistant.tools import build_tools, tool_spec
from assistant.tools.base import declare

SNAPSHOT = Path(__file__).parent / "snapshots" / "tool_schemas.json"


@pytest.fixture()
def tools(settings):
    from assistant.records.api import Records
    from assistant.services import Services

    return build_tools(Services(Records.from_settings(settings), None, settings))


def test_tool_schemas_match_snapshot(tools):
    schemas = {t.name: convert_to_openai_tool(t)["function"] for t in tools}
    current = json.dumps(schemas, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    # Writing the snapshot is a deliberate act, never a side effect of a passing run.
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        SNAPSHOT.write_text(current, "utf-8")
    assert SNAPSHOT.exists(), (
        f"no snapshot at {SNAPSHOT}: write it with UPDATE_SNAPSHOTS=1 python -m pytest "
        f"tests/agent/{Path(__file__).name}, review it and commit it"
    )
    assert current == SNAPSHOT.read_text("utf-8"), (
        "tool schemas changed: review the diff, then accept it with UPDATE_SNAPSHOTS=1 "
        f"python -m pytest tests/agent/{Path(__file__).name} and commit the snapshot"
    )


def test_every_tool_declares_effect_and_scope_and_no_identity_argument(tools):
    writes, confirmed = set(), set()
    for t in tools:
        spec = tool_spec(t)
        params = convert_to_openai_tool(t)["function"]["parameters"].get("properties", {})
        assert not {"customer_id", "account_id", "msisdn", "runtime"} & set(params), t.name
        assert t.description, t.name
        for name, schema in params.items():
            assert schema.get("description"), f"{t.name}.{name} has no description"
        if spec.effect == "write":
            writes.add(t.name)
        if spec.needs_confirmation:
            confirmed.add(t.name)
    payments = {"pay_bill", "request_velapesa_payment", "set_up_payment_arrangement"}
    # The hand-off writes a ticket, honestly declared, but asking for a person needs no confirm.
    assert writes == {"change_plan", "add_addon", "hand_off_to_human"} | payments
    assert confirmed == {"change_plan", "add_addon"} | payments


def test_undeclared_tool_is_refused():
    @tool
    def sneaky(x: str) -> str:
        """Do something."""
        return x

    with pytest.raises(TypeError, match="does not declare"):
        tool_spec(sneaky)
    assert tool_spec(declare(sneaky, "read", "general")).effect == "read"


def test_every_built_tool_is_the_registry_and_the_registry_is_built(tools):
    from assistant.tools.registry import TOOLS

    assert {t.name for t in tools} == set(TOOLS)
    assert all(tool_spec(t) == TOOLS[t.name] for t in tools)


def test_a_declaration_that_contradicts_the_registry_is_refused():
    @tool
    def change_plan(quote_id: str) -> str:
        """Pretend to change a plan."""
        return quote_id

    with pytest.raises(TypeError, match="contradict the tool registry"):
        declare(change_plan, "read", "account")


def test_an_unregistered_tool_keeps_the_old_declare_api_and_a_write_needs_confirmation():
    @tool
    def block_sim(reason: str) -> str:
        """Block the SIM."""
        return reason

    spec = tool_spec(declare(block_sim, "write", "account"))
    assert spec.needs_confirmation and spec.needs_consent and spec.approval == "confirm"
    with pytest.raises(TypeError, match="declare effect and scope"):
        declare(block_sim)


def test_the_envelope_round_trips_and_reads_legacy_artifacts():
    from assistant.contracts import ToolResult
    from assistant.errors import NotEligible
    from assistant.tools.base import result, run_tool

    def refuse():
        raise NotEligible("no", reasons=["overdue"])

    content, artifact = run_tool("x", refuse)
    envelope = ToolResult.read(artifact)
    assert envelope.outcome == "error" and envelope.code == "not_eligible"
    assert '"error": "not_eligible"' in content  # the model still reads the bare payload
    assert ToolResult.read(result({"reference": "PC-1"})[1]).ok
    legacy = ToolResult.read({"status": "cancelled", "message": "no"})
    assert legacy.outcome == "cancelled" and legacy.data == {"status": "cancelled", "message": "no"}
    assert ToolResult.read({"error": "refused"}).outcome == "refused"
    assert ToolResult.read({"x": 1}, "error").outcome == "error"


def test_pauses_and_decisions_are_typed():
    from assistant.contracts import ConfirmationPause, Decision, read_pause

    pause = ConfirmationPause(action="change_plan", quote_id="Q-1", quote={"a": 1})
    assert read_pause(pause.model_dump(mode="json")) == pause
    assert read_pause({"type": "something else"}) is None
    assert Decision.read({"decision": "confirm", "quote_id": "Q-1"}).confirms("Q-1")
    assert not Decision.read({"decision": "confirm", "quote_id": "Q-2"}).confirms("Q-1")
    assert not Decision.read("yes").confirms("Q-1")  # unreadable: a decline


def test_eval_ownership_replays_every_registered_account_read_without_side_effects():
    from assistant.tools.registry import TOOLS
    from eval.checks.ownership import READS

    # Quotes are reads with a side effect (a stored quote); replaying them would add quotes.
    reads = {n for n, s in TOOLS.items() if s.scope == "account" and s.effect == "read"}
    quotes = {"quote_plan_change", "quote_addon", "quote_payment", "quote_payment_arrangement"}
    assert set(READS) == reads - quotes


def test_a_second_build_reuses_the_argument_schemas_and_shows_the_model_the_same_tools(settings):
    from assistant.records.api import Records
    from assistant.services import Services

    def build():
        return build_tools(Services(Records.from_settings(settings), None, settings))

    first, second = build(), build()
    assert [t.args_schema for t in first] == [t.args_schema for t in second]
    assert [convert_to_openai_tool(t) for t in first] == [convert_to_openai_tool(t) for t in second]
    # Each build is bound to its own services: the closures differ, only the schemas are shared.
    assert all(a.func is not b.func for a, b in zip(first, second, strict=True))
