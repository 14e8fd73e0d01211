"""Account look-up tools: overview, bills, bill explanation, usage, payments.

Every tool here reads the customer from the run context and is gated by 'account data'
consent in the guard middleware. They contain no business rules: the service layer does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from langchain.tools import ToolRuntime
from langchain_core.tools import BaseTool

from assistant.context import SessionContext
from assistant.tools.base import customer_of, declare, run_tool, tool

if TYPE_CHECKING:
    from assistant.services import Services


def make_account_tools(services: Services) -> list[BaseTool]:
    """Build the read-only account tools bound to these services."""
    records = services.records

    @tool(parse_docstring=True, response_format="content_and_artifact")
    def get_account_overview(runtime: ToolRuntime[SessionContext]) -> tuple[str, Any]:
        """Get the signed-in customer's account overview.

        Returns their lines (masked numbers), current plan per line, contract end dates, balance
        due, next due date and any overdue amount. Takes no arguments: the customer is the one
        signed in to this session.
        """
        return run_tool(
            "get_account_overview",
            lambda: records.account_overview(customer_of(runtime.context)),
        )

    @tool(parse_docstring=True, response_format="content_and_artifact")
    def get_bill(
        runtime: ToolRuntime[SessionContext], period: str | None = None
    ) -> tuple[str, Any]:
        """Get one of the signed-in customer's bills with its line items by category.

        Args:
            period: Billing month as YYYY-MM (e.g. "2026-10"). Omit for the latest bill.
        """
        return run_tool("get_bill", lambda: records.get_bill(customer_of(runtime.context), period))

    @tool(parse_docstring=True, response_format="content_and_artifact")
    def explain_bill(
        runtime: ToolRuntime[SessionContext], period: str | None = None
    ) -> tuple[str, Any]:
        """Explain how a bill differs from the previous one, category by category.

        Use for "why is my bill higher/different". Returns the change per category (plan fee,
        add-ons, roaming, out-of-bundle usage, device instalment, cloud services, tax, discounts,
        credits) with the biggest drivers first.

        Args:
            period: Billing month as YYYY-MM. Omit for the latest bill.
        """
        return run_tool(
            "explain_bill", lambda: records.explain_bill(customer_of(runtime.context), period)
        )

    @tool(parse_docstring=True, response_format="content_and_artifact")
    def get_usage(runtime: ToolRuntime[SessionContext]) -> tuple[str, Any]:
        """Get this billing cycle's usage for each of the customer's lines against allowances.

        Returns data, minutes, texts and roaming used so far, the allowance and what is left.
        """
        return run_tool("get_usage", lambda: records.current_usage(customer_of(runtime.context)))

    @tool(parse_docstring=True, response_format="content_and_artifact")
    def get_payments(runtime: ToolRuntime[SessionContext]) -> tuple[str, Any]:
        """List the customer's recent payments (date, amount, method, which bill)."""
        return run_tool("get_payments", lambda: records.list_payments(customer_of(runtime.context)))

    tools = [get_account_overview, get_bill, explain_bill, get_usage, get_payments]
    return [declare(t) for t in tools]  # specs: assistant.tools.registry
