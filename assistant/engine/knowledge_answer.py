"""Answer a knowledge question from ``search_knowledge`` passages, by extraction.

The best two to four sentences are chosen by embedding similarity to the question plus
lexical overlap, with a small preference for higher-ranked passages, and each is cited with
its passage number. Sentences are copied verbatim (markdown stripped), so figures stay exactly
as written. Sentences that read like instructions to an assistant (prompt injection planted
in a document) are never used.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from assistant.engine.safety import looks_like_injection
from assistant.engine.templates import say
from assistant.engine.text import content_words, fold, overlap, passage_sentences

#: Sentences of a passage considered (passages are short; this bounds the embedding batch).
PER_PASSAGE = 14
#: How many lexically promising sentences are embedded for the final ranking, and how many
#: of their words: embedding cost grows with both, and the opening words carry the topic.
EMBED_TOP = 6
EMBED_WORDS = 40
MAX_SENTENCES = 4
MIN_SENTENCES = 2

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
_LANGUAGE_NAMES = {"en": {"en": "English", "es": "inglés"}, "es": {"en": "Spanish",
                                                                  "es": "español"}}


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


def _named(text: str, products: dict[str, str]) -> set[str]:
    """Product names whose every word is in ``text`` ("the 2GB data bundle" names
    "data bundle 2gb")."""
    present = set(re.findall(r"[a-z0-9+]+", fold(text)))
    return {name for name in products if set(name.split()) <= present}


def product_penalty(asked: set[str], sentence: str, products: dict[str, str]) -> float:
    """Lower a sentence about other plans or add-ons, or in another market's currency, than
    the question asks about. ``products`` maps folded names to their currency."""
    if not asked:
        return 0.0
    mentioned = _named(sentence, products)
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
    for asks, holds in _CUES:
        if asks.search(asked):
            bonus += 0.12 if holds.search(sentence) else -0.06
    return bonus - (0.1 if "?" in sentence else 0.0)


@dataclass(frozen=True)
class Candidate:
    """A sentence of a passage, with where it came from."""

    cite: int
    rank: int
    position: int
    text: str
    language: str
    title: str = ""


def candidates(passages: list[dict[str, Any]]) -> list[Candidate]:
    """Every usable sentence of the passages, injection-like ones removed."""
    out = []
    for rank, passage in enumerate(passages):
        cite = int(passage.get("cite", rank + 1))
        text = str(passage.get("text") or passage.get("snippet") or "")
        for position, sentence in enumerate(passage_sentences(text)[:PER_PASSAGE]):
            # A sentence starting in lower case is the tail of a list whose lead-in was not
            # found; out of context it would mislead.
            if sentence[:1].islower() or sentence.endswith(":"):
                continue  # a lead-in ("...made up of two parts:") says nothing alone
            if not looks_like_injection(sentence):
                out.append(Candidate(cite, rank, position, sentence,
                                     str(passage.get("language") or "en"),
                                     str(passage.get("title") or "")))
    return out


def _near_duplicate(a: str, b: str) -> bool:
    wa, wb = content_words(a), content_words(b)
    if not wa or not wb:
        return a == b
    return len(wa & wb) / len(wa | wb) > 0.8


def select(
    question: str,
    question_vector: np.ndarray,
    pool: list[Candidate],
    embed: Callable[[list[str]], np.ndarray],
    products: dict[str, str] | None = None,
) -> list[Candidate]:
    """The best sentences for ``question``, in reading order (passage, then position).

    ``products`` (folded plan and add-on names with their currency) let sentences about
    another product than the one asked about rank lower.
    """
    if not pool:
        return []
    products = products or {}
    asked = content_words(question)
    named = _named(question, products)
    n_ranks = max(c.rank for c in pool) + 1

    def prior(c: Candidate) -> float:
        return 0.12 * (1 - c.rank / n_ranks) - 0.004 * c.position

    # The title counts a little: "It costs £30.00" is about the plan its passage is titled by.
    lexical = {
        id(c): 0.75 * overlap(asked, c.text) + 0.25 * overlap(asked, f"{c.title} {c.text}")
        for c in pool
    }
    # A passage's title names its product: "Each line costs £42.00" is about the plan its
    # passage is titled by.
    cues = {id(c): cue_bonus(question, c.text)
            - product_penalty(named, f"{c.title}. {c.text}", products) for c in pool}
    shortlist = sorted(pool, key=lambda c: -(lexical[id(c)] + cues[id(c)] + prior(c)))
    shortlist = shortlist[:EMBED_TOP]
    vectors = embed([" ".join(c.text.split()[:EMBED_WORDS]) for c in shortlist])
    sims = vectors @ question_vector
    scored = sorted(
        ((0.55 * float(s) + 0.35 * lexical[id(c)] + cues[id(c)] + prior(c), c)
         for s, c in zip(sims, shortlist, strict=True)),
        key=lambda item: (-item[0], item[1].cite, item[1].position),
    )
    best = scored[0][0]
    if best < 0.22:
        return []
    chosen: list[Candidate] = []
    for score, cand in scored:
        if len(chosen) >= MAX_SENTENCES:
            break
        enough = len(chosen) >= MIN_SENTENCES
        if score < (0.68 if enough else 0.55) * best:
            continue
        if any(_near_duplicate(cand.text, c.text) for c in chosen):
            continue
        chosen.append(cand)
    return sorted(chosen, key=lambda c: (c.cite, c.position))


def _with_cite(sentence: str, cite: int) -> str:
    body = sentence.rstrip().rstrip(";,:").rstrip()
    end = body[-1] if body and body[-1] in ".!?" else ""
    body = body[:-1] if end else body
    return f"{body} [{cite}]{end or '.'}"


def answer_from_search(
    question: str,
    question_vector: np.ndarray,
    payload: Any,
    lang: str,
    embed: Callable[[list[str]], np.ndarray],
    products: dict[str, str] | None = None,
) -> str:
    """The reply to a knowledge question, from one ``search_knowledge`` result."""
    if not isinstance(payload, dict) or payload.get("error"):
        return say(lang, "search_unavailable")
    passages = payload.get("passages") or []
    if not payload.get("answerable") or not passages:
        key = "search_unavailable" if payload.get("note") else "unanswerable"
        return say(lang, key)
    if missing_key_term(question, passages):
        return say(lang, "unanswerable")
    chosen = select(question, question_vector, candidates(passages), embed, products)
    if not chosen:
        return say(lang, "unanswerable")
    body = " ".join(_with_cite(c.text, c.cite) for c in chosen)
    lines = [say(lang, "knowledge_intro"), body]
    languages = {c.language for c in chosen}
    if len(languages) == 1 and lang not in languages:
        source = languages.pop()
        name = _LANGUAGE_NAMES.get(source, {}).get(lang, source)
        lines.append(say(lang, "knowledge_other_language", language=name))
    return "\n\n".join(lines)
