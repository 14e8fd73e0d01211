"""Answer a knowledge question from ``search_knowledge`` passages, by extraction.

The best two to four sentences are chosen by embedding similarity to the question plus
lexical overlap, with a small preference for higher-ranked passages, and each is cited with
its passage number (the SDK renumbers the reply's markers 1..n for the customer). Sentences
are copied verbatim (markdown stripped), so figures stay exactly as written. Sentences that
read like instructions to an assistant (prompt injection planted in a document) are never used.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from assistant.engine.focus import (
    cue_bonus,
    is_example,
    missing_key_term,
    product_penalty,
    products_named,
)
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

_LANGUAGE_NAMES = {"en": {"en": "English", "es": "inglés"}, "es": {"en": "Spanish",
                                                                  "es": "español"}}


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


def embedding_text(candidate: Candidate) -> str:
    """The text embedded for a candidate: its opening words, which carry the topic."""
    return " ".join(candidate.text.split()[:EMBED_WORDS])


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
    named = products_named(question, products)
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
    vectors = embed([embedding_text(c) for c in shortlist])
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


_EXAMPLE_LABEL = {"en": "For example: ", "es": "Por ejemplo: "}


def _with_cite(sentence: str, cite: int, language: str = "en") -> str:
    if is_example(sentence) and not re.match(r"\W*(example|for example|for instance|e\.g\.|"
                                              r"ejemplo|por ejemplo)\b", fold(sentence)):
        # Said as the document says it, but never as if it were the customer's own case.
        sentence = _EXAMPLE_LABEL.get(language, _EXAMPLE_LABEL["en"]) + sentence
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
    body = " ".join(_with_cite(c.text, c.cite, c.language) for c in chosen)
    lines = [say(lang, "knowledge_intro"), body]
    languages = {c.language for c in chosen}
    if len(languages) == 1 and lang not in languages:
        source = languages.pop()
        name = _LANGUAGE_NAMES.get(source, {}).get(lang, source)
        lines.append(say(lang, "knowledge_other_language", language=name))
    return "\n\n".join(lines)
