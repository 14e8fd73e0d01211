"""Passages cut from the real corpus, numbered like ``search_knowledge`` numbers them."""

from __future__ import annotations

from functools import cache
from typing import Any

from assistant.engine.text import content_words
from knowledge.chunking import Chunk, chunk_document
from knowledge.corpus import load_corpus


@cache
def _chunks() -> dict[str, list[Chunk]]:
    latest: dict[str, Any] = {}
    for doc in load_corpus():
        if doc.meta.id not in latest or doc.meta.version > latest[doc.meta.id].meta.version:
            latest[doc.meta.id] = doc
    return {doc_id: chunk_document(doc) for doc_id, doc in latest.items()}


def _payload(chunk: Chunk, cite: int) -> dict[str, Any]:
    return {"cite": cite, "doc_id": chunk.doc_id, "title": chunk.title,
            "section": chunk.section, "section_id": chunk.section_id, "version": chunk.version,
            "language": chunk.language, "snippet": chunk.text[:160], "text": chunk.text}


def search(question: str, doc_ids: list[str], k: int = 4) -> dict[str, Any]:
    """A stand-in for the knowledge tool: the k chunks of ``doc_ids`` sharing most words."""
    asked = content_words(question)
    pool = [c for d in doc_ids for c in _chunks()[d]]
    ranked = sorted(pool, key=lambda c: -len(asked & content_words(c.embedded_text)))[:k]
    return {"answerable": True,
            "passages": [_payload(c, n) for n, c in enumerate(ranked, start=1)]}


def ranked_chunks(query: str, *, country: str | None = None, k: int = 4) -> list[Chunk]:
    """The k chunks of the whole corpus (in ``country`` when given) sharing most words."""
    asked = content_words(query)
    pool = [c for chunks in _chunks().values() for c in chunks
            if country is None or country in c.countries]
    return sorted(pool, key=lambda c: -len(asked & content_words(c.embedded_text)))[:k]
