"""Withdrawing consent by saying so, as each purpose's notice promises.

Granting needs the customer's own press of Allow (the SDK's consent pause); nothing typed in
the chat can grant. Withdrawing is the opposite: it must be as easy as giving, so the model
may do it when the customer asks, for the signed-in customer only (identity comes from the
session), with no confirmation and no standing consent needed. Declared ``effect="revoke"``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from langchain.tools import ToolRuntime
from langchain_core.tools import BaseTool

from assistant.context import SessionContext
from assistant.tools.base import customer_of, declare, run_tool, tool

if TYPE_CHECKING:
    from assistant.services import Services


def make_consent_tools(services: Services) -> list[BaseTool]:
    """Build the consent-withdrawal tool."""
    records = services.records

    @tool(parse_docstring=True, response_format="content_and_artifact")
    def withdraw_consent(
        runtime: ToolRuntime[SessionContext],
        purpose: Literal["account_data", "transcript_retention"] = "account_data",
    ) -> tuple[str, Any]:
        """Withdraw a permission the signed-in customer gave, at once, when they ask for it.

        Only when the customer says they want to withdraw or stop a permission, never on your
        own initiative. It cannot grant anything. After it, account tools ask again.

        Args:
            purpose: "account_data" (using their account data in this chat) or
                "transcript_retention" (keeping the chat transcript).
        """
        channel = runtime.context.channel if runtime.context else "sdk"
        return run_tool(
            "withdraw_consent",
            lambda: records.withdraw_consent(customer_of(runtime.context), purpose, channel),
        )

    return [declare(withdraw_consent)]  # revoke, account: assistant.tools.registry
