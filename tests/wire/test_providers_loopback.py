"""The real provider path, over loopback: the openai client and LangChain's OpenAI / Azure chat
models talk HTTP to a local OpenAI-compatible server started by the test.

Covers tool calls, streaming, 429/500 responses, timeouts and malformed tool-call JSON.
"""

from __future__ import annotations

import json

import openai

from assistant.settings import Settings
from tests.wire.fake_openai import FakeOpenAI, Step


def _bot(settings: Settings, **overrides):
    from assistant.sdk import Assistant
    from tests.agent.conftest import FakeKnowledge

    configured = settings.model_copy(update=overrides)
    return Assistant(configured, knowledge=FakeKnowledge(), auto_setup=False)


def test_openai_client_round_trip_with_tool_call_and_stream():
    steps = [
        Step(tool_calls=[("get_bill", '{"period": "2026-10"}')]),
        Step(text="hello there friend"),
    ]
    with FakeOpenAI(steps) as server:
        client = openai.OpenAI(base_url=server.url, api_key="test", max_retries=0)
        first = client.chat.completions.create(
            model="m", messages=[{"role": "user", "content": "bill"}]
        )
        call = first.choices[0].message.tool_calls[0]
        assert call.function.name == "get_bill"
        assert json.loads(call.function.arguments) == {"period": "2026-10"}
        stream = client.chat.completions.create(
            model="m", messages=[{"role": "user", "content": "hi"}], stream=True
        )
        text = "".join(c.choices[0].delta.content or "" for c in stream if c.choices)
        assert text.strip() == "hello there friend"


def test_compatible_provider_drives_tools_and_cites(settings: Settings):
    steps = [
        Step(tool_calls=[("search_knowledge", '{"query": "roaming in France"}')]),
        Step(text="Yes, EU roaming is included on Plus 30GB [1]."),
    ]
    with FakeOpenAI(steps) as server:
        bot = _bot(settings, model_provider="openai-compatible", model_base_url=server.url)
        reply = bot.session("C-1002").ask("Does my plan include roaming in France?")
        bot.close()
    assert reply.error is None
    assert reply.citations and reply.citations[0].doc_id == "policy-roaming-gb"
    assert [c.name for c in reply.tool_calls] == ["search_knowledge"]
    # The tool schemas sent over the wire never offer the model an identity argument.
    tools = server.requests[0]["tools"]
    assert {t["function"]["name"] for t in tools} >= {"get_bill", "change_plan", "search_knowledge"}
    for t in tools:
        assert "customer_id" not in t["function"]["parameters"].get("properties", {})
    assert server.remaining() == 0


def test_azure_provider_uses_deployment_path(settings: Settings):
    with FakeOpenAI([Step(text="Hello from Azure.")]) as server:
        bot = _bot(
            settings,
            model_provider="azure",
            model_name="gpt4o-prod",
            azure_endpoint=f"http://127.0.0.1:{server.port}",
            azure_api_key="k",
        )
        reply = bot.session().ask("hello")
        bot.close()
    assert "Hello from Azure." in reply.text
    assert server.paths[0].startswith("/openai/deployments/gpt4o-prod/chat/completions")


def test_streaming_yields_tokens_as_they_arrive(settings: Settings):
    with FakeOpenAI([Step(text="one two three four five")]) as server:
        bot = _bot(settings, model_provider="openai-compatible", model_base_url=server.url)
        s = bot.session()
        chunks = list(s.stream("count to five"))
        bot.close()
    assert len(chunks) >= 5
    assert "one two three four five" in "".join(chunks)
    assert s.last_reply is not None and "five" in s.last_reply.text


def test_429_is_retried_then_succeeds(settings: Settings):
    with FakeOpenAI([Step(status=429, text="slow down"), Step(text="Recovered.")]) as server:
        bot = _bot(
            settings,
            model_provider="openai-compatible",
            model_base_url=server.url,
            model_max_retries=1,
        )
        reply = bot.session().ask("hi")
        bot.close()
    assert reply.error is None and "Recovered." in reply.text
    assert len(server.requests) == 2


def test_500_ends_the_turn_with_a_clear_reply_and_no_write(settings: Settings):
    with FakeOpenAI([Step(status=500), Step(status=500)]) as server:
        bot = _bot(
            settings,
            model_provider="openai-compatible",
            model_base_url=server.url,
            model_max_retries=1,
        )
        before = bot.records.snapshot()
        reply = bot.session("C-1002").ask("switch me to Unlimited Max")
        after = bot.records.snapshot()
        bot.close()
    assert reply.error == "provider_unavailable"
    assert "nothing was changed" in reply.text
    assert before == after


def test_timeout_ends_the_turn_cleanly(settings: Settings):
    with FakeOpenAI([Step(text="too late", delay=2.0)]) as server:
        bot = _bot(
            settings,
            model_provider="openai-compatible",
            model_base_url=server.url,
            model_timeout_s=0.3,
            model_max_retries=0,
        )
        reply = bot.session().ask("hi")
        bot.close()
    assert reply.error == "provider_unavailable"


def test_fallback_model_answers_when_primary_fails(settings: Settings):
    from tests.scripted import ScriptedModel, say

    with FakeOpenAI([Step(status=500)]) as server:
        from assistant.sdk import Assistant
        from tests.agent.conftest import FakeKnowledge

        configured = settings.model_copy(
            update={"model_provider": "openai-compatible", "model_base_url": server.url}
        )
        backup = ScriptedModel(steps=[say("Answer from the fallback model.")])
        bot = Assistant(
            configured, knowledge=FakeKnowledge(), fallback_model=backup, auto_setup=False
        )
        reply = bot.session().ask("hi")
        bot.close()
    assert "fallback" in reply.text and reply.error is None
    backup.assert_consumed()


def test_malformed_tool_call_json_runs_nothing(settings: Settings):
    steps = [Step(tool_calls=[("change_plan", '{"quote_id": "Q-1"')])]  # truncated JSON
    with FakeOpenAI(steps) as server:
        bot = _bot(settings, model_provider="openai-compatible", model_base_url=server.url)
        before = bot.records.snapshot()
        reply = bot.session("C-1002").ask("do it")
        after = bot.records.snapshot()
        bot.close()
    assert before == after
    assert reply.pending is None
    assert reply.tool_calls == []  # an unparseable call is never executed
    assert "nothing was changed" in reply.text  # a clear reply, never an empty turn
    assert len(server.requests) == 1
