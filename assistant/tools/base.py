"""What every tool shares: its declared effect, the run context, and failure as a result.

A tool declares ``effect`` ("read", "write" or "revoke") and ``scope`` ("general" or
"account") in its metadata. The guard middleware enforces identity, consent and confirmation
from those two declarations, so a new tool cannot forget them: ``tool_spec`` refuses a tool
without them. A revoke withdraws a permission the customer gave: it takes effect at once,
with no confirmation and no standing consent (withdrawing must be as easy as giving).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from langchain_core.tools import BaseTool
from pydantic import BaseModel

from assistant.context import SessionContext
from assistant.errors import DomainError, NotSignedIn

log = logging.getLogger("assistant.tools")

Effect = Literal["read", "write", "revoke"]
Scope = Literal["general", "account"]


@dataclass(frozen=True)
class ToolSpec:
    """How the guard must treat a tool."""

    effect: Effect
    scope: Scope

    @property
    def needs_consent(self) -> bool:
        """Account tools run only while 'account data' consent stands (a revoke excepted)."""
        return self.scope == "account" and self.effect != "revoke"

    @property
    def needs_confirmation(self) -> bool:
        """Every write pauses for the customer's explicit confirmation."""
        return self.effect == "write"


def tool_spec(tool: BaseTool) -> ToolSpec:
    """Read a tool's declared effect and scope; a tool without them is a programming error."""
    meta = tool.metadata or {}
    if meta.get("effect") not in ("read", "write", "revoke") or meta.get("scope") not in (
        "general",
        "account",
    ):
        raise TypeError(f"tool {tool.name!r} does not declare effect and scope in its metadata")
    return ToolSpec(effect=meta["effect"], scope=meta["scope"])


def declare(tool: BaseTool, effect: Effect, scope: Scope) -> BaseTool:
    """Attach the effect/scope declaration to a tool and return it."""
    tool.metadata = {**(tool.metadata or {}), "effect": effect, "scope": scope}
    return tool


def to_jsonable(value: Any) -> Any:
    """Turn views (pydantic models), lists and dicts into JSON-ready data."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: to_jsonable(v) for k, v in value.items()}
    return value


def result(payload: Any) -> tuple[str, Any]:
    """A tool's (content, artifact): JSON for the model, structured data for the SDK."""
    data = to_jsonable(payload)
    return json.dumps(data, ensure_ascii=False, sort_keys=True), data


def run_tool(name: str, fn: Callable[[], Any]) -> tuple[str, Any]:
    """Run a tool body; a refused business rule becomes a result the model can explain."""
    try:
        return result(fn())
    except DomainError as exc:
        log.info("tool_refused", extra={"tool": name, "code": exc.code})
        return result(exc.to_dict())


def customer_of(context: SessionContext | None) -> str:
    """The signed-in customer's id from the run context; guests are refused account data."""
    if context is None or context.customer_id is None:
        raise NotSignedIn(
            "You're not signed in, so I can only give general help. Sign in to your Vela "
            "account to ask about your bills, usage or plan."
        )
    return context.customer_id
