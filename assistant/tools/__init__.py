"""The tools the model may call. ``build_tools(services)`` returns all of them, declared."""

from __future__ import annotations

from typing import TYPE_CHECKING

from langchain_core.tools import BaseTool

from assistant.tools.account import make_account_tools
from assistant.tools.base import ToolSpec, tool_spec
from assistant.tools.consent import make_consent_tools
from assistant.tools.handoff import make_handoff_tools
from assistant.tools.knowledge import make_knowledge_tools
from assistant.tools.payments import make_payment_tools
from assistant.tools.plans import make_plan_tools
from assistant.tools.registry import TOOLS, spec_for

if TYPE_CHECKING:
    from assistant.services import Services

__all__ = ["TOOLS", "ToolSpec", "build_tools", "spec_for", "tool_spec"]


def build_tools(services: Services) -> list[BaseTool]:
    """Every tool, bound to the given services; each declares its effect and scope."""
    tools = [
        *make_knowledge_tools(services),
        *make_account_tools(services),
        *make_plan_tools(services),
        *make_payment_tools(services),
        *make_handoff_tools(services),
        *make_consent_tools(services),
    ]
    for t in tools:
        tool_spec(t)  # fail fast on an undeclared tool
    return tools
