"""Chat model providers, chosen by configuration: offline, openai, azure, openai-compatible.

The same agent graph runs on each. Retries and fallback are LangChain middleware (built in
``assistant.agent``); the clients themselves are created with retries off so the middleware
is the one place that decides.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from langchain_core.language_models import BaseChatModel
from pydantic import SecretStr

from assistant.settings import ConfigError, Provider, Settings


def build_chat_model(
    settings: Settings,
    provider: Provider | None = None,
    offline_factory: Callable[[], BaseChatModel] | None = None,
) -> BaseChatModel:
    """Create the chat model for ``provider`` (default: settings.model_provider)."""
    provider = provider or settings.model_provider
    if provider == "offline":
        if offline_factory is None:
            raise ConfigError("the offline engine needs its factory (embeddings and catalog)")
        return offline_factory()
    common: dict[str, Any] = {
        "timeout": settings.model_timeout_s,
        "max_retries": 0,
        "temperature": 0,
    }
    if provider == "openai":
        from langchain_openai import ChatOpenAI

        return ChatOpenAI(
            model=settings.model_name,
            api_key=SecretStr(settings.require("openai_api_key")),
            base_url=settings.model_base_url,
            **common,
        )
    if provider == "openai-compatible":
        from langchain_openai import ChatOpenAI

        # Local servers (vLLM, Ollama, llama.cpp) often need no key; the client insists on one.
        key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else "none"
        return ChatOpenAI(
            model=settings.model_name,
            api_key=SecretStr(key),
            base_url=settings.require("model_base_url"),
            **common,
        )
    if provider == "azure":
        from langchain_openai import AzureChatOpenAI

        return AzureChatOpenAI(
            azure_deployment=settings.model_name,
            azure_endpoint=settings.require("azure_endpoint"),
            api_key=SecretStr(settings.require("azure_api_key")),
            api_version=settings.azure_api_version,
            **common,
        )
    raise ConfigError(
        f"TELCO_MODEL_PROVIDER={provider!r} is not one of offline, openai, azure, openai-compatible"
    )
