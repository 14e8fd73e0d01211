"""What "that", "it" and "which month?" point at: the focus of the last answer.

A customer's follow-up often asks about the content of the previous answer rather than
naming anything: "which month is that for?" after an overdue bill, "what was the credit
for?" after a bill that went down, "¿cuántos megas fueron?" after a roaming charge, "is that
per day?" after usage figures, "what happens if I don't pay it?" after arrears. The dialogue
state keeps a ``Focus`` (what the last tool-backed answer dwelt on, read from its results as
a model would read them), and ``resolve`` turns such a follow-up into the request it stands
for: the same kind of look-up with the focus's slots (its bill period, the item category it
dwelt on), or a documents query that names what the pronoun stood for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from assistant.engine.text import fold, words

#: A pronoun or demonstrative pointing back at the previous answer.
_BACK = re.compile(
    r"\b(that|it|this|those|these|them|they|eso|esa|ese|esto|esta|esos|esas|fueron|fue|"
    r"hiyo|hicho|hilo|hizo)\b"
)
#: Asking when, or for which period: the focus's period answers it.
_WHEN = re.compile(
    r"\b(which|what) (month|period|bill)\b|\bwhen\b|\bfrom when\b|\b(que|cual) (mes|periodo|"
    r"factura)\b|\bde cuando\b|\bcuando\b|\bmwezi gani\b|\blini\b"
)
#: Asking how many units: the quantity behind the focused charge or usage.
_QUANTITY = re.compile(
    r"\bhow (many|much data)\b|\b(mb|gb|megas?|gigas?|minutes?|texts?|sms)\b|"
    r"\bcuant[oa]s\b|\bngapi\b"
)
#: The bill before the one in focus ("the one before", "la anterior").
_BEFORE = re.compile(r"\b(the one before|one before that|the previous (one|bill|month|invoice)|"
                     r"month before|la anterior|el anterior|la de antes|el mes anterior|"
                     r"iliyopita)\b")


def _month_before(period: str) -> str:
    year, month = (int(x) for x in period.split("-")[:2])
    return f"{year - 1}-12" if month == 1 else f"{year}-{month - 1:02d}"


#: A question, with or without its question mark.
_ASKS = re.compile(r"\?|^\W*(and |so |but |y |pero )?(how|what|when|which|is|are|does|do|did|will|"
                   r"would|can|could|cuanto|cuanta|cuando|que|cual|como|es|son|hay)\b",
                   re.IGNORECASE)
#: A how-to question is about what to do next, not about the answer's content.
_HOW_TO = re.compile(
    r"^\W*(how (do|can|would|should)|can (i|we)|could (i|we)|como (puedo|"
    r"podemos|hago)|puedo|podemos)\b"
)
#: Words naming one category of bill items ("the credit", "the roaming charge").
_CATEGORIES = (
    (re.compile(r"cloud|backup|office|seat|nube"), "cloud_services"),
    (re.compile(r"roam|abroad|itineran|extranjero"), "roaming"),
    (
        re.compile(r"device|phone|handset|instal|pixel|iphone|galaxy|terminal|dispositivo"),
        "device_instalment",
    ),
    (re.compile(r"add-?on|bono|pass\b|bundle"), "addon"),
    (re.compile(r"out of bundle|extra (usage|charges)|premium|fuera"), "out_of_bundle"),
    (re.compile(r"discount|descuento"), "discount"),
    (re.compile(r"credit|abono"), "credit"),
    (re.compile(r"\b(tax|vat|iva)\b"), "tax"),
)
#: What a pronoun stood for, said so the documents can find it.
_NOUNS = {
    "overdue": {"en": "the overdue bill", "es": "la factura vencida"},
    "suspended": {"en": "my suspended line, blocked", "es": "mi línea suspendida, bloqueada"},
}


@dataclass(frozen=True)
class Focus:
    """What the last tool-backed answer dwelt on."""

    kind: str
    """bill | usage | payments | account | plan | doc."""
    period: str | None = None
    """The bill period the answer was about (an overdue bill's, when it named one)."""
    category: str | None = None
    """The bill item category the answer dwelt on (the biggest change it explained)."""
    noun: str | None = None
    """Key of the phrase naming the focus in a documents query (``_NOUNS``)."""
    tool: str | None = None
    """For a bill: "bill" (a look-up) or "explain_bill" (a comparison), to repeat in kind."""
    plan: str | None = None
    """The plan a quote was for."""
    line_id: str | None = None
    """The line a quote was for."""


def bill_category(text: str) -> str | None:
    """The bill item category ``text`` names, or None."""
    folded = fold(text)
    return next((category for rx, category in _CATEGORIES if rx.search(folded)), None)


def focus_of(
    name: str,
    args: dict[str, Any],
    result: Any,
    line: str | None = None,
    category: str | None = None,
) -> Focus | None:
    """The focus an answer built on one tool result has, or None for tools without one.

    ``line`` is the last digits of the line the customer asked about, if they named one, and
    ``category`` the bill item category their message named.
    """
    data = result if isinstance(result, dict) else {}
    if name == "get_account_overview":
        overdue = [b for b in data.get("overdue_bills") or [] if isinstance(b, dict)]
        suspended = [ln for ln in data.get("lines") or []
                     if isinstance(ln, dict) and ln.get("status") == "suspended"]
        # A suspended line is what "how do I unblock it?" means, even beside an overdue bill.
        noun = "suspended" if suspended else "overdue" if overdue else None
        if overdue:
            return Focus("bill", period=overdue[0].get("period"), noun=noun)
        return Focus("account", noun=noun)
    if name == "get_amount_owed":
        owed = [b for b in data.get("bills") or [] if isinstance(b, dict)]
        late = [b for b in owed if b.get("status") == "overdue"] or owed
        if late:
            return Focus("bill", period=late[0].get("period"), noun="overdue")
        return Focus("account")
    if name == "get_bill":
        noun = "overdue" if data.get("status") == "overdue" else None
        return Focus("bill", period=data.get("period") or args.get("period"), noun=noun,
                     category=category)
    if name == "explain_bill":
        drivers = [
            d
            for d in data.get("drivers") or []
            if isinstance(d, dict) and d.get("category") != "tax"
        ]
        category = drivers[0].get("category") if drivers else None
        return Focus("bill", period=data.get("period") or args.get("period"), category=category,
                     tool="explain_bill")
    if name == "get_usage":
        rows = [r for r in result if isinstance(r, dict)] if isinstance(result, list) else []
        if line:
            rows = [r for r in rows if str(r.get("msisdn_masked") or "").endswith(line)] or rows
        zones = sorted({z for r in rows for z, mb in (r.get("roaming_mb") or {}).items() if mb})
        # Usage that shows roaming: "is that included?" asks about roaming in those zones.
        return Focus("usage", noun=f"roaming:{','.join(zones)}" if zones else None)
    if name == "get_payments":
        return Focus("payments")
    if name in ("quote_plan_change", "quote_addon") and _arrears_period(data):
        # A change refused for arrears: "how do I pay it then?" is about the overdue bill.
        return Focus("bill", period=_arrears_period(data), noun="overdue")
    if name == "quote_plan_change" and data.get("to_plan_id"):
        return Focus("quote", plan=str(data["to_plan_id"]), line_id=data.get("line_id"))
    if name in ("quote_plan_change", "list_available_plans", "quote_addon", "list_addons"):
        return Focus("plan")
    if name == "search_knowledge":
        return Focus("doc")
    return None


def _arrears_period(data: dict[str, Any]) -> str | None:
    """The first overdue period a refusal for arrears names, or None."""
    for code in data.get("reason_codes") or []:
        if isinstance(code, dict) and code.get("code") == "reason.arrears":
            periods = str((code.get("values") or {}).get("periods") or "")
            return periods.split(",")[0].strip() or None
    return None


@dataclass(frozen=True)
class Resolved:
    """A follow-up read against the focus: the request it stands for."""

    intent: str
    period: str | None = None
    category: str | None = None
    """The bill item category the answer should show."""
    plan: str | None = None
    line_id: str | None = None
    """The plan and line of the quote asked about again."""


def refers_back(text: str) -> bool:
    """True when ``text`` points back at something with a pronoun or demonstrative."""
    return bool(_BACK.search(fold(text)))


def resolve(text: str, focus: Focus | None, *, has_slot: bool) -> Resolved | None:
    """The look-up a follow-up about the last answer's content stands for, or None.

    ``has_slot`` says the message names something of its own (a period, a line, a plan, a
    country): then it is not about the focus.
    """
    if focus is None or has_slot:
        return None
    folded = fold(text).strip()
    n_words = len(words(folded))
    back = refers_back(folded)
    if _HOW_TO.search(folded) or n_words > 12:
        return None
    if focus.kind == "bill" and focus.period and _BEFORE.search(folded):
        # "and the one before that?": the bill of the month before the one in focus.
        return Resolved(focus.tool or "bill", _month_before(focus.period))
    if focus.kind == "bill" and focus.period:
        if _WHEN.search(folded) and (back or n_words <= 5):
            return Resolved("bill", focus.period)
        category = bill_category(folded)
        if category and (back or re.search(r"\b(the|el|la|los|las)\b", folded)):
            return Resolved("bill", focus.period, category)
        if _QUANTITY.search(folded) and back and focus.category:
            return Resolved("bill", focus.period, focus.category)
        if back and n_words <= 6 and focus.category and _ASKS.search(text):
            # "is that per month?" after the cloud seats on a bill: those charges again.
            return Resolved("bill", focus.period, focus.category)
    if focus.kind == "usage" and back and n_words <= 5:
        return Resolved("usage")
    if focus.kind == "quote" and back and _ASKS.search(text):
        # "is that per month?", "and how long would that tie us in for": the quote's terms.
        return Resolved("quote_plan", plan=focus.plan, line_id=focus.line_id)
    return None


#: How the documents name the roaming zones a usage result counts.
_ZONE_WORDS = {"EU": {"en": "the EU", "es": "la UE"}, "Z1": {"en": "Zone 1", "es": "la zona Z1"},
               "Z2": {"en": "Zone 2", "es": "la zona Z2"},
               "EA": {"en": "East Africa", "es": "África Oriental"}}


def phrase_of(focus: Focus, lang: str = "en") -> str:
    """The words naming ``focus`` in a documents query ("" when it has none)."""
    if focus.noun and focus.noun.startswith("roaming:"):
        zones = [_ZONE_WORDS.get(z, {}).get(lang) or z for z in focus.noun[8:].split(",")]
        return ("roaming in " if lang != "es" else "itinerancia en ") + ", ".join(zones)
    nouns = _NOUNS.get(focus.noun or "", {})
    return nouns.get(lang) or nouns.get("en") or ""


def query_noun(focus: Focus | None, text: str, lang: str) -> str | None:
    """What a pronoun in a documents question stood for, when the conversation is about an
    account figure rather than a document ("what happens if I don't pay it?")."""
    if focus is None or focus.noun is None or not refers_back(text):
        return None
    return phrase_of(focus, lang) or None
