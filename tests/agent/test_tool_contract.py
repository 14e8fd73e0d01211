"""The tools' JSON schemas are the model's contract: snapshot them so changes are visible diffs."""

from __future__ import annotations

import json
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
    current = json.dumps(schemas, indent=2, sort_keys=True, ensure_ascii=False)
    if not SNAPSHOT.exists():  # first run writes it; commit the file
        SNAPSHOT.write_text(current + "\n", "utf-8")
    assert current + "\n" == SNAPSHOT.read_text("utf-8"), (
        "tool schemas changed: review the diff and delete the snapshot to accept it"
    )


def test_every_tool_declares_effect_and_scope_and_no_identity_argument(tools):
    writes = set()
    for t in tools:
        spec = tool_spec(t)
        params = convert_to_openai_tool(t)["function"]["parameters"].get("properties", {})
        assert not {"customer_id", "account_id", "msisdn", "runtime"} & set(params), t.name
        assert t.description, t.name
        for name, schema in params.items():
            assert schema.get("description"), f"{t.name}.{name} has no description"
        if spec.effect == "write":
            writes.add(t.name)
    assert writes == {
        "change_plan",
        "add_addon",
        "pay_bill",
        "request_velapesa_payment",
        "set_up_payment_arrangement",
    }


def test_undeclared_tool_is_refused():
    @tool
    def sneaky(x: str) -> str:
        """Do something."""
        return x

    with pytest.raises(TypeError, match="does not declare"):
        tool_spec(sneaky)
    assert tool_spec(declare(sneaky, "read", "general")).effect == "read"
