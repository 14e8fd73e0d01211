"""Embedding selection and identity, without loading a model or touching the network."""

from __future__ import annotations

import math

import pytest
from langchain_openai import AzureOpenAIEmbeddings, OpenAIEmbeddings

from assistant.settings import ConfigError, Settings
from knowledge.embeddings import (
    HashEmbeddings,
    MiniLMEmbeddings,
    get_embeddings,
    identify,
)


def make(**fields: object) -> Settings:
    return Settings(_env_file=None, **fields)  # type: ignore[call-arg]


def test_hash_embeddings_are_deterministic_unit_vectors() -> None:
    emb = HashEmbeddings(64)
    first, second = emb.embed_documents(["Roaming day pass", "roaming DAY páss"])
    assert len(first) == 64
    assert math.isclose(sum(v * v for v in first), 1.0)
    assert first == second  # case and accents are folded
    assert emb.embed_query("Roaming day pass") == first


def test_default_is_minilm_and_loads_lazily() -> None:
    emb = get_embeddings(make())
    assert isinstance(emb, MiniLMEmbeddings)
    assert identify(emb).dimensions == 384 and identify(emb).provider == "minilm"
    assert emb.embed_documents([]) == []  # nothing to embed: the model is not loaded


def test_openai_never_asks_tiktoken_for_a_download() -> None:
    emb = get_embeddings(make(embedding_provider="openai", openai_api_key="sk-test"))
    assert isinstance(emb, OpenAIEmbeddings)
    assert emb.check_embedding_ctx_length is False
    ident = identify(emb)
    assert (ident.provider, ident.model, ident.dimensions) == (
        "openai",
        "text-embedding-3-small",
        1536,
    )


def test_azure_uses_the_deployment() -> None:
    emb = get_embeddings(
        make(
            embedding_provider="azure",
            azure_endpoint="https://example.openai.azure.com",
            azure_api_key="key",
            embedding_model="my-embeddings",
        )
    )
    assert isinstance(emb, AzureOpenAIEmbeddings)
    assert emb.check_embedding_ctx_length is False
    assert identify(emb).provider == "azure" and identify(emb).model == "my-embeddings"


def test_missing_key_names_the_variable() -> None:
    with pytest.raises(ConfigError, match="TELCO_OPENAI_API_KEY"):
        get_embeddings(make(embedding_provider="openai"))


def test_unknown_embeddings_are_identified_by_class() -> None:
    class Custom(HashEmbeddings):
        provider = None  # type: ignore[assignment]

    ident = identify(Custom())
    assert ident.provider == "custom" and ident.model.endswith("Custom")


def test_a_plain_config_needs_no_application_settings(tmp_path) -> None:
    from knowledge.config import KnowledgeConfig
    from knowledge.errors import KnowledgeError

    config = KnowledgeConfig(index_dir=tmp_path, embedding_provider="openai")
    with pytest.raises(KnowledgeError, match="openai_api_key"):
        get_embeddings(config)
    keyed = KnowledgeConfig(
        index_dir=tmp_path, embedding_provider="openai", credential=lambda name: f"sk-{name}"
    )
    assert isinstance(get_embeddings(keyed), OpenAIEmbeddings)


def test_the_config_read_from_settings_keeps_their_clock_and_places(tmp_path) -> None:
    from knowledge.config import KnowledgeConfig

    settings = make(data_dir=tmp_path, clock="2027-03-01T09:00:00+00:00", model_cache_dir="~/m")
    config = KnowledgeConfig.of(settings)
    assert config.today() == settings.now().date() and str(config.today()) == "2027-03-01"
    assert config.index_dir == settings.resolved_index_dir()
    assert config.model_cache_dir is not None and config.model_cache_dir.is_absolute()
    assert KnowledgeConfig.of(config) is config
