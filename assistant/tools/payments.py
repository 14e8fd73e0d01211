"""Payment tools: what is owed, payment and promise quotes (reads) and the three writes.

Like plan changes, a payment is quoted first and applied by quote id: the guard pauses every
write for the customer's explicit confirmation, showing the stored quote, and the quote id is
the idempotency key. The customer is always the one signed in (run context); no tool takes a
card number, and none can pay a bill of another account.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from langchain.tools import ToolRuntime
from langchain_core.tools import BaseTool

from assistant.context import SessionContext
from assistant.tools.base import customer_of, declare, run_tool, tool

if TYPE_CHECKING:
    from assistant.services import Services


def make_payment_tools(services: Services) -> list[BaseTool]:
    """Build the payment tools bound to these services."""
    records = services.records

    @tool(parse_docstring=True, response_format="content_and_artifact")
    def get_amount_owed(runtime: ToolRuntime[SessionContext]) -> tuple[str, Any]:
        """Get what the signed-in customer owes, overdue bills first.

        Use for "what do I owe", "pay my bill" or an overdue or suspended account. Each bill
        with a balance has its due date, days overdue, and the dates the payments policy sets
        for the late payment fee and for suspending service. Also returns the saved payment
        methods (last 4 digits only), lines suspended for non-payment, and any open promise to
        pay.
        """
        return run_tool(
            "get_amount_owed", lambda: records.amount_owed(customer_of(runtime.context))
        )

    @tool(parse_docstring=True, response_format="content_and_artifact")
    def quote_payment(
        runtime: ToolRuntime[SessionContext],
        period: str | None = None,
        amount: str | None = None,
        method_id: str | None = None,
    ) -> tuple[str, Any]:
        """Price a payment with a saved payment method without taking it.

        Returns the quote id (valid 30 minutes), what is paid on which bill, the method, and
        whether it reconnects a line suspended for non-payment. A "velapesa" quote is sent with
        request_velapesa_payment; any other with pay_bill.

        Args:
            period: Bill to pay as YYYY-MM (e.g. "2026-09"). Omit to pay the whole balance,
                oldest bill first.
            amount: Amount to pay with at most two decimals, e.g. "12.00". Omit to pay all
                that is owed.
            method_id: A saved method id from get_amount_owed. Omit for the default method.
        """
        return run_tool(
            "quote_payment",
            lambda: records.quote_payment(customer_of(runtime.context), period, amount, method_id),
        )

    @tool(parse_docstring=True, response_format="content_and_artifact")
    def pay_bill(quote_id: str, runtime: ToolRuntime[SessionContext]) -> tuple[str, Any]:
        """Pay a quoted payment with the saved card or Direct Debit. The customer confirms first.

        Call only after quote_payment. Returns the PY- reference, what is still owed and any
        line reconnected.

        Args:
            quote_id: The id returned by quote_payment.
        """
        return run_tool(
            "pay_bill", lambda: records.apply_payment(customer_of(runtime.context), quote_id)
        )

    @tool(parse_docstring=True, response_format="content_and_artifact")
    def request_velapesa_payment(
        quote_id: str, runtime: ToolRuntime[SessionContext]
    ) -> tuple[str, Any]:
        """Send a quoted VelaPesa payment request to the customer's phone (Kenya).

        The customer confirms here first, then approves the request on their phone with their
        VelaPesa PIN; once approved the bill is paid. Returns the VP- reference.

        Args:
            quote_id: The id of a "velapesa" quote returned by quote_payment.
        """
        return run_tool(
            "request_velapesa_payment",
            lambda: records.request_velapesa_payment(customer_of(runtime.context), quote_id),
        )

    @tool(parse_docstring=True, response_format="content_and_artifact")
    def quote_payment_arrangement(
        pay_by: str, runtime: ToolRuntime[SessionContext]
    ) -> tuple[str, Any]:
        """Quote a promise to pay everything overdue by a date, without agreeing it yet.

        The payments policy allows a date at most 14 days from today and one open promise at a
        time; a later date or instalments need a person.

        Args:
            pay_by: The date the customer will pay by, as YYYY-MM-DD.
        """
        return run_tool(
            "quote_payment_arrangement",
            lambda: records.quote_arrangement(customer_of(runtime.context), pay_by),
        )

    @tool(parse_docstring=True, response_format="content_and_artifact")
    def set_up_payment_arrangement(
        quote_id: str, runtime: ToolRuntime[SessionContext]
    ) -> tuple[str, Any]:
        """Agree a quoted promise to pay. The customer is asked to confirm before it runs.

        Returns the PA- reference.

        Args:
            quote_id: The id returned by quote_payment_arrangement.
        """
        return run_tool(
            "set_up_payment_arrangement",
            lambda: records.apply_arrangement(customer_of(runtime.context), quote_id),
        )

    reads = [get_amount_owed, quote_payment, quote_payment_arrangement]
    writes = [pay_bill, request_velapesa_payment, set_up_payment_arrangement]
    return [declare(t, "read", "account") for t in reads] + [
        declare(t, "write", "account") for t in writes
    ]
