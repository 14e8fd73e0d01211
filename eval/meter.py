"""Count the tokens every model call sends and receives, with tiktoken (cl100k_base).

``TokenMeter`` is a LangChain callback handler attached to the shared chat model once; it sees
the exact messages (and tool schemas) each call was given, whatever the provider. Counting is
ours, not the provider's, so the offline engine and hosted models are measured the same way;
provider-reported usage is kept alongside when the response carries it.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from typing import Any

from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage
from langchain_core.outputs import LLMResult

from assistant.tokens import count_tokens


@dataclass
class Usage:
    """Tokens of the model calls made during one step of a conversation."""

    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    reported_prompt_tokens: int = 0
    reported_completion_tokens: int = 0


def message_tokens(message: BaseMessage) -> int:
    """Tokens of one message: its text plus any tool calls it makes."""
    text = message.content if isinstance(message.content, str) else json.dumps(message.content)
    tokens = count_tokens(text)
    calls = getattr(message, "tool_calls", None)
    if calls:
        tokens += count_tokens(json.dumps(calls, sort_keys=True, default=str))
    return tokens


class TokenMeter(BaseCallbackHandler):
    """Accumulates token counts until ``take()`` hands them over and starts afresh."""

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()
        self._usage = Usage()

    def attach(self, model: BaseChatModel) -> BaseChatModel:
        """Register on ``model`` itself, so every call through any binding is counted."""
        handlers = list(model.callbacks or []) if isinstance(model.callbacks, list) else []
        if self not in handlers:
            model.callbacks = [*handlers, self]
        return model

    def on_chat_model_start(
        self, serialized: dict[str, Any], messages: list[list[BaseMessage]], **kwargs: Any
    ) -> None:
        """Count the prompt: every message plus the tool schemas the model was offered."""
        tokens = sum(message_tokens(m) for batch in messages for m in batch)
        tools = (kwargs.get("invocation_params") or {}).get("tools")
        if tools:
            tokens += count_tokens(json.dumps(tools, sort_keys=True, default=str))
        with self._lock:
            self._usage.calls += 1
            self._usage.prompt_tokens += tokens

    def on_llm_end(self, response: LLMResult, **kwargs: Any) -> None:
        """Count the completion, and keep what the provider reported, if anything."""
        completion = reported_in = reported_out = 0
        for generations in response.generations:
            for generation in generations:
                message = getattr(generation, "message", None)
                if message is None:
                    completion += count_tokens(generation.text)
                    continue
                completion += message_tokens(message)
                usage = getattr(message, "usage_metadata", None) or {}
                reported_in += int(usage.get("input_tokens", 0))
                reported_out += int(usage.get("output_tokens", 0))
        with self._lock:
            self._usage.completion_tokens += completion
            self._usage.reported_prompt_tokens += reported_in
            self._usage.reported_completion_tokens += reported_out

    def take(self) -> Usage:
        """The usage since the last ``take()``."""
        with self._lock:
            usage, self._usage = self._usage, Usage()
        return usage
