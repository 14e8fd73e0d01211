"""OpenTelemetry traces: a span per turn (opened by the caller), model call, tool call and
retrieval (the ``search_knowledge`` tool), with attributes redacted like the logs.

The agent graph gets a LangChain callback handler (``instrument``) that opens the model and
tool spans as children of the span current when the turn started; it also counts model
calls, errors and fallbacks. Spans are exported by OTLP only when ``TELCO_OTLP_ENDPOINT`` is
set; otherwise they still carry the trace ids the logs print.
"""

from __future__ import annotations

import threading
import time
from typing import Any
from uuid import UUID

from langchain_core.callbacks import BaseCallbackHandler
from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.trace import Span, Status, StatusCode

from assistant.observability import redact
from assistant.settings import Settings
from assistant.telemetry.metrics import metrics

TRACER_NAME = "vela.assistant"
RETRIEVAL_TOOLS = frozenset({"search_knowledge"})
_configured = threading.Lock()


def tracer() -> trace.Tracer:
    """The product's tracer (a no-op until a tracer provider is installed)."""
    return trace.get_tracer(TRACER_NAME)


def configure_tracing(settings: Settings) -> None:
    """Install a tracer provider, exporting by OTLP/gRPC when ``otlp_endpoint`` is set.

    Does nothing when a provider is already installed (by the operator's own
    instrumentation, or by a test with an in-memory exporter).
    """
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider

    with _configured:
        if isinstance(trace.get_tracer_provider(), TracerProvider):
            return
        provider = TracerProvider(resource=Resource.create({"service.name": "vela-assistant"}))
        if settings.otlp_endpoint:
            from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter
            from opentelemetry.sdk.trace.export import BatchSpanProcessor

            exporter = OTLPSpanExporter(endpoint=settings.otlp_endpoint)
            provider.add_span_processor(BatchSpanProcessor(exporter))
        trace.set_tracer_provider(provider)


def safe(value: Any) -> str:
    """A span attribute value: text with PII replaced, as in the logs, and kept short."""
    return redact(str(value))[:500]


def _model_name(serialized: dict[str, Any] | None, metadata: dict[str, Any] | None) -> str:
    meta = metadata or {}
    name = meta.get("ls_model_name") or meta.get("ls_provider")
    if not name and serialized:
        name = (serialized.get("id") or [None])[-1] or serialized.get("name")
    return str(name or "unknown")


class TurnTracer(BaseCallbackHandler):
    """Opens a span per model and tool call; counts model calls, errors and fallbacks.

    One handler serves every turn of the process, from many threads: runs are keyed by
    LangChain's run ids, and a run's parent span is found through its parent run id.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._parents: dict[UUID, Any] = {}  # run -> the OTel context its children start in
        self._spans: dict[UUID, tuple[Span, float, str]] = {}
        self._roots: dict[UUID, UUID] = {}  # run -> root run of its turn
        self._models: dict[UUID, set[str]] = {}  # root run -> models called
        self._failed: set[UUID] = set()  # root runs whose model failed at least once

    # -- bookkeeping -------------------------------------------------------------------

    def _context_for(self, run_id: UUID, parent_run_id: UUID | None) -> Any:
        with self._lock:
            if parent_run_id is None:
                self._roots[run_id] = run_id
                self._models[run_id] = set()
                parent = otel_context.get_current()
            else:
                self._roots[run_id] = self._roots.get(parent_run_id, parent_run_id)
                parent = self._parents.get(parent_run_id, otel_context.get_current())
            self._parents[run_id] = parent
            return parent

    def _start(self, run_id: UUID, parent_run_id: UUID | None, name: str, **attrs: Any) -> None:
        parent = self._context_for(run_id, parent_run_id)
        span = tracer().start_span(name, context=parent, attributes=attrs)
        with self._lock:
            self._spans[run_id] = (span, time.perf_counter(), name)
            self._parents[run_id] = trace.set_span_in_context(span, parent)

    def _end(self, run_id: UUID, error: BaseException | None = None) -> float:
        with self._lock:
            span, started, _ = self._spans.pop(run_id, (None, time.perf_counter(), ""))
            self._parents.pop(run_id, None)
            self._roots.pop(run_id, None)
        if span is not None:
            if error is not None:
                span.set_status(Status(StatusCode.ERROR, type(error).__name__))
                span.set_attribute("error.type", type(error).__name__)
            span.end()
        return time.perf_counter() - started

    # -- chains: no span, but they carry the parent context -------------------------------

    def on_chain_start(
        self,
        serialized: Any,
        inputs: Any,
        *,
        run_id: UUID,
        parent_run_id: UUID | None = None,
        **kwargs: Any,
    ) -> None:
        """Remember where the chain's children belong."""
        self._context_for(run_id, parent_run_id)

    def on_chain_end(
        self, outputs: Any, *, run_id: UUID, parent_run_id: UUID | None = None, **kwargs: Any
    ) -> None:
        """At the end of a turn, count a fallback when a second model answered."""
        with self._lock:
            self._parents.pop(run_id, None)
            root = self._roots.pop(run_id, None)
            models = self._models.pop(run_id, None) if parent_run_id is None else None
            failed = run_id in self._failed if parent_run_id is None else False
            self._failed.discard(run_id)
        if parent_run_id is None and root is not None and failed and models and len(models) > 1:
            metrics().model_fallbacks.inc()

    on_chain_error = on_chain_end  # type: ignore[assignment]

    # -- model calls ----------------------------------------------------------------------

    def on_chat_model_start(
        self,
        serialized: dict[str, Any],
        messages: Any,
        *,
        run_id: UUID,
        parent_run_id: UUID | None = None,
        metadata: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        """Open the model span."""
        model = _model_name(serialized, metadata)
        self._start(run_id, parent_run_id, "model", **{"gen_ai.request.model": model})
        with self._lock:
            root = self._roots.get(run_id)
            if root in self._models:
                self._models[root].add(model)
        metrics().model_calls.labels(model=model).inc()

    def on_llm_end(self, response: Any, *, run_id: UUID, **kwargs: Any) -> None:
        """Close the model span and time it."""
        name = self._model_of(run_id)
        seconds = self._end(run_id)
        metrics().model_seconds.labels(model=name).observe(seconds)

    def on_llm_error(self, error: BaseException, *, run_id: UUID, **kwargs: Any) -> None:
        """Close the model span as failed; count the error."""
        name = self._model_of(run_id)
        with self._lock:
            root = self._roots.get(run_id)
            if root is not None:
                self._failed.add(root)
        self._end(run_id, error)
        metrics().model_errors.labels(model=name, error=type(error).__name__).inc()

    def _model_of(self, run_id: UUID) -> str:
        with self._lock:
            entry = self._spans.get(run_id)
        if entry is None:
            return "unknown"
        attrs = getattr(entry[0], "attributes", None) or {}
        return str(attrs.get("gen_ai.request.model", "unknown"))

    # -- tool calls ------------------------------------------------------------------------

    def on_tool_start(
        self,
        serialized: dict[str, Any],
        input_str: str,
        *,
        run_id: UUID,
        parent_run_id: UUID | None = None,
        **kwargs: Any,
    ) -> None:
        """Open the tool span (``retrieval`` for the knowledge search)."""
        name = (serialized or {}).get("name") or kwargs.get("name") or "tool"
        span_name = "retrieval" if name in RETRIEVAL_TOOLS else "tool"
        self._start(
            run_id,
            parent_run_id,
            span_name,
            **{"gen_ai.tool.name": name, "vela.tool.input": safe(input_str)},
        )

    def on_tool_end(self, output: Any, *, run_id: UUID, **kwargs: Any) -> None:
        """Close the tool span with its status."""
        with self._lock:
            entry = self._spans.get(run_id)
        status = getattr(output, "status", "success")
        if entry is not None:
            entry[0].set_attribute("vela.tool.status", safe(status))
        self._end(run_id)

    def on_tool_error(self, error: BaseException, *, run_id: UUID, **kwargs: Any) -> None:
        """Close the tool span as failed."""
        self._end(run_id, error)


def instrument(graph: Any) -> Any:
    """The agent graph with the tracing/metrics callback attached to every run."""
    return graph.with_config(callbacks=[TurnTracer()])
