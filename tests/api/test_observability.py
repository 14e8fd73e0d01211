"""Traces (in-memory exporter) and Prometheus metrics of API turns."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from langchain_core.language_models import BaseChatModel
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from prometheus_client import REGISTRY

from assistant.observability import configure_logging
from tests.api.conftest import CUSTOMER, bearer, demo_token
from tests.scripted import ScriptedModel, call, say


@pytest.fixture(scope="module")
def exporter() -> InMemorySpanExporter:
    """An in-memory exporter on the process's tracer provider (installed once)."""
    provider = trace.get_tracer_provider()
    if not isinstance(provider, TracerProvider):
        provider = TracerProvider()
        trace.set_tracer_provider(provider)
    memory = InMemorySpanExporter()
    provider.add_span_processor(SimpleSpanProcessor(memory))
    return memory


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_a_turn_is_one_trace_with_model_and_retrieval_spans_redacted(make_client, exporter):
    exporter.clear()
    client, model = make_client(
        [
            call("search_knowledge", query="roaming for jane.doe@example.com +44 7700 900123"),
            say("Roaming is included [1]."),
        ]
    )
    logs = io.StringIO()
    handler = configure_logging("INFO", logs)
    try:
        cid = client.post("/v1/conversations").json()["id"]
        r = client.post(f"/v1/conversations/{cid}/messages", json={"text": "roaming?"})
    finally:
        for name in ("assistant", "knowledge", "eval", "ui"):
            import logging

            logging.getLogger(name).removeHandler(handler)
    assert r.status_code == 200
    model.assert_consumed()
    spans = exporter.get_finished_spans()
    turn = next(s for s in spans if s.name == "turn")
    children = [s for s in spans if s.parent and s.parent.span_id == turn.context.span_id]
    assert sorted(s.name for s in children) == ["model", "model", "retrieval"]
    assert all(s.context.trace_id == turn.context.trace_id for s in children)
    retrieval = next(s for s in children if s.name == "retrieval")
    text = retrieval.attributes["vela.tool.input"]
    assert "[EMAIL]" in text and "[PHONE]" in text and "jane.doe" not in text
    assert turn.attributes["vela.turn.outcome"] == "answered"
    assert turn.attributes["vela.conversation"] != cid  # hashed, not the id itself
    trace_id = format(turn.context.trace_id, "032x")
    lines = [json.loads(line) for line in logs.getvalue().splitlines()]
    assert any(rec["event"] == "turn" and rec.get("trace_id") == trace_id for rec in lines)


def test_metrics_count_turns_tools_consent_and_grants(make_client):
    client, model = make_client(
        [call("quote_plan_change", plan_id="GB-UNLIMITED-MAX"), say("Here is your quote.")]
    )
    before = {
        "turns": sample("vela_turns_total", kind="message", outcome="consent"),
        "prompts": sample("vela_consent_prompts_total", purpose="account_data"),
        "grants": sample("vela_consent_grants_total", purpose="account_data", action="granted"),
        "quotes": sample("vela_tool_calls_total", tool="quote_plan_change", outcome="ok"),
    }
    auth = bearer(demo_token(CUSTOMER))
    cid = client.post("/v1/conversations", headers=auth).json()["id"]
    client.post(f"/v1/conversations/{cid}/messages", headers=auth, json={"text": "quote Max"})
    client.post(f"/v1/conversations/{cid}/confirm", headers=auth)
    model.assert_consumed()
    assert sample("vela_turns_total", kind="message", outcome="consent") == before["turns"] + 1
    assert sample("vela_consent_prompts_total", purpose="account_data") == before["prompts"] + 1
    assert (
        sample("vela_consent_grants_total", purpose="account_data", action="granted")
        == before["grants"] + 1
    )
    # Counted once, when it ran after the consent, though both replies list it.
    assert (
        sample("vela_tool_calls_total", tool="quote_plan_change", outcome="ok")
        == before["quotes"] + 1
    )
    body = client.get("/metrics").text
    assert "vela_turn_seconds_bucket" in body and "vela_model_seconds_bucket" in body


class Failing(BaseChatModel):
    """A primary model whose every call fails."""

    @property
    def _llm_type(self) -> str:
        return "failing"

    def bind_tools(self, tools: Any, **kwargs: Any) -> Failing:
        return self

    def _generate(self, messages: Any, stop: Any = None, run_manager: Any = None, **kw: Any):
        raise TimeoutError("provider timed out")


def test_model_errors_and_fallbacks_are_counted(api_settings):
    from fastapi.testclient import TestClient

    from assistant.api import create_app
    from assistant.sdk import Assistant
    from tests.agent.conftest import FakeKnowledge

    fallback = ScriptedModel(steps=[say("Answered by the fallback.")])
    bot = Assistant(
        api_settings,
        model=Failing(),
        fallback_model=fallback,
        knowledge=FakeKnowledge(),
        auto_setup=False,
    )
    errors = sample("vela_model_errors_total", model="failing", error="TimeoutError")
    fallbacks = sample("vela_model_fallbacks_total")
    try:
        with TestClient(create_app(bot, api_settings)) as client:
            cid = client.post("/v1/conversations").json()["id"]
            r = client.post(f"/v1/conversations/{cid}/messages", json={"text": "hello"})
        assert "Answered by the fallback." in r.json()["text"]
    finally:
        bot.close()
    fallback.assert_consumed()
    assert sample("vela_model_errors_total", model="failing", error="TimeoutError") == errors + 1
    assert sample("vela_model_fallbacks_total") == fallbacks + 1
