"""``OfflineEngine``: a deterministic LangChain chat model with tool calling, no network.

The agent drives it exactly like an LLM: it receives the conversation (system prompt, human
messages, its own earlier tool calls, JSON tool results) and returns an ``AIMessage`` that
is either tool calls or the final answer. Same conversation in, same message out: tool-call
and message ids are hashes of the conversation.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.embeddings import Embeddings
from langchain_core.language_models import BaseChatModel, LanguageModelInput
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage, ToolCallChunk
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from langchain_core.runnables import Runnable
from langchain_core.tools import BaseTool
from pydantic import ConfigDict, PrivateAttr

from assistant.engine.actions import Call, Hints
from assistant.engine.catalog import Catalog, load_catalog
from assistant.engine.history import message_text, read_conversation
from assistant.engine.policy import Policy
from assistant.engine.router import IntentRouter
from assistant.engine.understand import Understander
from assistant.engine.vectors import EmbeddingCache
from assistant.session_note import parse as parse_session

MODEL_NAME = "vela-offline"


def tool_name(tool: Any) -> str:
    """The name of a tool given as a BaseTool, an OpenAI-style dict, a function or a class."""
    if isinstance(tool, BaseTool):
        return tool.name
    if isinstance(tool, dict):
        return str(tool.get("name") or (tool.get("function") or {}).get("name") or "")
    return str(getattr(tool, "name", None) or getattr(tool, "__name__", ""))


def _fingerprint(messages: Sequence[BaseMessage]) -> str:
    """A stable hash of the conversation (text, tool calls and tool-call ids)."""
    digest = hashlib.sha256()
    for m in messages:
        # Text goes in as it is (JSON-escaping kilobytes of tool results on every call was
        # the cost); only tool calls, whose arguments are dicts, need a canonical form.
        digest.update(f"{m.type}\x1f{getattr(m, 'tool_call_id', None)}\x1f".encode())
        digest.update(message_text(m).encode())
        calls = getattr(m, "tool_calls", None)
        if calls:
            record = [(c["name"], c.get("args"), c.get("id")) for c in calls]
            digest.update(json.dumps(record, sort_keys=True, default=str).encode())
        digest.update(b"\x1e")
    return digest.hexdigest()


def _word_groups(text: str, size: int = 4) -> list[str]:
    """``text`` cut after every ``size`` words, whitespace kept, so the parts join back exactly."""
    parts = re.findall(r"\S+\s*", text)
    groups = ["".join(parts[i:i + size]) for i in range(0, len(parts), size)]
    lead = text[: len(text) - len(text.lstrip())]
    return [lead + groups[0], *groups[1:]] if groups else [text]


def _hints(messages: Sequence[BaseMessage]) -> Hints:
    """Country, segment, language and sign-in state, from the system prompt's session line:
    the engine learns them as any model does, not from the run context."""
    for message in messages:
        if message.type == "system":
            note = parse_session(message_text(message))
            if note is not None:
                return Hints(country=note.country, segment=note.segment,
                             language=note.language, signed_in=note.signed_in)
    return Hints()


class OfflineEngine(BaseChatModel):
    """Deterministic offline chat model: intent routing, slot filling, extractive answers.

    Args:
        embeddings: The MiniLM embeddings (the same instance the knowledge base uses).
        catalog: Plans and add-ons as dicts (``load_catalog()``; loaded when omitted).
        today: The date relative periods ("last month") are resolved against; when omitted
            it is inferred from the latest bill in the conversation, else the system date.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    embeddings: Embeddings
    catalog: list[dict[str, Any]]
    today: date | None = None
    _policy: Policy | None = PrivateAttr(default=None)
    _router: IntentRouter | None = PrivateAttr(default=None)
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

    def __init__(
        self,
        embeddings: Embeddings,
        catalog: list[dict[str, Any]] | None = None,
        *,
        today: date | None = None,
        **kwargs: Any,
    ) -> None:
        # BaseChatModel's typed __init__ lists only its own fields; pydantic accepts ours too.
        super().__init__(  # type: ignore[call-arg]
            embeddings=embeddings,
            catalog=catalog if catalog is not None else load_catalog(),
            today=today,
            **kwargs,
        )

    @property
    def _llm_type(self) -> str:
        return MODEL_NAME

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"model_name": MODEL_NAME}

    def policy(self) -> Policy:
        """The decision policy, built on first use."""
        with self._lock:
            if self._policy is None:
                cache = (self.embeddings if isinstance(self.embeddings, EmbeddingCache)
                         else EmbeddingCache(self.embeddings))
                self._router = IntentRouter(self.embeddings, cache)
                catalog = Catalog(self.catalog)
                self._policy = Policy(Understander(self._router, catalog), catalog,
                                      cache.documents, today=self.today)
            return self._policy

    def warm(self) -> None:
        """Load the intent model now, so the first customer message is fast."""
        self.policy()
        if self._router is not None:
            self._router.warm()

    def bind_tools(
        self,
        tools: Sequence[dict[str, Any] | type | Callable[..., Any] | BaseTool],
        *,
        tool_choice: str | None = None,
        **kwargs: Any,
    ) -> Runnable[LanguageModelInput, AIMessage]:
        """Record the names of the tools the agent offers; choice/parallel flags are ignored."""
        del tool_choice, kwargs  # the engine always picks at most one tool itself
        return self.bind(tool_names=[tool_name(t) for t in tools])

    def _decide(self, messages: list[BaseMessage], kwargs: dict[str, Any]) -> tuple[Any, str]:
        names = kwargs.get("tool_names")
        tools = set(names) if names is not None else None
        action = self.policy().decide(read_conversation(messages), tools, _hints(messages))
        return action, _fingerprint(messages)

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        action, key = self._decide(messages, kwargs)
        meta = {"model_name": MODEL_NAME}
        if isinstance(action, Call):
            call = {"name": action.name, "args": action.args, "id": f"call_{key[:24]}",
                    "type": "tool_call"}
            message = AIMessage(content="", tool_calls=[call], id=f"offline-{key[:32]}",
                                response_metadata=meta)
        else:
            message = AIMessage(content=action.text, id=f"offline-{key[:32]}",
                                response_metadata=meta)
        return ChatResult(generations=[ChatGeneration(message=message)])

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        """The same message as ``_generate``, text in groups of a few words (for live UIs)."""
        action, key = self._decide(messages, kwargs)
        ident = f"offline-{key[:32]}"
        if isinstance(action, Call):
            chunk = ToolCallChunk(
                name=action.name,
                args=json.dumps(action.args),
                id=f"call_{key[:24]}",
                index=0,
                type="tool_call_chunk",
            )
            pieces = [AIMessageChunk(content="", tool_call_chunks=[chunk], id=ident)]
        else:
            pieces = [AIMessageChunk(content=part, id=ident) for part in _word_groups(action.text)]
        pieces.append(AIMessageChunk(content="", id=ident, chunk_position="last",
                                     response_metadata={"model_name": MODEL_NAME}))
        for piece in pieces:
            if run_manager is not None and piece.content:
                run_manager.on_llm_new_token(str(piece.content), chunk=ChatGenerationChunk(
                    message=piece))
            yield ChatGenerationChunk(message=piece)
