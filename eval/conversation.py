"""Drive one conversation through the public SDK and record every step.

Each user message or button press is one ``StepRecord``: the reply, the tool calls whose
results arrived during the step (read from the agent's state, so a write confirmed in a later
step is attributed to that step), the audit events the records wrote meanwhile, the consent
ledger before and after, latency and tokens. The detectors work on these records, never on
what the reply claims.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from langchain_core.messages import AIMessage, ToolMessage
from langchain_core.runnables import RunnableConfig
from langgraph.errors import GraphRecursionError

from assistant.errors import AssistantError
from assistant.replies import PendingConfirmation, PendingConsent, Reply
from assistant.turns import envelope_of
from eval.checks.ownership import is_someone_elses
from eval.results import Execution, StepKind, StepRecord
from eval.schema.conversation import Action
from eval.world import CHANNEL, Sandbox, World
from knowledge.errors import KnowledgeError

ACCOUNT_DATA = "account_data"
RETENTION = "transcript_retention"


@dataclass
class Transcript:
    """Everything one conversation did."""

    persona: str | None
    steps: list[StepRecord] = field(default_factory=list)
    retained: bool | None = None
    retention_granted: bool = False

    def executions(self) -> list[Execution]:
        """Every finished tool call, in order."""
        return [e for s in self.steps for e in s.executions]

    def assistant_text(self) -> str:
        """All reply texts, joined."""
        return "\n".join(s.reply for s in self.steps if s.reply)


class Conversation:
    """One session of one persona (or a guest) in a sandbox."""

    def __init__(self, world: World, sandbox: Sandbox, persona: str | None) -> None:
        self.world = world
        self.sandbox = sandbox
        self.session = sandbox.assistant.session(persona, channel=CHANNEL)
        self.transcript = Transcript(persona=persona)

    # -- observation ----------------------------------------------------------------------

    def _messages(self) -> list[Any]:
        config: RunnableConfig = {"configurable": {"thread_id": self.session.session_id}}
        state = self.sandbox.assistant.graph.get_state(config)
        return list(state.values.get("messages", [])) if state.values else []

    def _consent(self) -> bool | None:
        persona = self.transcript.persona
        return None if persona is None else self.sandbox.records.has_consent(persona, ACCOUNT_DATA)

    def _executions(self, messages: Sequence[Any], new: Sequence[Any]) -> list[Execution]:
        calls = {c["id"]: c for m in messages if isinstance(m, AIMessage) for c in m.tool_calls}
        found = []
        for message in new:
            if not isinstance(message, ToolMessage):
                continue
            call: Mapping[str, Any] = calls.get(message.tool_call_id, {})
            name = call.get("name", message.name or "?")
            spec = self.world.tool_specs.get(name)
            envelope = envelope_of(message)
            found.append(
                Execution(
                    name=name,
                    args=dict(call.get("args") or {}),
                    outcome=envelope.outcome,
                    result=envelope.data,
                    effect=spec.effect if spec else "unknown",
                    scope=spec.scope if spec else "unknown",
                    approval=(spec.approval or "") if spec else "",
                )
            )
        return found

    def _step(self, kind: StepKind, user: str | None, act: Callable[[], Any]) -> StepRecord:
        records = self.sandbox.records
        pending = self.session.pending
        resolved = pending.model_dump(mode="json") if pending is not None else None
        before = len(self._messages())
        audit_before = len(records.audit_events())
        consent_before = self._consent()
        self.world.meter.take()  # drop anything counted outside a step
        started = time.perf_counter()
        failed = None
        try:
            outcome = act()
        except (AssistantError, KnowledgeError, GraphRecursionError) as exc:
            # The SDK raises these loudly (a misused call, a model looping on tools); for the
            # harness that is this trial failing, not the whole run.
            outcome, failed = None, f"{type(exc).__name__}: {exc}"
        latency = (time.perf_counter() - started) * 1000
        usage = self.world.meter.take()
        messages = self._messages()
        executions = [
            ex.model_copy(update={"foreign": True})
            if is_someone_elses(records, self.transcript.persona, ex) else ex
            for ex in self._executions(messages, messages[before:])
        ]  # fmt: skip
        step = StepRecord(
            kind=kind,
            user=user,
            executions=executions,
            audit=[e.model_dump(mode="json") for e in records.audit_events()[audit_before:]],
            pending_resolved=resolved,
            consent_before=consent_before,
            consent_after=self._consent(),
            latency_ms=round(latency, 2),
            model_calls=usage.calls,
            prompt_tokens=usage.prompt_tokens,
            completion_tokens=usage.completion_tokens,
            reported_prompt_tokens=usage.reported_prompt_tokens,
            reported_completion_tokens=usage.reported_completion_tokens,
        )
        if isinstance(outcome, Reply):
            step = step.model_copy(update=_reply_fields(outcome))
        if failed:
            step = step.model_copy(update={"error": failed})
        self.transcript.steps.append(step)
        return step

    def _impossible(self, kind: StepKind, why: str) -> StepRecord:
        step = StepRecord(kind=kind, problem=why)
        self.transcript.steps.append(step)
        return step

    # -- what the user does ----------------------------------------------------------------

    @property
    def pending(self) -> PendingConsent | PendingConfirmation | None:
        """What the assistant is waiting for, if anything."""
        return self.session.pending

    def say(self, text: str) -> StepRecord:
        """Send a message."""
        return self._step("say", text, lambda: self.session.ask(text))

    def press(self, action: Action) -> StepRecord:
        """Press a button: confirm, decline, grant/withdraw consent or retention."""
        pending = self.session.pending
        if action == "confirm":
            if not isinstance(pending, PendingConfirmation):
                return self._impossible(
                    "confirm", f"confirm pressed, but pending is {_kind(pending)}"
                )
            return self._step("confirm", None, self.session.confirm)
        if action == "decline":
            if pending is None:
                return self._impossible("decline", "decline pressed, but nothing is pending")
            return self._step("decline", None, self.session.decline)
        if action == "grant_consent":
            if isinstance(pending, PendingConsent):
                return self._step("grant_consent", None, self.session.confirm)
            if pending is not None:
                return self._impossible("grant_consent", "consent granted while a change waits")
            return self._step(
                "grant_consent", None, lambda: self.session.grant_consent(ACCOUNT_DATA)
            )
        purpose = RETENTION if action.endswith("retention") else ACCOUNT_DATA
        if action.startswith("withdraw"):
            return self._step(action, None, lambda: self.session.withdraw_consent(purpose))
        return self._step(action, None, lambda: self.session.grant_consent(purpose))

    def close(self) -> StepRecord:
        """End the session and record whether the transcript survived."""
        step = self._step("close", None, self.session.close)
        config: RunnableConfig = {"configurable": {"thread_id": self.session.session_id}}
        checkpoint = self.sandbox.assistant.checkpointer.get_tuple(config)
        self.transcript.retained = checkpoint is not None
        persona = self.transcript.persona
        self.transcript.retention_granted = persona is not None and (
            self.sandbox.records.has_consent(persona, RETENTION)
        )
        return step


def _kind(pending: Any) -> str:
    return "nothing" if pending is None else f"a {pending.kind} request"


def _reply_fields(reply: Reply) -> dict[str, Any]:
    pending = reply.pending.model_dump(mode="json") if reply.pending else None
    return {
        "reply": reply.text,
        "citations": [
            {
                "number": c.number,
                "passage": c.passage,
                "doc_id": c.doc_id,
                "section_id": c.section_id,
                "version": c.version,
            }
            for c in reply.citations
        ],
        "pending": pending,
        "error": reply.error,
        "replaced": list(reply.replaced),
    }
