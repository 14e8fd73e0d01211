"""Metrics (Prometheus) and traces (OpenTelemetry) of turns, model calls and tool calls.

``metrics()`` returns the process's metric families; ``record_reply`` counts what a turn did.
``instrument(graph)`` returns the agent graph with a callback that traces and counts model
and tool calls; ``configure_tracing(settings)`` exports spans by OTLP when configured.
"""

from assistant.telemetry.metrics import Metrics, metrics, record_reply
from assistant.telemetry.tracing import configure_tracing, instrument, tracer

__all__ = ["Metrics", "configure_tracing", "instrument", "metrics", "record_reply", "tracer"]
