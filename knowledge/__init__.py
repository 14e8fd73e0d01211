"""The operator's documents, indexed for grounded, cited answers.

Entry points (imported lazily, so ``import knowledge`` loads neither Chroma nor a model):

* ``build_index(config, *, embeddings=None, corpus_dir=None, progress=None, rebuild=False)``
  validates ``knowledge/corpus`` and brings the Chroma index up to date incrementally.
* ``KnowledgeBase.open(config, *, embeddings=None)`` then ``.search(query, country=...,
  segment=..., language=..., as_of=..., k=5, mode="hybrid")`` returns a ``SearchResult``.
* ``config`` is a ``KnowledgeConfig`` (``knowledge.config``), or the application's settings
  it is read from. The package imports nothing of ``assistant`` and raises ``KnowledgeError``.
* ``python -m knowledge build | status | search "question"`` on the command line.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "build_index": "knowledge.index",
    "BuildReport": "knowledge.index",
    "KnowledgeBase": "knowledge.retrieval",
    "SearchResult": "knowledge.passages",
    "Passage": "knowledge.passages",
    "RetrievalConfig": "knowledge.fusion",
    "KnowledgeConfig": "knowledge.config",
    "KnowledgeError": "knowledge.errors",
    "CorpusError": "knowledge.errors",
    "IndexMissing": "knowledge.errors",
    "IndexSpecMismatch": "knowledge.errors",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    """Import an exported name on first use."""
    if name not in _EXPORTS:
        raise AttributeError(f"module 'knowledge' has no attribute {name!r}")
    return getattr(import_module(_EXPORTS[name]), name)
