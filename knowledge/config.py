"""What the knowledge base needs to know, as one small typed object.

The knowledge base never imports the application (``assistant``): layers point down, and the
import contract in pyproject.toml checks it. Its entry points (``build_index``,
``KnowledgeBase.open``, ``get_embeddings``, ``open_client``) take a ``KnowledgeConfig``. The
application builds one from its settings at the edge (``assistant.bootstrap``) with
``KnowledgeConfig.of(settings)``; the entry points accept the settings object itself too and
do the same, so callers that hold settings need no extra step.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Protocol

from knowledge.errors import KnowledgeError


class SettingsSource(Protocol):
    """The settings a ``KnowledgeConfig`` is read from (``assistant.settings.Settings`` is one)."""

    @property
    def chroma_host(self) -> str | None: ...
    @property
    def chroma_port(self) -> int: ...
    @property
    def embedding_provider(self) -> str: ...
    @property
    def embedding_model(self) -> str: ...
    @property
    def model_cache_dir(self) -> Path | None: ...
    @property
    def azure_api_version(self) -> str: ...
    @property
    def model_timeout_s(self) -> float: ...
    @property
    def model_max_retries(self) -> int: ...
    def resolved_index_dir(self) -> Path: ...
    def now(self) -> datetime: ...
    def require(self, field: str) -> str: ...


def _no_credential(name: str) -> str:
    raise KnowledgeError(f"{name} is required by this embedding provider and was not given")


@dataclass(frozen=True)
class KnowledgeConfig:
    """Where the index lives, which embeddings build it, and the clock that picks versions."""

    index_dir: Path
    """Directory of the index (spec, manifest, record manager; the Chroma files when local)."""
    chroma_host: str | None = None
    """A Chroma server's host; None keeps the collection on disk in ``index_dir``."""
    chroma_port: int = 8000
    """The Chroma server's port."""
    embedding_provider: str = "minilm"
    """minilm (bundled, offline), openai or azure."""
    embedding_model: str = "text-embedding-3-small"
    """Hosted embedding model (openai) or deployment (azure); ignored for minilm."""
    model_cache_dir: Path | None = None
    """Where MiniLM's exported ONNX graph is kept; None: ``knowledge.minilm.default_cache_dir``."""
    azure_api_version: str = "2024-10-21"
    """Azure OpenAI API version."""
    timeout_s: float = 30.0
    """Per-request timeout of hosted embedding calls."""
    max_retries: int = 2
    """Retries of hosted embedding calls."""
    today: Callable[[], date] = field(default=date.today, compare=False)
    """Today's date for the version filter (the application passes its configured clock)."""
    credential: Callable[[str], str] = field(default=_no_credential, compare=False, repr=False)
    """Returns a hosted provider's credential by settings field name (``openai_api_key``,
    ``azure_endpoint``, ``azure_api_key``), or raises an error naming where to set it. Read
    only when a hosted embedding is built, and never stored here."""

    @classmethod
    def of(cls, source: KnowledgeConfig | SettingsSource) -> KnowledgeConfig:
        """The config itself, or one read from the application's settings."""
        if isinstance(source, KnowledgeConfig):
            return source
        cache = source.model_cache_dir
        return cls(
            index_dir=source.resolved_index_dir(),
            chroma_host=source.chroma_host,
            chroma_port=source.chroma_port,
            embedding_provider=source.embedding_provider,
            embedding_model=source.embedding_model,
            model_cache_dir=cache.expanduser().resolve() if cache is not None else None,
            azure_api_version=source.azure_api_version,
            timeout_s=source.model_timeout_s,
            max_retries=source.model_max_retries,
            today=lambda: source.now().date(),
            credential=source.require,
        )
