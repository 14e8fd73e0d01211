"""What every tool shares: its declared spec, the run context, and failure as a result.

A tool declares ``effect`` ("read", "write" or "revoke"), ``scope`` ("general" or "account")
and, optionally, ``approval`` in its metadata (``declare``); built-in tools take theirs from the
one registry (``assistant.tools.registry``). The guard middleware enforces identity, consent and
confirmation from the spec, so a new tool cannot forget them: ``tool_spec`` refuses a tool
without one. A revoke withdraws a permission the customer gave: it takes effect at once, with no
confirmation and no standing consent (withdrawing must be as easy as giving).

Every result travels as a typed envelope (``assistant.contracts.ToolResult``) with an explicit
outcome; ``result`` and ``run_tool`` build it.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from types import CodeType
from typing import Any

from langchain_core.tools import BaseTool
from langchain_core.tools import tool as langchain_tool
from pydantic import BaseModel

from assistant.context import SessionContext
from assistant.contracts import Outcome, ToolResult
from assistant.errors import DomainError, NotSignedIn
from assistant.tools.registry import TOOLS, Approval, Effect, Scope, ToolSpec

log = logging.getLogger("assistant.tools")

__all__ = ["Effect", "Scope", "ToolSpec", "declare", "result", "run_tool", "tool", "tool_spec"]

#: Argument schemas by tool function body. Tools are closures over one Assistant's services, so
#: each Assistant builds them anew; the schema (pydantic, from the signature and docstring) is
#: most of that cost and the same every time, so it is built once per process.
_SCHEMAS: dict[CodeType, Any] = {}


def tool(**options: Any) -> Callable[[Callable[..., Any]], BaseTool]:
    """LangChain's ``@tool(**options)``, with the argument schema built once per function body.

    The tool the model sees is the same (``tests/agent/test_tool_contract.py`` checks it); an
    Assistant per conversation or per eval case then costs milliseconds instead of a second.
    """

    def build(func: Callable[..., Any]) -> BaseTool:
        cached = _SCHEMAS.get(func.__code__)
        built = langchain_tool(**options, args_schema=cached)(func)
        if cached is None:
            _SCHEMAS[func.__code__] = built.args_schema
        return built

    return build


def tool_spec(tool: BaseTool) -> ToolSpec:
    """Read a tool's declared spec; a tool without effect and scope is a programming error."""
    meta = tool.metadata or {}
    if meta.get("effect") not in ("read", "write", "revoke") or meta.get("scope") not in (
        "general",
        "account",
    ):
        raise TypeError(f"tool {tool.name!r} does not declare effect and scope in its metadata")
    registered = TOOLS.get(tool.name)
    if registered is not None:
        return registered
    return ToolSpec(effect=meta["effect"], scope=meta["scope"], approval=meta.get("approval"))


def declare(
    tool: BaseTool,
    effect: Effect | None = None,
    scope: Scope | None = None,
    *,
    approval: Approval | None = None,
) -> BaseTool:
    """Attach the effect/scope(/approval) declaration to a tool and return it.

    A tool listed in the registry may omit them (the registry's are used) and may not
    contradict them: the registry is the one place a built-in tool's spec is written.
    """
    registered = TOOLS.get(tool.name)
    if registered is not None:
        given = {"effect": effect, "scope": scope, "approval": approval}
        clash = [k for k, v in given.items() if v is not None and v != getattr(registered, k)]
        if clash:
            raise TypeError(f"tool {tool.name!r}: {clash} contradict the tool registry")
        effect, scope, approval = registered.effect, registered.scope, registered.approval
    if effect is None or scope is None:
        raise TypeError(f"tool {tool.name!r} is not in the registry: declare effect and scope")
    spec = ToolSpec(effect=effect, scope=scope, approval=approval)
    tool.metadata = {
        **(tool.metadata or {}),
        "effect": spec.effect,
        "scope": spec.scope,
        "approval": spec.approval,
    }
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


def result(
    payload: Any, outcome: Outcome | None = None, code: str | None = None
) -> tuple[str, Any]:
    """A tool's (content, artifact): the payload as JSON for the model, and the typed envelope
    (``ToolResult``, as plain data) for the SDK, guard, eval and verifier.

    Without ``outcome`` the payload's own shape decides, as it always did: a dict with an
    ``error`` key is an error, ``status: cancelled`` a cancellation, anything else ok.
    """
    data = to_jsonable(payload)
    envelope = (
        ToolResult.of_payload(data)
        if outcome is None
        else ToolResult(outcome=outcome, data=data, code=code)
    )
    return json.dumps(data, ensure_ascii=False, sort_keys=True), envelope.artifact()


def run_tool(name: str, fn: Callable[[], Any]) -> tuple[str, Any]:
    """Run a tool body; a refused business rule becomes a result the model can explain."""
    try:
        return result(fn(), outcome="ok")
    except DomainError as exc:
        log.info("tool_refused", extra={"tool": name, "code": exc.code})
        return result(exc.to_dict(), outcome="error", code=exc.code)


def customer_of(context: SessionContext | None) -> str:
    """The signed-in customer's id from the run context; guests are refused account data."""
    if context is None or context.customer_id is None:
        raise NotSignedIn(
            "You're not signed in, so I can only give general help. Sign in to your Vela "
            "account to ask about your bills, usage or plan."
        )
    return context.customer_id
