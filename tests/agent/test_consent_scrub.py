"""After 'account data' consent is withdrawn, what the model already read is withheld from it.

An adversarial scripted model records every message list it is shown: once the customer has
withdrawn (in chat, in English or Spanish), no earlier bill total or plan may reach it, and
the offline engine's memory must not personalise from those results either.
"""

from __future__ import annotations

import json

from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

from assistant.engine.history import read_conversation
from assistant.engine.memory import Memory, _note_step
from assistant.scrub import withhold_account_results
from assistant.tools.base import result
from tests.scripted import call, say

LOCKED_IN = "C-1002"
SPANISH = "C-1007"


def _consent(bot, customer: str) -> None:
    version = {p.purpose: p.version for p in bot.records.consent_purposes()}["account_data"]
    bot.records.grant_consent(customer, "account_data", version, "test")


def _everything_shown(messages) -> str:
    return " ".join(f"{m.content} {json.dumps(getattr(m, 'artifact', None), default=str)}"
                    for m in messages)  # fmt: skip


def test_withdrawing_in_chat_withholds_earlier_account_results(make_bot):
    bot, model = make_bot([
        call("get_bill", call_id="bill"),
        say("Your bill is ready."),
        call("withdraw_consent", call_id="w", purpose="account_data"),
        say("Done: I've withdrawn your permission to use your account data."),
        say("I can only help with general questions now."),  # tries to use the old bill
    ])  # fmt: skip
    _consent(bot, LOCKED_IN)
    s = bot.session(LOCKED_IN)
    total = str(bot.records.get_bill(LOCKED_IN).total)
    s.ask("what's my bill?")
    assert total in _everything_shown(model.seen[-1])  # consent stood: the model saw it
    withdrawn = s.ask("I withdraw my consent")
    assert [c.name for c in withdrawn.tool_calls] == ["withdraw_consent"]
    assert not withdrawn.replaced and not bot.records.has_consent(LOCKED_IN, "account_data")
    s.ask("and how much was it again?")
    shown = _everything_shown(model.seen[-1])
    assert total not in shown and "consent_withdrawn" in shown
    model.assert_consumed()


def test_spanish_withdrawal_through_the_offline_engine(settings):
    from assistant.sdk import Assistant
    from tests.agent.conftest import FakeKnowledge

    with Assistant(settings, knowledge=FakeKnowledge(), auto_setup=False) as bot:
        _consent(bot, SPANISH)
        s = bot.session(SPANISH)
        reply = s.ask("quiero retirar mi consentimiento para usar mis datos")
        assert [c.name for c in reply.tool_calls] == ["withdraw_consent"]
        assert not bot.records.has_consent(SPANISH, "account_data")
        assert not reply.replaced and "retirado" in reply.text


def test_the_engine_memory_does_not_personalise_from_withheld_results():
    overview = {"lines": [{"plan_id": "GB-PLUS-30", "line_id": "L-1"}], "country": "GB"}
    content, artifact = result(overview)
    messages = [
        HumanMessage("what's my plan?"),
        AIMessage(
            "",
            tool_calls=[
                {"name": "get_account_overview", "args": {}, "id": "o", "type": "tool_call"}
            ],
        ),  # fmt: skip
        ToolMessage(content, artifact=artifact, tool_call_id="o", name="get_account_overview"),
        AIMessage("You're on Plus 30GB."),
        HumanMessage("which plans could I move to?"),
    ]

    def own_plan(msgs) -> str | None:
        memory = Memory()
        for turn in read_conversation(msgs).past:
            for step in turn.steps:
                _note_step(memory, step)
        return memory.own_plan

    assert own_plan(messages) == "GB-PLUS-30"  # the check can fail: it sees the plan
    scrubbed = withhold_account_results(messages)
    assert own_plan(scrubbed) is None
    assert "Plus 30GB" not in _everything_shown(scrubbed)
