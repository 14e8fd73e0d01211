"""The results of a run, as serialised in ``report.json`` (schema version ``SCHEMA_VERSION``).

A ``Report`` holds one ``SuiteResult`` per suite (aggregate metrics) and one ``CaseResult`` per
case, each with its trials; a conversational trial keeps its full transcript (``StepRecord``)
so the HTML drill-down can show what happened and why the case failed.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from eval.schema.conversation import Action

#: Bump on any incompatible change to the report's shape; ``compare`` refuses mismatches.
SCHEMA_VERSION = 1

#: A step is a message, a button (``eval.schema.conversation.Action``) or closing the session.
StepKind = Literal["say", "close"] | Action


class Execution(BaseModel):
    """A tool call whose result arrived during a step (its outcome is final)."""

    name: str
    args: dict[str, Any] = Field(default_factory=dict)
    outcome: str
    result: Any = None
    effect: str = "read"
    scope: str = "general"
    approval: str = Field(
        default="",
        description="The registry's approval: 'confirm' or 'none' (a hand-off ticket); "
        "'' in records written before it existed.",
    )

    @property
    def confirmed_write(self) -> bool:
        """A write the customer must confirm (a ticket, approval 'none', is not one)."""
        return self.effect == "write" and self.approval != "none"

    foreign: bool = Field(
        default=False, description="An account read that returned someone else's data."
    )


class StepRecord(BaseModel):
    """One user message or button press, and everything the system did in response."""

    kind: StepKind
    user: str | None = None
    reply: str = ""
    citations: list[dict[str, Any]] = Field(default_factory=list)
    pending: dict[str, Any] | None = None
    pending_resolved: dict[str, Any] | None = Field(
        default=None, description="The consent request or confirmation this step answered."
    )
    executions: list[Execution] = Field(default_factory=list)
    audit: list[dict[str, Any]] = Field(default_factory=list)
    consent_before: bool | None = None
    consent_after: bool | None = None
    latency_ms: float = 0.0
    model_calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    reported_prompt_tokens: int = 0
    reported_completion_tokens: int = 0
    error: str | None = None
    problem: str | None = Field(default=None, description="Why the scripted action was impossible.")
    numbers: list[str] = Field(default_factory=list, description="Numbers found in the reply.")
    ungrounded: list[str] = Field(default_factory=list, description="Numbers with no source.")
    replaced: list[str] = Field(
        default_factory=list, description="Why the reply verifier replaced the model's reply."
    )


class TrialResult(BaseModel):
    """One run of one case."""

    passed: bool
    failures: list[str] = Field(default_factory=list, description="Why it failed, one per check.")
    metrics: dict[str, float | None] = Field(default_factory=dict)
    counters: dict[str, int] = Field(default_factory=dict)
    attack_succeeded: bool | None = None
    steps: list[StepRecord] = Field(default_factory=list)
    details: dict[str, Any] = Field(default_factory=dict)
    duration_ms: float = 0.0


class CaseResult(BaseModel):
    """A case and its trials."""

    suite: str
    id: str
    title: str = ""
    tags: list[str] = Field(default_factory=list)
    kind: str | None = Field(default=None, description="Attack kind (safety).")
    trials: list[TrialResult]

    @property
    def successes(self) -> int:
        """Number of passed trials."""
        return sum(t.passed for t in self.trials)


class SuiteResult(BaseModel):
    """Aggregate metrics of one suite."""

    name: str
    cases: int
    trials: int
    passed_cases: int = Field(description="Cases whose every trial passed.")
    metrics: dict[str, float | None] = Field(default_factory=dict)
    by_kind: dict[str, dict[str, float]] = Field(default_factory=dict)
    breakdown: dict[str, dict[str, dict[str, float | None]]] = Field(
        default_factory=dict,
        description="Tables by name (e.g. 'by intent'): row -> column -> value (eval/splits.py).",
    )


#: A gate's verdict; 'skipped' when its suite was not run.
GateStatus = Literal["pass", "fail", "skipped"]


class GateResult(BaseModel):
    """One threshold of ``eval/gates.yaml`` checked against the run."""

    metric: str
    op: Literal["min", "max"]
    threshold: float
    value: float | None
    status: GateStatus
    why: str = ""


class RunInfo(BaseModel):
    """How the run was made."""

    model: str
    provider: str
    trials: int
    suites: list[str]
    started_at: str
    duration_s: float
    commit: str | None = None
    python: str = ""
    platform: str = ""
    user_simulator: bool = False
    judge: bool = False
    prices: dict[str, Any] | None = None


class Report(BaseModel):
    """Everything ``report.json`` holds."""

    schema_version: int = SCHEMA_VERSION
    run: RunInfo
    suites: dict[str, SuiteResult]
    counters: dict[str, int] = Field(default_factory=dict)
    gates: list[GateResult] = Field(default_factory=list)
    gates_version: int | None = None
    cases: list[CaseResult] = Field(default_factory=list)

    @property
    def gates_passed(self) -> bool:
        """True when no gate failed."""
        return all(g.status != "fail" for g in self.gates)
