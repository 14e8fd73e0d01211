"""Prometheus metric families of the assistant, registered once per process.

With several workers, either scrape each one, or set ``PROMETHEUS_MULTIPROC_DIR`` (an empty
directory shared by the workers of one host) and any worker's ``/metrics`` reports them all.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)

from assistant.replies import PendingConsent, Reply

#: Turn latencies: the offline engine answers in tens of ms, hosted models in seconds.
LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
HANDOFF_TOOL = "hand_off_to_human"


@dataclass(frozen=True)
class Metrics:
    """The metric families; labels are low-cardinality (no ids, no text)."""

    turns: Counter
    turn_seconds: Histogram
    tool_calls: Counter
    consent_prompts: Counter
    consent_grants: Counter
    handoffs: Counter
    model_calls: Counter
    model_seconds: Histogram
    model_errors: Counter
    model_fallbacks: Counter


@lru_cache(maxsize=1)
def metrics(registry: CollectorRegistry = REGISTRY) -> Metrics:
    """The process's metric families (created on first use)."""
    return Metrics(
        turns=Counter(
            "vela_turns",
            "Turns served, by kind (message, confirm, decline) and outcome "
            "(answered, consent, confirmation, error).",
            ["kind", "outcome"],
            registry=registry,
        ),
        turn_seconds=Histogram(
            "vela_turn_seconds",
            "Wall time of a turn, by kind.",
            ["kind"],
            buckets=LATENCY_BUCKETS,
            registry=registry,
        ),
        tool_calls=Counter(
            "vela_tool_calls",
            "Tool calls by tool and outcome (ok, error, refused, cancelled, pending).",
            ["tool", "outcome"],
            registry=registry,
        ),
        consent_prompts=Counter(
            "vela_consent_prompts",
            "Consent requests shown, by purpose.",
            ["purpose"],
            registry=registry,
        ),
        consent_grants=Counter(
            "vela_consent_grants",
            "Consent grants and withdrawals through the API, by purpose and action.",
            ["purpose", "action"],
            registry=registry,
        ),
        handoffs=Counter(
            "vela_handoffs",
            "Hand-offs to a human agent (tickets opened by the assistant).",
            registry=registry,
        ),
        model_calls=Counter(
            "vela_model_calls", "Chat model calls, by model.", ["model"], registry=registry
        ),
        model_seconds=Histogram(
            "vela_model_seconds",
            "Wall time of one chat model call.",
            ["model"],
            buckets=LATENCY_BUCKETS,
            registry=registry,
        ),
        model_errors=Counter(
            "vela_model_errors",
            "Chat model calls that failed (before retry or fallback).",
            ["model", "error"],
            registry=registry,
        ),
        model_fallbacks=Counter(
            "vela_model_fallbacks",
            "Turns in which another model answered after the primary failed.",
            registry=registry,
        ),
    )


def outcome_of(reply: Reply) -> str:
    """The turn's outcome label."""
    if reply.error:
        return "error"
    if reply.pending is not None:
        return reply.pending.kind
    return "answered"


def record_reply(kind: str, reply: Reply, seconds: float, settled_before: int = 0) -> None:
    """Count one turn: its outcome, latency, tool calls, consent prompt and hand-off.

    A reply to confirm/decline lists every call of the customer's turn, including those
    settled before the pause and already counted then: ``settled_before`` of them are
    skipped. A call still waiting ('pending') is counted once it ends.
    """
    m = metrics()
    m.turns.labels(kind=kind, outcome=outcome_of(reply)).inc()
    m.turn_seconds.labels(kind=kind).observe(seconds)
    for call in reply.tool_calls[settled_before:]:
        if call.outcome == "pending":
            continue
        m.tool_calls.labels(tool=call.name, outcome=call.outcome).inc()
        if call.name == HANDOFF_TOOL and call.outcome == "ok":
            m.handoffs.inc()
    if isinstance(reply.pending, PendingConsent):
        m.consent_prompts.labels(purpose=reply.pending.purpose).inc()


def exposition() -> tuple[bytes, str]:
    """The Prometheus text of this process (or of every worker, in multiprocess mode)."""
    metrics()  # the families exist even before the first turn
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
