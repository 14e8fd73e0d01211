"""What a search returns: passages with their citation data, and the answerable verdict."""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from knowledge.lexical import analyze

Mode = Literal["hybrid", "bm25", "dense"]
SNIPPET_CHARS = 300
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
# A line that starts a list item, table row, quote or heading keeps its own line.
_BLOCK_START = re.compile(r"^\s*(?:[-*+>|#]|\d+[.)])")
_MARKUP = re.compile(r"\*\*|__|^\s*(?:[-*+>]|\d+[.)])\s+|`")


class Passage(BaseModel):
    """One retrieved chunk, with everything needed to cite it."""

    model_config = ConfigDict(frozen=True)

    chunk_id: str = Field(description="Stable id: doc id, version, section path, ordinal.")
    doc_id: str
    title: str
    section: str = Field(description='Heading path, e.g. "Roaming > Day passes".')
    section_id: str = Field(description="<doc_id>#<slug of the ## heading>.")
    version: int
    kind: str
    language: str
    countries: tuple[str, ...]
    segment: str
    effective_from: date
    effective_to: date | None
    plan_id: str | None = None
    text: str = Field(description="The chunk body, without the title/section context line.")
    snippet: str = Field(
        description=f"Best sentences for the query, at most {SNIPPET_CHARS} chars."
    )
    score: float = Field(description="Score in the search's mode (fused RRF score for hybrid).")
    bm25_score: float | None = None
    bm25_rank: int | None = Field(default=None, description="1-based rank among BM25 hits.")
    dense_score: float | None = Field(default=None, description="Cosine similarity.")
    dense_rank: int | None = Field(default=None, description="1-based rank among dense hits.")

    def citation(self) -> str:
        """Short human-readable citation: ``Title, Section (v2)``."""
        return f"{self.title}, {self.section} (v{self.version})"


class SearchResult(BaseModel):
    """Ranked passages plus whether the corpus can answer the question at all."""

    model_config = ConfigDict(frozen=True)

    query: str
    mode: Mode
    as_of: date
    passages: list[Passage]
    answerable: bool = Field(description="False means: say it is not in our documents.")
    confidence: float = Field(description="The signal compared with the answerable threshold.")


def snippet(text: str, query: str, limit: int = SNIPPET_CHARS) -> str:
    """The sentences sharing most words with the query, in document order, within ``limit``."""
    sentences = [
        _MARKUP.sub("", s).strip(" |") for s in _SENTENCE.split(_unwrap(text)) if s.strip(" |-")
    ]
    if not sentences:
        return ""
    wanted = set(analyze(query))
    overlap = [len(wanted & set(analyze(s))) for s in sentences]
    ranked = sorted(range(len(sentences)), key=lambda i: (-overlap[i], i))
    if overlap[ranked[0]] > 0:
        # Sentences that share no word with the query only pad the snippet.
        ranked = [i for i in ranked if overlap[i] > 0]
    chosen: list[int] = []
    used = 0
    for i in ranked:
        cost = len(sentences[i]) + (1 if chosen else 0)
        if used + cost <= limit:
            chosen.append(i)
            used += cost
    if not chosen:
        return _truncate(sentences[ranked[0]], limit)
    return " ".join(sentences[i] for i in sorted(chosen))


def _unwrap(text: str) -> str:
    """Join hard-wrapped lines of a paragraph, keeping list items and table rows apart."""
    out: list[str] = []
    for line in text.splitlines():
        if out and out[-1].strip() and line.strip() and not _BLOCK_START.match(line):
            out[-1] = f"{out[-1].rstrip()} {line.strip()}"
        else:
            out.append(line)
    return "\n".join(out)


def _truncate(sentence: str, limit: int) -> str:
    """Cut at a word boundary and mark the cut."""
    cut = sentence[: limit - 1].rsplit(" ", 1)[0]
    return cut + "…"
