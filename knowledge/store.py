"""The Chroma side of the index: the client, the collection, and a thin LangChain VectorStore.

We wrap the chromadb 1.5 collection ourselves instead of depending on ``langchain-chroma``:
the indexing API only needs ``add_documents`` and ``delete``, and retrieval talks to the
collection directly (``ids=`` restriction, raw distances), so the adapter stays ~100 lines.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_core.vectorstores import VectorStore

from knowledge.config import KnowledgeConfig, SettingsSource
from knowledge.errors import KnowledgeError

if TYPE_CHECKING:
    from chromadb.api import ClientAPI
    from chromadb.api.models.Collection import Collection

CHROMA_SUBDIR = "chroma"


def open_client(source: KnowledgeConfig | SettingsSource, index_dir: Path) -> ClientAPI:
    """A Chroma client: HTTP when ``chroma_host`` is configured, else on disk in ``index_dir``.

    Raises ``KnowledgeError`` naming the server when it does not answer.
    """
    config = KnowledgeConfig.of(source)
    import chromadb  # deferred: importing chromadb costs ~1 s
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if config.chroma_host:
        try:
            return chromadb.HttpClient(
                host=config.chroma_host, port=config.chroma_port, settings=chroma_settings
            )
        except ValueError as exc:  # chromadb's "Could not connect to a Chroma server"
            raise KnowledgeError(
                f"Cannot use the Chroma server at {config.chroma_host}:{config.chroma_port} "
                f"(TELCO_CHROMA_HOST, TELCO_CHROMA_PORT): {exc}"
            ) from exc
    return chromadb.PersistentClient(path=str(index_dir / CHROMA_SUBDIR), settings=chroma_settings)


def open_collection(
    client: ClientAPI, name: str, metadata: dict[str, Any] | None = None
) -> Collection:
    """Get or create the cosine-distance collection; we always pass vectors ourselves."""
    return client.get_or_create_collection(
        name,
        configuration={"hnsw": {"space": "cosine"}},
        metadata=metadata,
        embedding_function=None,
    )


def collection_exists(client: ClientAPI, name: str) -> bool:
    """Whether the collection has been created."""
    return name in {c.name for c in client.list_collections()}


class ChromaStore(VectorStore):
    """Minimal VectorStore over a Chroma collection, for LangChain's indexing API."""

    def __init__(self, collection: Collection, embeddings: Embeddings, batch_size: int = 256):
        self.collection = collection
        self._embeddings = embeddings
        self.batch_size = batch_size

    @property
    def embeddings(self) -> Embeddings:
        """The embedding function vectors are computed with."""
        return self._embeddings

    def add_texts(
        self,
        texts: Iterable[str],
        metadatas: list[dict] | None = None,
        *,
        ids: list[str] | None = None,
        **kwargs: Any,
    ) -> list[str]:
        """Embed and upsert; upserting by deterministic id makes a retry idempotent."""
        texts = list(texts)
        if ids is None or len(ids) != len(texts):
            raise ValueError("ChromaStore needs one id per text (the indexing API provides them)")
        metadatas = metadatas or [{} for _ in texts]
        for start in range(0, len(texts), self.batch_size):
            end = start + self.batch_size
            vectors = self._embeddings.embed_documents(texts[start:end])
            # chromadb types these as invariant lists of its own unions; ours hold valid values.
            self.collection.upsert(
                ids=ids[start:end],
                documents=texts[start:end],
                metadatas=metadatas[start:end],  # type: ignore[arg-type]
                embeddings=vectors,  # type: ignore[arg-type]
            )
        return ids

    def delete(self, ids: list[str] | None = None, **kwargs: Any) -> bool | None:
        """Delete records by id (missing ids are ignored)."""
        if ids:
            for start in range(0, len(ids), self.batch_size):
                self.collection.delete(ids=ids[start : start + self.batch_size])
        return True

    def similarity_search(self, query: str, k: int = 4, **kwargs: Any) -> list[Document]:
        """Plain dense search (retrieval uses ``KnowledgeBase.search``; this is for LangChain)."""
        result = self.collection.query(
            # chromadb wants list[Sequence[float] | Sequence[int]]; list is invariant.
            query_embeddings=[self._embeddings.embed_query(query)],  # type: ignore[arg-type]
            n_results=k,
            include=["documents", "metadatas"],
        )
        return [
            Document(id=i, page_content=text or "", metadata=dict(meta or {}))
            for i, text, meta in zip(
                result["ids"][0],
                (result["documents"] or [[]])[0],
                (result["metadatas"] or [[]])[0],
                strict=True,
            )
        ]

    @classmethod
    def from_texts(
        cls,
        texts: list[str],
        embedding: Embeddings,
        metadatas: list[dict] | None = None,
        *,
        ids: Sequence[str] | None = None,
        **kwargs: Any,
    ) -> ChromaStore:
        """Not supported: build the index with ``knowledge.index.build_index``."""
        raise NotImplementedError("use knowledge.index.build_index to create the index")
