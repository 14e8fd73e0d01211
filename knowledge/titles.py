"""Title matching: a query that names a document (usually a plan) should find that document.

Plan sheets are titled with the catalog name ("Prepago 15", "Tarifa Básica 10GB"). When a
question names one, the sheet is the authoritative answer, yet FAQ and policy chunks that
repeat the same words often outscore it on both retrievers. ``TitleIndex`` finds which
documents' titles occur in a query (case-, accent- and "10GB"/"10 GB"-insensitive, on word
boundaries) so retrieval can add a bonus to their chunks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from knowledge.text import fold

#: Titles shorter than this many words are too generic to count as a mention ("FAQ").
MIN_TITLE_WORDS = 2

_PARENTHETICAL = re.compile(r"\([^)]*\)")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_DIGIT_LETTER = re.compile(r"(?<=\d)(?=[a-z])|(?<=[a-z])(?=\d)")


def title_key(text: str) -> str:
    """Canonical form for matching: folded, parentheticals dropped, digits split from letters.

    ``"Plus 20GB (legacy)"`` -> ``"plus 20 gb"``; ``"¿Qué incluye la Tarifa Básica 10 GB?"``
    -> ``"que incluye la tarifa basica 10 gb"``. Parentheticals are qualifiers customers do
    not type.
    """
    words = _NON_ALNUM.sub(" ", fold(_PARENTHETICAL.sub(" ", text)))
    return " ".join(_DIGIT_LETTER.sub(" ", words).split())


class TitleIndex:
    """Which documents a query names, by their titles."""

    def __init__(self, titles: Mapping[str, str]) -> None:
        """``titles`` maps doc id to title; titles under ``MIN_TITLE_WORDS`` words are ignored."""
        self._docs: dict[str, set[str]] = {}
        for doc_id, title in titles.items():
            key = title_key(title)
            if len(key.split()) >= MIN_TITLE_WORDS:
                self._docs.setdefault(key, set()).add(doc_id)

    @classmethod
    def from_metadatas(
        cls, metadatas: Iterable[Mapping[str, Any]], *, kinds: frozenset[str] | None = None
    ) -> TitleIndex:
        """Build from chunk metadata (``doc_id``, ``title``, ``kind``), optionally by kind."""
        return cls(
            {
                str(m["doc_id"]): str(m["title"])
                for m in metadatas
                if kinds is None or m.get("kind") in kinds
            }
        )

    def named_in(self, query: str) -> set[str]:
        """Doc ids whose title occurs in ``query`` as whole words.

        When one matched title lies inside another ("Unlimited" in "Unlimited Max"), only the
        longer counts: the customer named the more specific document.
        """
        padded = f" {title_key(query)} "
        hits = [key for key in self._docs if f" {key} " in padded]
        specific = [k for k in hits if not any(k != o and f" {k} " in f" {o} " for o in hits)]
        return {doc for key in specific for doc in self._docs[key]}
