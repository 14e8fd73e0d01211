"""Heading-aware chunking with token budgets measured by tiktoken.

A document is cut along its ``## `` sections. A section that fits the budget is one chunk;
a longer one is cut along its ``### `` subsections, then along paragraphs, lines and finally
raw tokens, so every chunk's embedded text ("title — section path" plus the body) stays within
``max_tokens``. The summary before the first heading is the section ``Summary``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from knowledge.corpus import SourceDocument
from knowledge.text import TOKENIZER_ENCODING, count_tokens, encoding, slugify

SUMMARY = "Summary"
_HEADING = re.compile(r"^(#{1,3})\s+(.+?)\s*#*\s*$")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+")


class ChunkParams(BaseModel):
    """How documents are cut; part of the index spec, so changing it forces a rebuild."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    max_tokens: int = Field(default=220, ge=32, description="Budget of one chunk's embedded text.")
    encoding: str = Field(default=TOKENIZER_ENCODING, description="tiktoken encoding name.")


@dataclass(frozen=True)
class Chunk:
    """One retrievable passage with the citation data it carries into the index."""

    chunk_id: str
    doc_id: str
    title: str
    section_path: tuple[str, ...]
    ordinal: int
    text: str
    version: int
    kind: str
    language: str
    countries: tuple[str, ...]
    segment: str
    effective_from: date
    effective_to: date | None
    plan_id: str | None = None
    source: str = ""
    tokens: int = field(default=0, compare=False)

    @property
    def section(self) -> str:
        """Heading path shown to users, e.g. ``Roaming > Day passes``."""
        return " > ".join(self.section_path)

    @property
    def section_slug(self) -> str:
        """Slug of the ``## `` heading the chunk sits under (``summary`` before the first)."""
        return slugify(self.section_path[0])

    @property
    def section_id(self) -> str:
        """``<doc_id>#<section slug>``, the id labeled queries refer to."""
        return f"{self.doc_id}#{self.section_slug}"

    @property
    def embedded_text(self) -> str:
        """What is embedded and lexically indexed: context line, blank line, body."""
        return f"{self.title} — {self.section}\n\n{self.text}"


def chunk_document(doc: SourceDocument, params: ChunkParams | None = None) -> list[Chunk]:
    """Cut one document into chunks whose embedded text fits ``params.max_tokens``."""
    params = params or ChunkParams()
    meta = doc.meta
    ordinals: Counter[tuple[str, ...]] = Counter()
    chunks: list[Chunk] = []
    for path, text in _sections(doc.body, meta.title, params):
        ordinal = ordinals[path]
        ordinals[path] += 1
        slug_path = "/".join(slugify(part) for part in path)
        chunk = Chunk(
            chunk_id=f"{meta.id}.v{meta.version}/{slug_path}/{ordinal}",
            doc_id=meta.id,
            title=meta.title,
            section_path=path,
            ordinal=ordinal,
            text=text,
            version=meta.version,
            kind=meta.kind,
            language=meta.language,
            countries=tuple(meta.countries),
            segment=meta.segment,
            effective_from=meta.effective_from,
            effective_to=meta.effective_to,
            plan_id=meta.plan_id,
            source=doc.path.name,
        )
        chunks.append(replace(chunk, tokens=count_tokens(chunk.embedded_text, params.encoding)))
    return chunks


def _sections(body: str, title: str, params: ChunkParams) -> Iterator[tuple[tuple[str, ...], str]]:
    """Yield (heading path, text) pieces that each fit the budget."""
    for h2, intro, subsections in _outline(body):
        whole = "\n\n".join([intro, *(f"### {h3}\n\n{text}" for h3, text in subsections)]).strip()
        if _fits((h2,), whole, title, params) or not subsections:
            yield from _split((h2,), whole, title, params)
            continue
        yield from _split((h2,), intro, title, params)
        for h3, text in subsections:
            yield from _split((h2, h3), text, title, params)


def _outline(body: str) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """Group the body into (## heading, intro text, [(### heading, text)]) outside code fences."""
    outline: list[tuple[str, list[str], list[tuple[str, list[str]]]]] = [(SUMMARY, [], [])]
    in_fence = False
    for line in body.splitlines():
        if line.lstrip().startswith("```"):
            in_fence = not in_fence
        match = None if in_fence else _HEADING.match(line)
        if match is None:
            current = outline[-1]
            (current[2][-1][1] if current[2] else current[1]).append(line)
        elif len(match.group(1)) == 1:
            continue  # a "# Title" line repeats the front matter title
        elif len(match.group(1)) == 2:
            outline.append((match.group(2), [], []))
        else:
            outline[-1][2].append((match.group(2), []))
    return [
        (h2, "\n".join(intro).strip(), [(h3, "\n".join(text).strip()) for h3, text in subs])
        for h2, intro, subs in outline
        if "\n".join(intro).strip() or subs
    ]


def _fits(path: tuple[str, ...], text: str, title: str, params: ChunkParams) -> bool:
    header = f"{title} — {' > '.join(path)}\n\n"
    return count_tokens(header + text, params.encoding) <= params.max_tokens


def _split(
    path: tuple[str, ...], text: str, title: str, params: ChunkParams
) -> Iterator[tuple[tuple[str, ...], str]]:
    """Pack paragraphs (then lines, then raw tokens) greedily into pieces that fit."""
    if not text.strip():
        return
    if _fits(path, text, title, params):
        yield path, text
        return
    header = count_tokens(f"{title} — {' > '.join(path)}\n\n", params.encoding)
    # A pathological title could eat the whole budget; keep some room for the body anyway.
    budget = max(params.max_tokens - header, 16)
    pieces: list[str] = []
    for paragraph in _PARAGRAPH_BREAK.split(text):
        pieces.extend(_shrink(paragraph.strip(), budget, params.encoding))
    current = ""
    for piece in filter(None, pieces):
        candidate = f"{current}\n\n{piece}" if current else piece
        if count_tokens(candidate, params.encoding) <= budget:
            current = candidate
        else:
            if current:
                yield path, current
            current = piece
    if current:
        yield path, current


def _shrink(paragraph: str, budget: int, encoding_name: str) -> list[str]:
    """Break one over-long paragraph on lines, then sentences, then raw token windows."""
    if count_tokens(paragraph, encoding_name) <= budget:
        return [paragraph]
    for separator, parts in (
        ("\n", paragraph.splitlines()),
        (" ", _SENTENCE_END.split(paragraph)),
    ):
        if len(parts) > 1:
            out: list[str] = []
            for part in parts:
                out.extend(_shrink(part.strip(), budget, encoding_name))
            return _rejoin(out, budget, encoding_name, separator)
    tokens = encoding(encoding_name).encode(paragraph, disallowed_special=())
    return [
        encoding(encoding_name).decode(tokens[start : start + budget]).strip()
        for start in range(0, len(tokens), budget)
    ]


def _rejoin(parts: list[str], budget: int, encoding_name: str, separator: str) -> list[str]:
    """Glue consecutive parts back together while they fit, so tables stay readable."""
    out: list[str] = []
    for line in parts:
        if out and count_tokens(f"{out[-1]}{separator}{line}", encoding_name) <= budget:
            out[-1] = f"{out[-1]}{separator}{line}"
        else:
            out.append(line)
    return out
