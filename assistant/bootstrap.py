"""Build the embedded defaults on first use: schema, demo data, knowledge index, models.

Called by ``Assistant()`` and ``python -m assistant up`` so a fresh checkout works with one
command; every step is a no-op when its result already exists.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from langchain_core.language_models import BaseChatModel

from assistant.providers import build_chat_model
from assistant.settings import Provider, Settings

log = logging.getLogger("assistant.bootstrap")


def offline_env() -> None:
    """Make sure no library reaches for a model hub or sends telemetry."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


def ensure_database(settings: Settings) -> None:
    """Demo profile: migrate the schema and seed the demo world when the database is empty.

    Production profile: never create or seed anything; check the database is there, migrated,
    holds customers and no demo credentials (``assistant.profile``), else ProfileError.
    """
    from assistant.records.db import make_engine, migrate
    from assistant.records.seed import is_seeded, seed

    if not settings.is_demo:
        from assistant.profile import check_production_database

        # make_engine does not connect: the check looks for a SQLite file before opening it.
        engine = make_engine(settings.resolved_database_url())
        try:
            check_production_database(settings, engine)
        finally:
            engine.dispose()
        return
    from sqlalchemy.exc import DatabaseError

    from assistant.errors import StorageError
    from assistant.profile import describe_database

    engine = make_engine(settings.resolved_database_url())
    try:
        migrate(engine)
        if not is_seeded(engine):
            log.info("seeding_demo_data")
            seed(engine, clock=settings.now)
    except DatabaseError as exc:  # e.g. "file is not a database": say which file
        raise StorageError(
            f"{describe_database(settings.resolved_database_url())} cannot be used: {exc.orig}"
        ) from exc
    finally:
        engine.dispose()


def open_knowledge(settings: Settings, embeddings: Any = None, *, build: bool = True):
    """Open the knowledge index, building it first when it does not exist yet."""
    offline_env()
    from knowledge.config import KnowledgeConfig
    from knowledge.embeddings import get_embeddings
    from knowledge.index import build_index
    from knowledge.retrieval import IndexMissing, KnowledgeBase

    # The edge: the knowledge base gets its own small config, never the application's settings.
    config = KnowledgeConfig.of(settings)
    if embeddings is None:
        from assistant.engine.vectors import EmbeddingCache

        # One cache in front of the model for the retriever and the offline engine: the
        # question a turn routes on is the query it searches with, embedded once.
        embeddings = EmbeddingCache(get_embeddings(config))
    try:
        return KnowledgeBase.open(config, embeddings=embeddings)
    except IndexMissing:
        if not build:
            raise
        log.info("building_knowledge_index")
        build_index(config, embeddings=embeddings)
        return KnowledgeBase.open(config, embeddings=embeddings)


def model_for(
    settings: Settings, provider: Provider, knowledge: Any, embeddings: Any = None
) -> BaseChatModel:
    """The chat model for ``provider``; the offline engine shares the knowledge embeddings."""

    def offline() -> BaseChatModel:
        from assistant.engine.model import OfflineEngine

        shared = embeddings or getattr(knowledge, "embeddings", None)
        if shared is None:
            from knowledge.embeddings import get_embeddings

            shared = get_embeddings(settings)
        engine = OfflineEngine(shared, today=settings.now().date())
        prepare_engine(settings, engine, knowledge)
        return engine

    return build_chat_model(settings, provider, offline_factory=offline)


def prepare_engine(settings: Settings, engine: Any, knowledge: Any) -> None:
    """Give the offline engine its routing-example and answer-sentence vectors up front.

    They are read from ``data_dir/engine-vectors.npz`` (embedding only what is new since it
    was written), so neither the first message nor a knowledge answer waits for MiniLM to
    embed fixed texts. Needs the shared ``EmbeddingCache`` and a knowledge base to read.
    """
    from assistant.engine.precomputed import FILE_NAME, prepare
    from assistant.engine.vectors import EmbeddingCache

    table = getattr(knowledge, "table", None)
    if not isinstance(engine.embeddings, EmbeddingCache) or table is None:
        return
    prepare(engine.embeddings, table.texts, settings.resolved_data_dir() / FILE_NAME)
    engine.warm()


def default_model(settings: Settings, knowledge: Any, embeddings: Any = None) -> BaseChatModel:
    """The configured chat model."""
    return model_for(settings, settings.model_provider, knowledge, embeddings)
