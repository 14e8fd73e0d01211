"""Hybrid retrieval over the built index: BM25 + dense (Chroma), fused (``knowledge.fusion``).

``KnowledgeBase.open`` checks the index spec, loads the chunks the last committed build lists
(see ``knowledge.manifest``) and builds the BM25 index from those same texts, so both
retrievers always see the same chunks. ``search`` applies the metadata filters to both.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np
from langchain_core.embeddings import Embeddings

from knowledge.chunking import ChunkParams
from knowledge.confidence import confidence
from knowledge.config import KnowledgeConfig, SettingsSource
from knowledge.embeddings import get_embeddings, identify
from knowledge.errors import IndexMissing, IndexSpecMismatch, KnowledgeError
from knowledge.filters import ChunkTable, Filters
from knowledge.fusion import RetrievalConfig, convex_fusion, reciprocal_rank_fusion
from knowledge.lexical import LexicalIndex, query_language
from knowledge.manifest import Manifest, read_manifest
from knowledge.passages import Mode, Passage, SearchResult, snippet
from knowledge.spec import IndexSpec, check, read_spec
from knowledge.store import collection_exists, open_client
from knowledge.titles import TitleIndex

if TYPE_CHECKING:
    from chromadb.api.models.Collection import Collection

__all__ = ["IndexMissing", "IndexSpecMismatch", "KnowledgeBase", "Passage", "SearchResult"]

#: Passages whose query-word coverage feeds the confidence (independent of ``k``).
COVERAGE_DEPTH = 5


@dataclass(frozen=True)
class _Hit:
    index: int
    score: float
    rank: int


class KnowledgeBase:
    """A read-only view of the last completed build, searchable with filters."""

    def __init__(
        self,
        *,
        knowledge_config: KnowledgeConfig,
        embeddings: Embeddings,
        collection: Collection,
        manifest: Manifest,
        table: ChunkTable,
        config: RetrievalConfig | None = None,
    ) -> None:
        #: Where the index lives and the clock that picks the version in force.
        self.knowledge_config = knowledge_config
        self._embeddings = embeddings
        self._collection = collection
        self.manifest = manifest
        self.table = table
        self.config = config or RetrievalConfig()
        self._lexical = LexicalIndex(table.texts)
        self._titles = TitleIndex.from_metadatas(table.metadatas, kinds=self.config.title_kinds)

    @classmethod
    def open(
        cls,
        source: KnowledgeConfig | SettingsSource,
        *,
        embeddings: Embeddings | None = None,
        config: RetrievalConfig | None = None,
        chunk_params: ChunkParams | None = None,
    ) -> KnowledgeBase:
        """Open the index; ``IndexMissing`` if none was built, ``IndexSpecMismatch`` on drift.

        ``source`` is a ``KnowledgeConfig`` or the settings one is read from.
        """
        knowledge_config = KnowledgeConfig.of(source)
        index_dir = knowledge_config.index_dir
        stored = read_spec(index_dir)
        if stored is None:
            raise IndexMissing(
                f"No knowledge index at {index_dir}. Run `python -m knowledge build`."
            )
        manifest = read_manifest(index_dir)
        embeddings = embeddings or get_embeddings(knowledge_config)
        wanted = IndexSpec.current(identify(embeddings), chunk_params or ChunkParams())
        check(stored, wanted)
        client = open_client(knowledge_config, index_dir)
        if not collection_exists(client, stored.collection):
            raise IndexMissing(
                f"The index at {index_dir} has no Chroma collection {stored.collection!r}. "
                "Run `python -m knowledge build --rebuild`."
            )
        collection = client.get_collection(stored.collection, embedding_function=None)
        # On a shared server another machine may have rebuilt the collection with another spec.
        check(IndexSpec.from_metadata(collection.metadata), wanted)
        rows = collection.get(ids=manifest.record_ids, include=["documents", "metadatas"])
        if len(rows["ids"]) != len(manifest.record_ids):
            raise KnowledgeError(
                f"The index at {index_dir} lacks {len(manifest.record_ids) - len(rows['ids'])} "
                "records its manifest lists; run `python -m knowledge build` to repair it."
            )
        table = ChunkTable.from_rows(rows["ids"], rows["documents"] or [], rows["metadatas"] or [])
        return cls(
            knowledge_config=knowledge_config,
            embeddings=embeddings,
            collection=collection,
            manifest=manifest,
            table=table,
            config=config,
        )

    @property
    def embeddings(self) -> Embeddings:
        """The loaded embedding function, for callers that want to reuse the model."""
        return self._embeddings

    def search(
        self,
        query: str,
        *,
        country: str | None = None,
        segment: str | None = None,
        language: str | None = None,
        as_of: date | None = None,
        k: int = 5,
        mode: Mode = "hybrid",
        threshold: float | None = None,
    ) -> SearchResult:
        """Top ``k`` passages for ``query`` among chunks that pass the filters.

        ``as_of`` defaults to today per the config's clock, so only the version in force is
        returned. ``answerable`` compares the result's confidence with ``threshold``
        (default: ``config.threshold[mode]``).
        """
        if mode not in ("hybrid", "bm25", "dense"):
            raise KnowledgeError(f"unknown search mode {mode!r}; use hybrid, bm25 or dense")
        day = as_of or self.knowledge_config.today()
        allowed = self.table.mask(Filters(country, segment, language, day))
        tokens = self._lexical.analyze_query(query)
        bm25 = self._bm25_hits(tokens, allowed) if mode != "dense" else {}
        dense = self._dense_hits(query, allowed) if mode != "bm25" else {}
        fused = self._fuse(query, bm25, dense, mode)
        if mode == "hybrid":
            fused = self._boost_named(query, fused, allowed)
        order = sorted(fused, key=lambda i: (-fused[i], i))
        passages = [self._passage(i, query, fused[i], bm25.get(i), dense.get(i)) for i in order[:k]]
        sure = self._confidence(tokens, order[:COVERAGE_DEPTH], dense, mode)
        limit = self.config.threshold[mode] if threshold is None else threshold
        return SearchResult(
            query=query,
            mode=mode,
            as_of=day,
            passages=passages,
            answerable=bool(passages) and sure >= limit,
            confidence=sure,
        )

    def _fuse(
        self, query: str, bm25: dict[int, _Hit], dense: dict[int, _Hit], mode: Mode
    ) -> dict[int, float]:
        if mode != "hybrid":
            return {i: hit.score for i, hit in (bm25 or dense).items()}
        if self.config.fusion == "rrf":
            return reciprocal_rank_fusion([bm25, dense], k=self.config.rrf_k)
        weight = self.config.dense_weight.get(query_language(query), 0.5)
        return convex_fusion(bm25, dense, weight)

    def _boost_named(
        self, query: str, fused: dict[int, float], allowed: np.ndarray
    ) -> dict[int, float]:
        """Raise the chunks of documents the query names by title (see ``RetrievalConfig``).

        The named document's summary joins the candidates even if neither retriever found
        it, because it is where a plan sheet states its price and allowances.
        """
        named = self._titles.named_in(query)
        if not named or not fused:
            return fused
        unit = max(fused.values())
        boosted = dict(fused)
        for i in np.flatnonzero(allowed):
            meta = self.table.metadatas[i]
            if meta["doc_id"] not in named:
                continue
            is_summary = str(meta["section_id"]).endswith("#summary")
            if i not in boosted and not is_summary:
                continue
            bonus = self.config.title_bonus + (self.config.summary_bonus if is_summary else 0.0)
            boosted[int(i)] = boosted.get(int(i), 0.0) + bonus * unit
        return boosted

    def _bm25_hits(self, tokens: list[str], allowed: np.ndarray) -> dict[int, _Hit]:
        scores = np.where(allowed, self._lexical.scores(tokens), 0.0)
        order = np.argsort(-scores, kind="stable")[: self.config.depth]
        return {
            int(i): _Hit(int(i), float(scores[i]), rank)
            for rank, i in enumerate((i for i in order if scores[i] > 0), start=1)
        }

    def _dense_hits(self, query: str, allowed: np.ndarray) -> dict[int, _Hit]:
        ids = [self.table.ids[i] for i in np.flatnonzero(allowed)]
        if not ids:
            return {}
        result = self._collection.query(
            # chromadb wants list[Sequence[float] | Sequence[int]]; list is invariant.
            query_embeddings=[self._embeddings.embed_query(query)],  # type: ignore[arg-type]
            ids=ids,
            n_results=min(self.config.depth, len(ids)),
            include=["distances"],
        )
        distances = (result["distances"] or [[]])[0]
        return {
            self.table.position[rid]: _Hit(self.table.position[rid], 1.0 - dist, rank)
            for rank, (rid, dist) in enumerate(zip(result["ids"][0], distances, strict=True), 1)
        }

    def _confidence(
        self, tokens: list[str], top: list[int], dense: dict[int, _Hit], mode: Mode
    ) -> float:
        """How sure we are that the corpus covers the query, in [0, 1].

        Query-word coverage of the best-covering top passage and the dense margin of the best
        top passage over the query's candidate pool, combined by ``knowledge.confidence``.
        """
        if not top:
            return 0.0
        coverage = max(self._lexical.coverage(tokens, i) for i in top)
        similarity = max((dense[i].score for i in top if i in dense), default=0.0)
        pool = [hit.score for hit in dense.values()]
        return confidence(coverage, similarity, pool, mode)

    def _passage(
        self, i: int, query: str, score: float, bm25: _Hit | None, dense: _Hit | None
    ) -> Passage:
        fields: dict[str, Any] = self.table.fields(i)
        return Passage(
            **fields,
            snippet=snippet(fields["text"], query),
            score=score,
            bm25_score=bm25.score if bm25 else None,
            bm25_rank=bm25.rank if bm25 else None,
            dense_score=dense.score if dense else None,
            dense_rank=dense.rank if dense else None,
        )
