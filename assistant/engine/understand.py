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
from assistant.engine.memory import Memory
from assistant.engine.periods import parse_period
from assistant.engine.router import MIN_CONFIDENCE, IntentRouter
from assistant.engine.slots import Slots, extract_slots, match_plans
from assistant.engine.text import content_words, fold, words
from assistant.i18n.language import detect_language
from assistant.nlu.entities import countries, line_digits, replace_country

_QUESTION = re.compile(
    r"\?|^(what|how|why|when|where|which|who|is|are|does|do|can|could|will|would|should)\b"
    r"|^(que|como|cuanto|cuanta|cuando|donde|cual|por que|puedo|hay|tiene|incluye)\b"
)
#: A quote needs a change of plan in the question; "how much is X?" is a price question.
_SWITCH = re.compile(r"switch|change|move|moving|upgrad|downgrad|migrat|cambi|pasar|pasarme|"
                     r"subir|bajar|go up|go down|quote|presupuesto")
_INFO_QUESTION = re.compile(r"^\W*(how|what|why|when|where|which|is|are|does|do|como|que|por que|"
                            r"cuando|donde|cual|cuanto|cuanta)\b")
_PRICE = re.compile(r"how much|price|cost|cuanto|precio|cuesta")
_ASKING = re.compile(r"^\W*(can i|could i|may i|am i able|is it possible|puedo|se puede|podria)\b")
_FOLLOW_UP = re.compile(r"^\W*(and|what about|how about|same for|and if|what if|y|e|que tal|y en|"
                        r"and in|and for|y si|y para|y que|na|je)\b")
#: "no, I meant October", "not that one, the cheaper one", "perdona, quería decir la 203".
_CORRECTION = re.compile(r"^\W*(no|nope|sorry|actually|wait|oops|perdon|perdona|mejor|hapana)?\W*"
                         r"(i meant|i mean|not that|rather|instead|quise decir|queria decir|"
                         r"me referia|no esa|no ese|nilimaanisha)\b"
                         r"|\b(i meant|quise decir|queria decir|me referia)\b")
_RETURN = re.compile(r"\b(back to|go(ing)? back to|return(ing)? to|about (the|my) \w+ again|"
                     r"volviendo a|volvamos a|vuelvo a lo de|regresando a|turudi)\b")
#: A wish to stop or take back something: what a withdrawal must say.
_STOP = re.compile(r"\b(stop\w*|withdraw\w*|revok\w*|don'?t|do not|no longer|delete|remove|"
                   r"cancel\w*|take back|opt(ing)? out|retir\w*|revoc\w*|deja\w* de|no quiero|"
                   r"borra\w*|quita\w*|acha|sitisha|msi\w+|sitaki)\b")
_WHY = re.compile(r"^\W*(why|how come|por ?que|como es eso|mbona|kwa nini)\b")
#: Account requests a short follow-up can name by itself ("and my payments?").
_ACCOUNT_REQUESTS = frozenset({"bill", "explain_bill", "usage", "payments", "account_overview",
                               "pay_bill", "list_plans", "addons"})
#: Requests that can follow another in the same turn: reads only (a write pauses the turn).
CHAINABLE = frozenset({"bill", "explain_bill", "usage", "payments", "account_overview",
                       "pay_bill", "knowledge", "list_plans", "addons"})
#: A follow-up inherits the topic unless the classifier is this sure of something else.
_SURE = 0.85


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
        if plan is None and slots.reference and memory.mentioned:
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
        inherited = None if route.by_rule else self._continue_topic(
            text, memory, route.intent, score, has_slot=bool(
                period or line or slots.plans or slots.reference or countries(text)))
        query = route.segment or None
        uncertain = False
        if inherited is not None:
            intent, query = inherited
        elif not route.by_rule and score < MIN_CONFIDENCE:
            intent = "knowledge" if is_question(text) or len(words(text)) >= 4 else "clarify"
            uncertain = intent == "knowledge"
        if (intent in ("confirm", "decline") and not route.by_rule
                and (len(words(text)) > 5 or is_question(text))):
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
                and (score < _SURE or not _STOP.search(folded))):
            # Withdrawing acts at once: a guess ("please keep a copy of this chat") is not
            # enough. Without a clear wish to stop, it is a question about privacy.
            intent = "knowledge"
        if intent in ("payments", "bill", "explain_bill") and not route.by_rule and slots.plans:
            intent = "knowledge"  # "what do I get on Pay As You Go 10?" is about the plan
        if intent == "change_plan" and _ASKING.search(folded):
            intent = "quote_plan"  # "can I switch to Plus 20GB?" wants the terms, not the change
        if intent == "quote_plan" and not _SWITCH.search(fold(text)):
            intent = "knowledge"
        if intent == "out_of_scope" and not route.by_rule and plan is not None:
            intent = "knowledge"  # "is the cheaper one any good?" is about our plans
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
                             extra=extra)

    def _continue_topic(self, text: str, memory: Memory, predicted: str, confidence: float,
                        has_slot: bool) -> tuple[str, str | None] | None:
        """The intent (and rewritten query) of an elliptical follow-up or a correction.

        "and in the US?" after a roaming question, "what about October?" after a bill,
        "no, I meant Plus 20GB" after a quote, "and abroad?" after usage, a bare "why?" after
        a bill: the message names a new value for a slot of the conversation's topic, or is
        too short to carry a topic of its own, so the topic carries on.
        """
        topic = memory.topic
        if topic is None:
            return None
        folded = fold(text).strip()
        earlier = self._return_to(folded, memory)
        if earlier is not None:
            return earlier
        marked = bool(_FOLLOW_UP.search(folded) or _CORRECTION.search(folded))
        n_words = len(words(folded))
        if _WHY.match(folded) and topic in ("bill", "explain_bill") and n_words <= 4:
            return "explain_bill", None  # "why?" after a bill asks what made it so
        if not has_slot and not (marked and n_words <= 3):
            return None
        if (not has_slot and predicted != topic and predicted in _ACCOUNT_REQUESTS
                and confidence >= 0.5):
            return None  # "and my payments?" after a bill names a request of its own
        if not marked and n_words > 4:
            return None
        if predicted != topic and confidence >= _SURE and (not marked or n_words > 4):
            # "October bill?" after usage, "and how much would Libre 50 cost me?" after a
            # bill: a new request the classifier knows well.
            return None
        if topic == "knowledge":
            return "knowledge", self._follow_up_query(memory.last_query or "", text, folded)
        if topic == "list_plans" and predicted in ("change_plan", "quote_plan"):
            return predicted, None  # "I'll take the cheapest one" after the list: that plan
        return topic, None

    @staticmethod
    def _return_to(folded: str, memory: Memory) -> tuple[str, str | None] | None:
        """"Back to my data", "volviendo a la factura": the earlier topic the message names
        (by shared words with that turn), else the one before the current topic."""
        if not _RETURN.search(folded) or len(memory.topics) < 2:
            return None
        asked = content_words(folded)
        for topic, said, query in reversed(memory.topics[:-1]):
            if asked & content_words(said):
                return topic, query if topic == "knowledge" else None
        topic, _, query = memory.topics[-2]
        return topic, query if topic == "knowledge" else None

    def _follow_up_query(self, base: str, text: str, folded: str) -> str:
        """The last query with the follow-up's new country or plan in place of the old one."""
        swapped = replace_country(base, text)
        if swapped:
            return swapped
        rest = _FOLLOW_UP.sub("", _CORRECTION.sub("", folded)).strip(" ,.?!¿")
        new_plans = match_plans(text, self.catalog.plans)
        old_plans = match_plans(base, self.catalog.plans)
        if new_plans and old_plans and new_plans[0].id != old_plans[0].id:
            # "how much is Unlimited Max?" + "and Plus 30?" -> "how much is plus 30"
            name = {w for p in old_plans[:1] for w in words(p.name)}
            kept = [w for w in re.findall(r"\S+", base) if fold(w).strip("?¿!.,") not in name]
            return f"{' '.join(kept)} {rest}".strip()
        return f"{base} {rest}".strip()
