"""Hand-off to a human: opens a support ticket and returns its reference.

It is available to guests too and needs no consent: asking for a person must always work.
It writes a ticket (with an audit event, by the service layer) but changes nothing on the
account, so the registry declares it honestly as a general write that needs no confirmation
(``effect="write", approval="none"``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from langchain.tools import ToolRuntime
from langchain_core.tools import BaseTool

from assistant.context import SessionContext
from assistant.tools.base import declare, run_tool, tool

if TYPE_CHECKING:
    from assistant.services import Services


def make_handoff_tools(services: Services) -> list[BaseTool]:
    """Build the human hand-off tool."""
    records = services.records

    @tool(parse_docstring=True, response_format="content_and_artifact")
    def hand_off_to_human(
        topic: str, summary: str, runtime: ToolRuntime[SessionContext]
    ) -> tuple[str, Any]:
        """Hand the conversation to a human agent by opening a support ticket.

        Use when the customer asks for a person, when they want a complaint, discount, credit or
        refund, or when you cannot help. Tell the customer the ticket reference.

        Args:
            topic: Short topic, e.g. "complaint", "billing dispute", "fraud".
            summary: One or two sentences on what the customer needs; no card numbers or passwords.
        """
        context = runtime.context
        customer_id = context.customer_id if context else None
        return run_tool(
            "hand_off_to_human", lambda: records.open_ticket(customer_id, topic, summary)
        )

    return [declare(hand_off_to_human)]  # write, no confirmation: assistant.tools.registry
