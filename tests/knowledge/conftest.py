"""Fixtures for the knowledge-base tests: a tiny corpus, isolated settings, counting embeddings."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.settings import Settings
from knowledge.embeddings import HashEmbeddings
from tests.knowledge.docs import write_tiny_corpus


class CountingEmbeddings(HashEmbeddings):
    """HashEmbeddings that remember every text they embedded, to prove what was re-embedded."""

    def __init__(self, dimensions: int = 256) -> None:
        super().__init__(dimensions)
        self.embedded: list[str] = []

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.embedded.extend(texts)
        return super().embed_documents(texts)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings whose index lives in the test's temporary directory, demo clock."""
    return Settings(data_dir=tmp_path, index_dir=tmp_path / "index", clock="demo", _env_file=None)  # type: ignore[call-arg]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A fresh copy of the tiny four-document corpus (five files: one superseded version)."""
    return write_tiny_corpus(tmp_path / "corpus")


@pytest.fixture
def embeddings() -> CountingEmbeddings:
    """Deterministic, fast, counting embeddings."""
    return CountingEmbeddings()
