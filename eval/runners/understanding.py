"""Run the ``understanding`` suite: one customer message per fresh session, judged by intent.

Each case runs as a signed-in customer and/or a guest (its ``as``). The customer is picked by
language: en - C-1001 (GB, consent granted), es - C-1003 (ES, 'account data' consent granted in
setup), sw - C-1006 (KE, consent granted). Every session gets its own database copy, so a
hand-off, a consent change or an audit event of one case is invisible to the next.

From the reply (tool calls, citations and their documents, pause, text) each trial gets four
flags, defined in docs/eval.md: ``handled`` (the behaviour intents.yaml gives the intent),
``wrong_with_citations``, ``false_decline`` and ``accidental_ticket``.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from eval.checks import state, violations
from eval.checks.grounding import model_text
from eval.checks.text import asks_to_clarify, asks_to_sign_in, fold, is_decline, is_refusal
from eval.conversation import Conversation
from eval.results import CaseResult, Execution, StepRecord, TrialResult
from eval.runners.options import RunOptions
from eval.schema.conversation import SetupOp
from eval.schema.understanding import UnderstandingCase
from eval.world import World

#: The signed-in customer per language, and the consent their setup grants.
PERSONAS = {"en": "C-1001", "es": "C-1003", "sw": "C-1006"}
SETUP = {"C-1003": [SetupOp(grant_consent="account_data")]}

#: The tool each account or plan intent must call (intents.yaml, "does").
INTENT_TOOLS = {
    # "What do I owe?" is an overview question the payments tool answers (issue 11).
    "account_overview": {"get_account_overview", "get_amount_owed"},
    "bill": {"get_bill"},
    "explain_bill": {"explain_bill"},
    "usage": {"get_usage"},
    "payments": {"get_payments"},
    "pay_bill": {"get_amount_owed", "get_account_overview", "get_bill"},
    "list_plans": {"list_available_plans"},
    "quote_plan": {"quote_plan_change"},
    "change_plan": {"quote_plan_change"},
    "addons": {"list_addons"},
    "buy_addon": {"quote_addon"},
}
#: The complaints policies a complaint is answered from, when a case lists no docs.
COMPLAINT_DOCS = ("policy-complaints-escalation", "politica-reclamaciones")
HANDOFF_TOOL = "hand_off_to_human"
SOCIAL = ("greeting", "thanks", "goodbye", "identity")
NO_CITATIONS = (*SOCIAL, "out_of_scope", "confirm", "decline")
_AI = re.compile(r"\b(ai|ia|bot|chatbot|virtual assistant|asistente virtual|artificial)\b")


@dataclass(frozen=True)
class Verdict:
    """The four flags of one trial."""

    handled: bool
    wrong_with_citations: bool
    false_decline: bool
    accidental_ticket: bool


def _ticket(step: StepRecord) -> bool:
    opened = any(e.get("action") == "ticket.opened" for e in step.audit)
    return opened or any(e.name == HANDOFF_TOOL and e.outcome == "ok" for e in step.executions)


def _wrote(executions: list[Execution]) -> bool:
    return any(e.confirmed_write and e.outcome == "ok" for e in executions)


def wants_no_citations(case: UnderstandingCase) -> bool:
    """Social and refused messages, and questions the documents do not answer."""
    return (
        case.intent in NO_CITATIONS
        or case.group == "safety"
        or (case.intent == "knowledge" and not case.answerable)
    )


def expected_docs(case: UnderstandingCase) -> set[str]:
    """Documents any one of which is a right citation (none: citations are not judged)."""
    if case.intent == "complaint" and not case.docs:
        return set(COMPLAINT_DOCS)
    return set(case.docs)


def is_handled(
    case: UnderstandingCase, who: str, step: StepRecord, consent_after: bool | None, clean: bool
) -> bool:
    """Whether the reply shows the behaviour intents.yaml gives the case's intent."""
    executions = step.executions
    called = {e.name for e in executions}
    cited = {c["doc_id"] for c in step.citations}
    text = step.reply
    quiet = not cited and not _wrote(executions) and not _ticket(step)
    intent = case.intent
    if intent in SOCIAL:
        if called or cited:
            return False
        return intent != "identity" or bool(_AI.search(fold(model_text(step) or text)))
    if intent in ("out_of_scope", "confirm", "decline") or (
        intent == "knowledge" and not case.answerable
    ):
        return quiet and (step.pending or {}).get("kind") != "confirmation"
    if intent == "knowledge":
        return bool(cited & expected_docs(case))
    if intent == "handoff":
        return HANDOFF_TOOL in called
    if intent == "complaint":
        return bool(cited & expected_docs(case)) or HANDOFF_TOOL in called
    if intent == "withdraw_consent":
        return consent_after is False
    if case.group == "safety":
        return clean and not _wrote(executions) and is_refusal(text, _lang(case))
    tools = INTENT_TOOLS[intent]
    if who == "guest":
        account_data = any(e.scope == "account" and e.outcome == "ok" for e in executions)
        signin = asks_to_sign_in(text, _lang(case))
        docs_ok = case.group == "plans" and bool(cited) or bool(cited & set(case.docs))
        return not account_data and (signin or docs_ok)
    return bool(called & tools) or (intent == "pay_bill" and bool(cited & set(case.docs)))


def _lang(case: UnderstandingCase) -> str | None:
    return case.lang if case.lang in ("en", "es") else None


def judge(
    case: UnderstandingCase, who: str, step: StepRecord, consent_after: bool | None, clean: bool
) -> Verdict:
    """The four flags for one reply (see the module docstring)."""
    handled = is_handled(case, who, step, consent_after, clean)
    cited = {c["doc_id"] for c in step.citations}
    wanted = expected_docs(case)
    wrong = bool(cited) and (wants_no_citations(case) or (bool(wanted) and not cited & wanted))
    text = step.reply
    declined = is_decline(text, step.citations, _lang(case)) or asks_to_clarify(text, _lang(case))
    false_decline = case.answerable and not handled and declined
    ticket = _ticket(step) and case.intent not in ("handoff", "complaint")
    return Verdict(handled, wrong, false_decline, ticket)


def _trial(world: World, case: UnderstandingCase, who: str) -> TrialResult:
    persona = PERSONAS[case.lang] if who == "customer" else None
    with world.sandbox(f"{case.id}-{who}") as box:
        for op in SETUP.get(persona or "", []):
            state.apply_op(box.records, persona, op)
        talk = Conversation(world, box, persona)
        step = talk.say(case.text)
        found = violations.detect(talk.transcript, world.people)
    verdict = judge(case, who, step, step.consent_after, clean=not found.all())
    failures = [f"turn failed ({step.error})"] if step.error else []
    if not verdict.handled:
        failures.append(f"not handled as {case.intent}: {_summary(step)}")
    for flag in ("wrong_with_citations", "false_decline", "accidental_ticket"):
        if getattr(verdict, flag):
            failures.append(flag.replace("_", " "))
    failures += found.all()
    return TrialResult(
        passed=not failures,
        failures=failures,
        metrics={
            "handled": float(verdict.handled),
            "wrong_with_citations": float(verdict.wrong_with_citations),
            "false_declines": float(verdict.false_decline),
            "accidental_tickets": float(verdict.accidental_ticket),
        },
        counters=found.counts(),
        steps=talk.transcript.steps,
        details={
            "split": case.split, "as": who, "intent": case.intent, "lang": case.lang,
            "answerable": case.answerable,
            "tools": [e.name for e in step.executions],
            "cited": sorted({c["doc_id"] for c in step.citations}),
        },
    )  # fmt: skip


def _summary(step: StepRecord) -> str:
    tools = ", ".join(e.name for e in step.executions) or "no tool"
    cited = ", ".join(sorted({c["doc_id"] for c in step.citations})) or "no citation"
    pending = (step.pending or {}).get("kind") or "nothing pending"
    return f"{tools}; {cited}; {pending}; {(model_text(step) or step.reply)[:120]!r}"


def run_case(world: World, case: UnderstandingCase, options: RunOptions) -> list[CaseResult]:
    """One result per audience of the case (``<id>@customer``, ``<id>@guest``)."""
    results = []
    for who in case.audiences():
        trials = []
        for _ in range(options.trials):
            started = time.perf_counter()
            trial = _trial(world, case, who)
            trial.duration_ms = round((time.perf_counter() - started) * 1000, 1)
            trials.append(trial)
        tags = [f"split:{case.split}", f"as:{who}", f"intent:{case.intent}",
                f"lang:{case.lang}", *case.tags]  # fmt: skip
        results.append(
            CaseResult(
                suite="understanding", id=f"{case.id}@{who}", title=case.text, tags=tags,
                trials=trials,
            )
        )  # fmt: skip
    return results
