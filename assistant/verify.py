"""The reply verifier: between the model and the customer, whatever the model.

A reply may only state what the turn's tool results back:

* every reference ("PC-…", "TK-…", any ``XX-`` token with a digit) appears in a tool result
  of this conversation or in what the customer wrote (earlier results count because "what was
  my ticket number?" is answered from them; a *new* action still needs this turn, below);
* every number (amounts and dates included) comes from a tool result of this turn, a passage
  the reply cites, or the customer's message: the eval's numeric-grounding check, shared
  through ``assistant.grounding``;
* every claimed action ("changed", "paid", "blocked", "ticket opened", "consent withdrawn",
  "cancelled", also in Spanish, and a "Done!") is backed by a tool of this turn that did it:
  one that ended 'ok' and whose registry spec ``backs`` the claim;
* it never asks the customer for a card number, PIN, CVV, IBAN or password, and never sends
  them to a site or an SMS shortcode that is not the operator's (``assistant.planted``: the
  operator's own are read from the corpus; ones the customer wrote are theirs to mention).

A reply that fails is replaced by a truthful one built from the turn's tool results
(``truthful_reply``); the SDK logs ``verifier_replaced`` with the reasons (no reply text).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from assistant.claims import asks_for_secret, claims_done, claims_in
from assistant.grounding import REFERENCE, ungrounded_numbers
from assistant.messages import say, say_action
from assistant.planted import foreign_hosts, foreign_shortcodes
from assistant.replies import Citation, ToolCallRecord
from assistant.tools.registry import TOOLS, Claim, ToolSpec

SEARCH_TOOL = "search_knowledge"


@dataclass(frozen=True)
class TurnFacts:
    """What the reply may rely on: this turn's tool calls and what came before."""

    calls: Sequence[ToolCallRecord]
    user_text: str = ""
    earlier_calls: Sequence[ToolCallRecord] = ()
    consent_granted: bool = False
    specs: Mapping[str, ToolSpec] = field(default_factory=lambda: TOOLS)


@dataclass(frozen=True)
class Verdict:
    """The verifier's finding: ``reasons`` is empty when the reply may go out."""

    reasons: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """The reply is backed by the turn."""
        return not self.reasons


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def _passages(calls: Sequence[ToolCallRecord]) -> dict[int, str]:
    found: dict[int, str] = {}
    for call in calls:
        if call.name == SEARCH_TOOL and isinstance(call.result, dict):
            for p in call.result.get("passages") or []:
                found[int(p.get("cite", 0))] = str(p.get("text", ""))
    return found


def _number_sources(facts: TurnFacts, citations: Sequence[Citation]) -> list[str]:
    passages = _passages(facts.calls)
    sources = [facts.user_text]
    sources += [_dump(c.result) for c in facts.calls if c.name != SEARCH_TOOL]
    for citation in citations:
        number = citation.passage if citation.passage is not None else citation.number
        sources.append(passages.get(number, ""))
    return sources


def _backed_claims(facts: TurnFacts) -> set[Claim]:
    backed: set[Claim] = set()
    for call in facts.calls:
        spec = facts.specs.get(call.name)
        if call.outcome == "ok" and spec is not None:
            backed |= spec.backs
        if call.outcome == "cancelled":
            backed.add("cancelled")
    if facts.consent_granted:
        backed.add("consent_granted")
    return backed


def _acted(facts: TurnFacts) -> bool:
    """A write or revoke of this turn ended 'ok' (what a "Done!" may refer to)."""
    for call in facts.calls:
        spec = facts.specs.get(call.name)
        if call.outcome == "ok" and spec is not None and spec.effect in ("write", "revoke"):
            return True
    return facts.consent_granted


def verify_reply(text: str, facts: TurnFacts, citations: Sequence[Citation] = ()) -> Verdict:
    """Check the model's reply text against the turn; see the module docstring."""
    reasons: list[str] = []
    known = " ".join(
        [facts.user_text, *(_dump(c.result) for c in [*facts.earlier_calls, *facts.calls])]
    )
    invented = sorted({r for r in REFERENCE.findall(text) if r not in known})
    if invented:
        reasons.append(f"reference not issued by a tool: {len(invented)}")
    missing = ungrounded_numbers(text, _number_sources(facts, citations))
    if missing:
        reasons.append(f"number not in a tool result or cited passage: {len(missing)}")
    unbacked = sorted(claims_in(text) - _backed_claims(facts))
    if unbacked:
        reasons.append(f"action claimed without a tool that did it: {', '.join(unbacked)}")
    if claims_done(text) and not _acted(facts):
        reasons.append("'done' claimed but nothing was done")
    if asks_for_secret(text):
        reasons.append("asks the customer for a card number, PIN, CVV, IBAN or password")
    said = facts.user_text.lower()
    if [h for h in foreign_hosts(text) if h not in said]:
        reasons.append("link or domain outside the operator's sites")
    if [c for c in foreign_shortcodes(text) if c not in said]:
        reasons.append("SMS shortcode that is not the operator's")
    return Verdict(tuple(reasons))


def truthful_reply(facts: TurnFacts, language: str) -> str:
    """A reply that says exactly what this turn's tools did, in ``language``.

    Built only from tool outcomes and the references they issued, so it passes the verifier
    itself: what was done (with its reference), what failed or was cancelled, and, when no
    change went through, that nothing was changed.
    """
    lines: list[str] = []
    changed = False
    for call in facts.calls:
        spec = facts.specs.get(call.name)
        if spec is None or spec.effect not in ("write", "revoke"):
            continue
        result = call.result if isinstance(call.result, dict) else {}
        if call.outcome == "ok":
            changed = True
            reference = str(result.get("reference") or "")
            suffix = say("verified_reference", language, reference=reference) if reference else ""
            action = say_action(call.name, "done", language)
            lines.append(say("verified_done", language, action=action, reference=suffix))
        elif call.outcome == "cancelled":
            action = say_action(call.name, "todo", language)
            lines.append(say("verified_cancelled", language, action=action))
        elif call.outcome in ("error", "refused"):
            action = say_action(call.name, "todo", language)
            lines.append(say("verified_failed", language, action=action))
    if not lines:
        lines.append(say("verified_unsure", language))
    if not changed:
        lines.append(say("verified_unchanged", language))
    lines.append(say("verified_close", language))
    return " ".join(lines)
