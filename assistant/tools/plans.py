"""Plan and add-on tools: options, quotes (reads) and the two writes.

``change_plan`` and ``add_addon`` take only a quote id. The guard pauses every call for the
customer's explicit confirmation, showing the stored quote, and the quote id is the idempotency
key: applying it twice returns the same reference and changes nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from langchain.tools import ToolRuntime
from langchain_core.tools import BaseTool

from assistant.context import SessionContext
from assistant.tools.base import customer_of, declare, run_tool, tool

if TYPE_CHECKING:
    from assistant.services import Services


def make_plan_tools(services: Services) -> list[BaseTool]:
    """Build plan/add-on tools bound to these services."""
    records = services.records

    @tool(parse_docstring=True, response_format="content_and_artifact")
    def list_available_plans(runtime: ToolRuntime[SessionContext]) -> tuple[str, Any]:
        """List the plans this customer may switch to, with price and allowances.

        Each option says whether the customer is eligible and, if not, every reason why
        (not on sale, wrong segment, overdue bill, suspended line...).
        """
        return run_tool(
            "list_available_plans",
            lambda: records.eligible_plans(customer_of(runtime.context)),
        )

    @tool(parse_docstring=True, response_format="content_and_artifact")
    def quote_plan_change(
        plan_id: str, runtime: ToolRuntime[SessionContext], line_id: str | None = None
    ) -> tuple[str, Any]:
        """Quote a plan change without applying it.

        Returns the new monthly price, proration for the rest of this cycle, any
        early-termination fee, the effective date and the quote id (valid 30 minutes).

        Args:
            plan_id: Catalog id of the target plan, e.g. "GB-UNLIMITED-MAX".
            line_id: The line to change; omit for the customer's main line.
        """
        return run_tool(
            "quote_plan_change",
            lambda: records.quote_plan_change(customer_of(runtime.context), plan_id, line_id),
        )

    @tool(parse_docstring=True, response_format="content_and_artifact")
    def change_plan(quote_id: str, runtime: ToolRuntime[SessionContext]) -> tuple[str, Any]:
        """Apply a quoted plan change. The customer is asked to confirm before it runs.

        Call only after quote_plan_change, with its quote id. Returns the reference number.

        Args:
            quote_id: The id returned by quote_plan_change.
        """
        return run_tool(
            "change_plan",
            lambda: records.apply_plan_change(customer_of(runtime.context), quote_id),
        )

    @tool(parse_docstring=True, response_format="content_and_artifact")
    def list_addons(runtime: ToolRuntime[SessionContext]) -> tuple[str, Any]:
        """List the data and roaming add-ons available to this customer with prices."""
        return run_tool("list_addons", lambda: records.list_addons(customer_of(runtime.context)))

    @tool(parse_docstring=True, response_format="content_and_artifact")
    def quote_addon(
        addon_id: str, runtime: ToolRuntime[SessionContext], line_id: str | None = None
    ) -> tuple[str, Any]:
        """Quote an add-on (extra data or a roaming pass) without buying it.

        Args:
            addon_id: Catalog id of the add-on, e.g. "GB-ROAM-EU-DAY".
            line_id: The line to add it to; omit for the customer's main line.
        """
        return run_tool(
            "quote_addon",
            lambda: records.quote_addon(customer_of(runtime.context), addon_id, line_id),
        )

    @tool(parse_docstring=True, response_format="content_and_artifact")
    def add_addon(quote_id: str, runtime: ToolRuntime[SessionContext]) -> tuple[str, Any]:
        """Buy a quoted add-on. The customer is asked to confirm before it runs.

        Args:
            quote_id: The id returned by quote_addon.
        """
        return run_tool(
            "add_addon", lambda: records.apply_addon(customer_of(runtime.context), quote_id)
        )

    tools = [
        list_available_plans,
        quote_plan_change,
        change_plan,
        list_addons,
        quote_addon,
        add_addon,
    ]
    return [declare(t) for t in tools]  # reads, and two confirmed writes: the registry
