"""A temporary knowledge index with planted documents, for prompt injection in retrieval.

The product corpus is copied to a temporary directory together with the poisoned documents of
``eval/data/poison`` and indexed there with the product's own ``build_index``; the product
corpus and index are never touched. Vectors of unchanged chunks are taken from the product
index, so only the planted documents are embedded.
"""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from langchain_core.embeddings import Embeddings

if TYPE_CHECKING:
    from assistant.settings import Settings


class CachedEmbeddings(Embeddings):
    """Embeddings that reuse known vectors by exact text, computing only the new ones."""

    def __init__(self, inner: Embeddings, known: dict[str, list[float]]) -> None:
        self.inner = inner
        self.known = dict(known)
        # The index spec identifies embeddings by these attributes; mirror the inner model's.
        for attribute in ("provider", "model_name", "dimensions"):
            if hasattr(inner, attribute):
                setattr(self, attribute, getattr(inner, attribute))

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Known texts from the cache, the rest from the inner model."""
        missing = [t for t in dict.fromkeys(texts) if t not in self.known]
        if missing:
            self.known.update(zip(missing, self.inner.embed_documents(missing), strict=True))
        return [self.known[t] for t in texts]

    def embed_query(self, text: str) -> list[float]:
        """Queries are never cached."""
        return self.inner.embed_query(text)


def poison_documents() -> list[Path]:
    """The planted documents shipped with the harness."""
    folder = Path(str(resources.files("eval") / "data" / "poison"))
    return sorted(folder.glob("*.md"))


def _known_vectors(settings: Settings) -> dict[str, list[float]]:
    """Text -> vector of every chunk in the product index."""
    from knowledge.spec import read_spec
    from knowledge.store import collection_exists, open_client

    index_dir = settings.resolved_index_dir()
    spec = read_spec(index_dir)
    if spec is None:
        return {}
    client = open_client(settings, index_dir)
    if not collection_exists(client, spec.collection):
        return {}
    collection = client.get_collection(spec.collection, embedding_function=None)
    rows = collection.get(include=["documents", "embeddings"])
    documents = rows.get("documents") or []
    vectors = rows.get("embeddings")
    vectors = [] if vectors is None else vectors
    return {
        text: [float(x) for x in vector] for text, vector in zip(documents, vectors, strict=True)
    }


def open_poisoned_index(settings: Settings, directory: Path, embeddings: Any) -> Any:
    """Build the temporary poisoned index in ``directory`` and open it."""
    from knowledge.corpus import default_corpus_dir
    from knowledge.index import build_index
    from knowledge.retrieval import KnowledgeBase

    corpus = directory / "corpus"
    if directory.exists():
        shutil.rmtree(directory)
    corpus.mkdir(parents=True)
    for path in [*default_corpus_dir().glob("*.md"), *poison_documents()]:
        shutil.copyfile(path, corpus / path.name)
    temp = settings.model_copy(update={"index_dir": directory / "index", "chroma_host": None})
    builder = embeddings
    if isinstance(getattr(embeddings, "provider", None), str):
        builder = CachedEmbeddings(embeddings, _known_vectors(settings))
    build_index(temp, embeddings=builder, corpus_dir=corpus)
    return KnowledgeBase.open(temp, embeddings=embeddings)
