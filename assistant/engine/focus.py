"""What makes a sentence the answer to *this* question, beyond similarity.

Cues (an amount for "how much", a duration for "how long", allowances for "what do I get",
places for "where"), superseded terms, other products and other markets' currencies, and names
the passages never mention. ``knowledge_answer`` combines these with embedding similarity.
"""

from __future__ import annotations

import re
from typing import Any

from assistant.engine.text import fold

#: Question cues and what a sentence answering them contains: a price asks for an amount,
#: "how long" for a duration. MiniLM alone under-rates "It costs £30.00 a month".
_CUES = (
    (re.compile(r"how much|cost|price|fee|charge|pay\b|cheap|expensive|cuanto cuesta|cuesta|"
                r"precio|cuota|pagar|cargo|coste|caro|barat", re.IGNORECASE),
     re.compile(r"[£€]\s?\d|\d\s?€|\bKES\s?\d|\bKSh", re.IGNORECASE)),
    (re.compile(r"how long|how many days|when\b|cuanto tiempo|cuando|plazo", re.IGNORECASE),
     re.compile(r"\d+\s*(working\s+|business\s+|habiles\s+)?(days?|hours?|weeks?|months?|"
                r"d[ií]as|horas|semanas|meses)\b", re.IGNORECASE)),
    (re.compile(r"what do i get|\binclude[sd]?\b|what'?s in|allowance|how much data|how many|"
                r"incluye|que tiene|cuantos datos|cuantos minutos", re.IGNORECASE),
     re.compile(r"\d+\s?(gb|mb|minutes|mins|texts|sms|minutos)\b|unlimited|ilimitad",
                re.IGNORECASE)),
    # "Where?" wants places; they are capitalised ("in London, Manchester...").
    (re.compile(r"\bwhere\b|\bdonde\b|\bwhich (cities|towns|areas)\b", re.IGNORECASE),
     re.compile(r"\b(in|en|including|incluye) [A-Z][a-z]+")),
)
_MONEY = {"GBP": re.compile(r"£\s?\d"), "EUR": re.compile(r"€|\d\s?EUR\b"),
          "KES": re.compile(r"\bKES\s?\d|\bKSh")}
#: Capitalised words that are not names of things the documents must mention.
_COMMON = frozenset(
    """vela uk eu eea gb es ke usa uae us vat iva sms mms sim esim pac stac ai faq pdf gps
    apn nfc wifi wi-fi id pin puk otp ofcom atm sos ussd mpesa velapesa tv dvd iot bbc nhs
    asap fyi lol omg""".split()
)


#: A sentence about how things used to be ("went up from £28.00 to £30.00") answers a
#: question about the change, not one about the current terms.
_HISTORY = re.compile(
    r"\b(went up|gone up|rose|risen|increased|came down|went down|used to|previously|"
    r"replaced|superseded|old price|instead of|no longer|what changed|subio|bajo de|paso de|"
    r"antes|en lugar de|en vez de|ya no)\b"
    r"|\bfrom (?:£|€|kes )?\d[\d.,]*\s?(?:gb|mb|%|€)? to (?:£|€|kes )?\d"
    r"|\bde \d[\d.,]*\s?(?:€|gb)? a \d"
)
_ABOUT_CHANGE = re.compile(
    r"\b(why|chang\w*|went up|increase\w*|rise|rose|before|previous\w*|old|histor\w*|"
    r"april|when did|por que|cambi\w*|subi\w*|antes|anterior)\b"
)
#: Model numbers and acronyms in a question ("Galaxy S26", "KPLC"): when the passages never
#: mention one, they are about something else. (Ordinary capitalised words are not checked:
#: a passage on EU roaming answers "roaming in France" without naming France.)
_KEY_TERM = re.compile(r"\b(?=[A-Za-z]*\d)(?=\d*[A-Za-z])[A-Za-z\d]{2,}\b|\b[A-Z]{3,}\b")


def missing_key_term(question: str, passages: list[dict[str, Any]]) -> str | None:
    """A name or model in the question that no passage mentions, if there is one."""
    corpus = fold(" ".join(f"{p.get('title', '')} {p.get('text', '')}" for p in passages))
    corpus_words = set(re.findall(r"[a-z0-9]+", corpus))
    for term in _KEY_TERM.findall(question):
        folded = fold(term)
        if folded in _COMMON or folded in corpus_words:
            continue
        if re.fullmatch(r"\d+(gb|mb|kb|g|p|am|pm|th|st|nd|rd|s|h|m|x)", folded):
            continue  # sizes and times are not names
        return term
    return None


def products_named(text: str, products: dict[str, str]) -> set[str]:
    """Product names whose every word is in ``text`` ("the 2GB data bundle" names
    "data bundle 2gb")."""
    present = set(re.findall(r"[a-z0-9+]+", fold(text)))
    return {name for name in products if set(name.split()) <= present}


def product_penalty(asked: set[str], sentence: str, products: dict[str, str]) -> float:
    """Lower a sentence about other plans or add-ons, or in another market's currency, than
    the question asks about. ``products`` maps folded names to their currency."""
    if not asked:
        return 0.0
    mentioned = products_named(sentence, products)
    penalty = 0.0
    if mentioned and not mentioned & asked:
        penalty += 0.25
    elif mentioned - asked:
        penalty += 0.1
    currencies = {products[n] for n in asked}
    if len(currencies) == 1:
        (own,) = currencies
        if any(rx.search(sentence) for code, rx in _MONEY.items() if code != own):
            penalty += 0.15
    return penalty


#: Worked examples: labelled ones, and hypotheticals with a particular date or a sum worked out.
_EXAMPLE = re.compile(
    r"^\W*(example|for example|for instance|e\.g\.|ejemplo|por ejemplo|mfano)\b|"
    r"^\W*(if|say|suppose|si|imagina)\b[^.]{0,60}"
    r"\b(\d{1,2} (of )?[a-z]{3,9}|\d{1,2} de [a-z]{4,10})\b|"
    r"\b\d+(?:[.,]\d+)? ?[x×] ?[£€]?\d"
)
#: A question that asks for a worked example or a calculation.
_ASKS_EXAMPLE = re.compile(r"\b(example|ejemplo|calculat\w*|calcul\w*|work(ed)? out|how is .* "
                           r"calculated|como se calcula)\b")


#: "How do I pay?" asks for the way to do it, not what it costs: steps and channels answer it.
_HOW_TO = re.compile(r"^\W*(\w+\W+){0,3}?(how (do|can|should|would) (i|we|you)|how to|"
                     r"where (do|can) (i|we)|como (puedo|podemos|hago|se puede|se)|"
                     r"donde (puedo|se))\b")
_STEPS = re.compile(
    r"\b(app|online|website|web|call|ring|text|send|visit|shop|store|go to|tap|choose|"
    r"select|log in|sign in|direct debit|debit card|credit card|card|bank transfer|"
    r"pay bill|paybill|business number|menu|settings|ask|request|"
    r"aplicacion|llama|llamando|envia|tienda|elige|entra|domiciliacion|tarjeta|"
    r"transferencia|solicita|pide)\b",
    re.IGNORECASE,
)


def cue_bonus(question: str, sentence: str) -> float:
    """Extra score for a sentence holding the kind of fact the question asks for.

    A sentence without that kind of fact loses a little, as does one that itself asks or
    quotes a question ("¿qué incluye la Tarifa Ilimitada?"): it echoes the customer's words
    without answering them. A sentence about superseded terms is ruled out.
    """
    asked = fold(question)
    if _HISTORY.search(fold(sentence)) and not _ABOUT_CHANGE.search(asked):
        return -1.0  # old terms answer "what changed", never "what is it now": left out
    bonus = 0.0
    how_to = bool(_HOW_TO.search(asked))
    for n, (asks, holds) in enumerate(_CUES):
        if n == 0 and how_to and not re.search(r"how much|cuanto", asked):
            continue  # "how do I pay?" is not "how much do I pay?"
        if asks.search(asked):
            bonus += 0.12 if holds.search(sentence) else -0.06
    if how_to:
        bonus += 0.08 if _STEPS.search(fold(sentence)) else -0.04
    if is_example(sentence) and not _ASKS_EXAMPLE.search(asked):
        bonus -= 0.08  # a worked example answers only when nothing states the rule itself
    return bonus - (0.1 if "?" in sentence else 0.0)


def is_example(sentence: str) -> bool:
    """True for a document's worked example ("Example: five days in Spain...", "If you
    joined on 21 November..."): about an imagined customer, not the one asking."""
    return bool(_EXAMPLE.search(fold(sentence)))
