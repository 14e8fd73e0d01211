"""The chunks of an opened index as columns, and the metadata filters applied to them.

Both retrievers are restricted by the same boolean mask, so BM25 and dense search can never
disagree about which chunks a country, segment, language or date allows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

_OPEN_END = date.max.toordinal()


@dataclass(frozen=True)
class Filters:
    """Metadata filters of one search; None means "any"."""

    country: str | None
    segment: str | None
    language: str | None
    as_of: date


class ChunkTable:
    """Chunk texts and metadata in load order, with numpy columns for fast filtering."""

    def __init__(self, ids: list[str], texts: list[str], metadatas: list[Mapping[str, Any]]):
        self.ids = ids
        self.texts = texts
        self.metadatas = metadatas
        self.position = {rid: i for i, rid in enumerate(ids)}
        self._countries = [set(str(m["countries"]).split(",")) for m in metadatas]
        self._segment = np.array([m["segment"] for m in metadatas], dtype=object)
        self._language = np.array([m["language"] for m in metadatas], dtype=object)
        self._start = np.array([_ordinal(m["effective_from"]) for m in metadatas], dtype=np.int64)
        self._end = np.array(
            [_ordinal(m["effective_to"]) if m["effective_to"] else _OPEN_END for m in metadatas],
            dtype=np.int64,
        )

    @classmethod
    def from_rows(
        cls, ids: Sequence[str], texts: Sequence[str | None], metadatas: Sequence[Any]
    ) -> ChunkTable:
        """Build from a Chroma ``get`` result, sorted by chunk id for a stable order."""
        rows = sorted(
            zip(ids, texts, metadatas, strict=True), key=lambda row: str(row[2]["chunk_id"])
        )
        return cls([r[0] for r in rows], [r[1] or "" for r in rows], [dict(r[2]) for r in rows])

    def __len__(self) -> int:
        return len(self.ids)

    def mask(self, filters: Filters) -> np.ndarray:
        """Boolean column: which chunks pass every filter."""
        day = filters.as_of.toordinal()
        keep = (self._start <= day) & (day <= self._end)
        if filters.country:
            keep &= np.array([filters.country in c for c in self._countries], dtype=bool)
        if filters.segment:
            keep &= (self._segment == filters.segment) | (self._segment == "all")
        if filters.language:
            keep &= self._language == filters.language
        return keep

    def fields(self, i: int) -> dict[str, Any]:
        """Citation fields of chunk ``i`` as ``Passage`` expects them."""
        meta = self.metadatas[i]
        end = meta["effective_to"]
        # The stored text starts with the "title — section" context line; citations show the body.
        body = self.texts[i].split("\n\n", 1)[-1]
        return {
            "chunk_id": meta["chunk_id"],
            "doc_id": meta["doc_id"],
            "title": meta["title"],
            "section": meta["section"],
            "section_id": meta["section_id"],
            "version": meta["version"],
            "kind": meta["kind"],
            "language": meta["language"],
            "countries": tuple(str(meta["countries"]).split(",")),
            "segment": meta["segment"],
            "effective_from": date.fromisoformat(meta["effective_from"]),
            "effective_to": date.fromisoformat(end) if end else None,
            "plan_id": meta["plan_id"] or None,
            "text": body,
        }


def _ordinal(iso: str) -> int:
    return date.fromisoformat(iso).toordinal()
