"""Understand one customer message in context: intent, language, slots, follow-ups.

The router gives an intent; this module then fills the slots against the catalog of the
customer's market, resolves references to earlier plans ("that one", "the cheaper one"),
and continues the conversation's topic on elliptical follow-ups and corrections ("and in
October?", "no, I meant the US").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

import numpy as np

from assistant.engine.catalog import Catalog, Product
from assistant.engine.followups import ACCOUNT_REQUESTS, SURE, FollowUps
from assistant.engine.memory import Memory
from assistant.engine.periods import parse_period
from assistant.engine.referents import resolve
from assistant.engine.router import MIN_CONFIDENCE, IntentRouter
from assistant.engine.slots import Slots, extract_slots
from assistant.engine.text import fold, words
from assistant.i18n.language import detect_language
from assistant.nlu.entities import countries, line_digits

_QUESTION = re.compile(
    r"\?|^(what|how|why|when|where|which|who|is|are|does|do|can|could|will|would|should)\b"
    r"|^(que|como|cuanto|cuanta|cuando|donde|cual|por que|puedo|hay|tiene|incluye)\b"
)
#: A quote needs a change of plan in the question; "how much is X?" is a price question.
_SWITCH = re.compile(r"switch|change|move|moving|upgrad|downgrad|migrat|cambi|pasar|pasarme|"
                     r"subir|bajar|go up|go down|quote|presupuesto")
#: A wish to stop or take back something: what a withdrawal must say.
_STOP = re.compile(r"\b(stop\w*|withdraw\w*|revok\w*|don'?t|do not|no longer|delete|remove|"
                   r"cancel\w*|take back|opt(ing)? out|retir\w*|revoc\w*|deja\w* de|no quiero|"
                   r"borra\w*|quita\w*|acha|sitisha|msi\w+|sitaki)\b")
_INFO_QUESTION = re.compile(r"^\W*(how|what|why|when|where|which|is|are|does|do|como|que|por que|"
                            r"cuando|donde|cual|cuanto|cuanta)\b")
_PRICE = re.compile(r"how much|price|cost|cuanto|precio|cuesta")
_ASKING = re.compile(r"^\W*(can i|could i|may i|am i able|is it possible|puedo|se puede|podria)\b")
#: Account reads whose answer is kept by billing period, not by place.
_BY_PERIOD = frozenset({"bill", "explain_bill", "payments", "account_overview"})
#: A trip ahead or a hypothetical: what roaming would cost, not what was used.
_AHEAD = re.compile(r"\b(if (i|we)|when (i|we)|will (i|we)|going to|next|planning|si (voy|vamos)|"
                    r"cuando (vaya|vayamos)|proxim[oa]|viaje|nikienda|nikisafiri)\b")
#: What a line's own usage answers, when the message names the line.
_LINE_USE = re.compile(r"\b(roam\w*|data|used|using|usage|minutes|texts|sms|consum\w*|datos|"
                       r"itineran\w*|gast\w*)\b")
#: Requests that can follow another in the same turn: reads only (a write pauses the turn).
CHAINABLE = ACCOUNT_REQUESTS | {"knowledge"}


@dataclass
class Understanding:
    """A message with its intent, language, embedding and resolved slots."""

    text: str
    lang: str
    intent: str
    by_rule: bool
    score: float
    vector: np.ndarray
    slots: Slots
    plan: Product | None = None
    """The plan the message is about: named outright or by reference to an earlier one."""
    ambiguous: list[Product] = field(default_factory=list)
    """Several plans in different markets matched and the market is unknown."""
    period: str | None = None
    query: str | None = None
    """The documents query when it differs from the text: a follow-up rewritten in context."""
    line: str | None = None
    """The last digits of the line the message points at ("the line ending 203")."""
    category: str | None = None
    """The bill item category a follow-up about the last bill points at ("the credit")."""
    line_id: str | None = None
    """The line of the quote a follow-up asks about again."""
    follow_up: bool = False
    """The intent was inherited from the conversation's topic."""
    guest_account: bool = False
    """A guest asked about an account: the answer also invites them to sign in."""
    signed_in: bool | None = None
    """Whether the session has a customer signed in (None: not said), set by the policy."""
    extra: list[tuple[str, str]] = field(default_factory=list)
    """Further requests in the same message, as (intent, the words that ask it), in order."""
    uncertain: bool = False
    """Sent to the documents for want of a confident intent: answered from them only when
    the search is clearly sure."""


def is_question(text: str) -> bool:
    """True when ``text`` reads like a question."""
    return bool(_QUESTION.search(fold(text).strip()))


def resolve_reference(reference: str | None, memory: Memory, catalog: Catalog) -> Product | None:
    """The earlier plan a reference points at, or None."""
    if reference is None:
        return None
    pool = [p for p in (catalog.get(i) for i in (memory.group or memory.mentioned[-2:])) if p]
    if reference in ("cheaper", "dearer") and pool:
        ordered = sorted(pool, key=lambda p: (p.price, p.id))
        return ordered[0] if reference == "cheaper" else ordered[-1]
    if reference in ("first", "second") and memory.group:
        index = 0 if reference == "first" else 1
        return catalog.get(memory.group[index]) if len(memory.group) > index else None
    return catalog.get(memory.mentioned[-1]) if memory.mentioned else None


class Understander:
    """Builds an ``Understanding`` of a message from the router, catalog and memory."""

    def __init__(self, router: IntentRouter, catalog: Catalog) -> None:
        self.router = router
        self.catalog = catalog
        self.followups = FollowUps(catalog)
        # Every call re-reads the whole history, so earlier messages recur: cache their slots.
        self._slots = lru_cache(maxsize=4096)(self._extract)

    def _extract(self, text: str, market: str | None, business: bool) -> Slots:
        return extract_slots(text, self.catalog.plans_in(market), self.catalog.addons_in(market),
                             business=business)

    def slots(self, text: str, market: str | None, business: bool = False) -> Slots:
        """Slots of ``text`` with plans and add-ons restricted to ``market`` (when known).

        The result is shared between calls (cached): treat it as read-only.
        """
        return self._slots(text, market, business)

    def plans_in_text(self, market: str | None) -> Callable[[str], list[str]]:
        """A function naming the plans a text mentions, for ``memory.recall``."""
        def find(text: str) -> list[str]:
            return [p.id for p in self.slots(text, market).plans]
        return find

    def understand(
        self,
        text: str,
        memory: Memory,
        *,
        today: date,
        market: str | None,
        business: bool = False,
        default_lang: str = "en",
    ) -> Understanding:
        """Understand ``text`` in the context ``memory`` holds."""
        lang = detect_language(text, default=default_lang)
        slots = self.slots(text, market, business)
        plan = slots.plans[0] if slots.plans else None
        pointed_elsewhere = (slots.reference == "that" and memory.focus is not None
                             and (memory.focus.kind in ("bill", "usage", "payments")
                                  or memory.focus.noun is not None))
        if plan is None and slots.reference and memory.mentioned and not pointed_elsewhere:
            plan = resolve_reference(slots.reference, memory, self.catalog)
        ambiguous: list[Product] = []
        if market is None and len({p.country for p in slots.plans}) > 1:
            # Unknown market: Spanish plans for Spanish messages, the others for English ones.
            preferred = [p for p in slots.plans if (p.country == "ES") == (lang == "es")]
            if len({p.country for p in preferred}) == 1:
                plan = preferred[0]
            else:
                ambiguous, plan = slots.plans, None
        period = parse_period(text, today)
        route = self.router.route(text)
        intent, score = route.intent, route.score
        line = line_digits(text)
        named = countries(text)
        has_slot = bool(period or line or slots.plans or named)
        inherited = None if route.by_rule else self.followups.continue_topic(
            text, memory, route.intent, score, has_slot=has_slot or bool(slots.reference))
        query = route.segment or None
        uncertain = False
        category = line_id = None
        sure_elsewhere = (route.intent in ACCOUNT_REQUESTS - {"bill", "explain_bill", "usage"}
                          and score >= SURE)
        about_answer = (None if route.by_rule or sure_elsewhere
                        else resolve(text, memory.focus, has_slot=has_slot))
        if about_answer is not None:
            # "which month is that for?", "what was the credit for?": the last answer's
            # content, looked up again with the slots it had.
            inherited = (about_answer.intent, None)
            intent, period = about_answer.intent, about_answer.period
            category, line_id = about_answer.category, about_answer.line_id
            if about_answer.plan:
                plan = self.catalog.get(about_answer.plan) or plan
        elif inherited is not None:
            intent, query = inherited
            if intent == "knowledge" and line and not (period or slots.plans or named):
                # "and the other line, the 201?" after a question about one line's usage:
                # a line is a slot of the account read, not of the documents question.
                earlier = [t for t, _, _ in memory.topics if t in ACCOUNT_REQUESTS]
                if earlier:
                    intent, query = earlier[-1], None
        elif not route.by_rule and score < MIN_CONFIDENCE:
            intent = "knowledge" if is_question(text) or len(words(text)) >= 4 else "clarify"
            uncertain = intent == "knowledge"
        if (intent in ("confirm", "decline") and not route.by_rule
                and (is_question(text) or len(words(text)) > 8
                     or (len(words(text)) > 5 and score < SURE))):
            # "how do I cancel my contract?" is no "cancel that"
            intent, uncertain = "knowledge", True
        folded = fold(text).strip()
        if (intent in ("buy_addon", "change_plan", "pay_bill") and not route.by_rule
                and _INFO_QUESTION.search(folded)):
            intent = "knowledge"  # "how do I get a free data bundle?" asks, it does not order
        if intent in ("addons", "list_plans") and not route.by_rule and _PRICE.search(folded):
            intent = "knowledge"  # "how much is the World Roaming Day Pass?" is in the documents
        if (intent in ("sensitive", "discount", "withdraw_consent", "injection", "other_customer",
                       "bulk_change") and not route.by_rule and is_question(text)):
            intent = "knowledge"  # refusals need a rule; a question near them is just a question
        if (intent == "withdraw_consent" and not route.by_rule
                and (score < SURE or not _STOP.search(folded))):
            # Withdrawing acts at once: a guess ("please keep a copy of this chat") is not
            # enough. Without a clear wish to stop, it is a question about privacy.
            intent = "knowledge"
        if intent in ("payments", "bill", "explain_bill") and not route.by_rule and slots.plans:
            intent = "knowledge"  # "what do I get on Pay As You Go 10?" is about the plan
        if intent == "change_plan" and _ASKING.search(folded):
            intent = "quote_plan"  # "can I switch to Plus 20GB?" wants the terms, not the change
        if intent == "quote_plan" and not _SWITCH.search(fold(text)) and inherited is None:
            intent = "knowledge"
        if intent == "out_of_scope" and not route.by_rule and plan is not None:
            intent = "knowledge"  # "is the cheaper one any good?" is about our plans
        if (line and not route.by_rule and intent in ("knowledge", "out_of_scope", "clarify")
                and _LINE_USE.search(folded)):
            # "the one ending 203 has been roaming, where?": what a line used is its usage.
            intent, query = "usage", None
        if (named and not route.by_rule and not period and not line
                and (intent in _BY_PERIOD or (intent == "usage" and _AHEAD.search(folded)))):
            # Bills are kept by month and usage is what happened: a country in the question
            # ("will I be charged for that? it was in Spain", "and if I go to the US?") asks
            # what roaming there costs, which the documents say.
            intent, query, inherited = "knowledge", None, None
        extra: list[tuple[str, str]] = []
        if not route.by_rule and inherited is None:
            seen = {intent}
            for part in self.router.requests(text):
                if part.intent not in seen and part.intent in CHAINABLE:
                    extra.append((part.intent, part.segment))
                    seen.add(part.intent)
        return Understanding(text, lang, intent, route.by_rule, score, route.vector, slots,
                             plan=plan, ambiguous=ambiguous, period=period, query=query,
                             line=line, follow_up=inherited is not None, uncertain=uncertain,
                             extra=extra, category=category, line_id=line_id)
