"""The one tool registry: what each tool does, what it needs, and how the customer sees it.

The guard (consent and confirmation), the UI's activity labels, the eval's violation and
ownership checks and the reply verifier all read a tool's ``ToolSpec`` from here instead of
keeping their own lists. A tool built elsewhere (``declare(tool, effect, scope)``) that is not
listed here still works: its spec comes from its declaration, with a neutral label.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Effect = Literal["read", "write", "revoke"]
Scope = Literal["general", "account"]
Approval = Literal["none", "confirm"]
#: Actions a reply may claim; the verifier accepts a claim only when a tool of the turn that
#: ``backs`` it ended 'ok' (see ``assistant.verify``).
Claim = Literal[
    "plan_changed", "addon_added", "paid", "blocked", "ticket_opened",
    "consent_withdrawn", "consent_granted", "cancelled",
]  # fmt: skip

#: Argument names that would let a model choose whose data is touched (identity comes only
#: from the session). The guard refuses them; the eval counts one honoured as a violation.
IDENTITY_ARGS = frozenset(
    {"customer_id", "customer", "account_id", "account", "user_id", "msisdn", "phone", "email"}
)


class ToolSpec(BaseModel):
    """How the guard must treat a tool, and how it is shown.

    ``effect``: read, write (changes something) or revoke (withdraws a permission: at once, no
    confirmation, no standing consent). ``scope``: general or account (needs a signed-in
    customer and 'account data' consent). ``approval``: "confirm" pauses every call for the
    customer's explicit confirmation of a stored quote; unset, a write needs it and nothing
    else does. The hand-off writes a ticket without confirmation: asking for a person must
    always work, so it is declared ``effect="write", approval="none"``.
    """

    model_config = ConfigDict(frozen=True)

    effect: Effect
    scope: Scope
    approval: Approval | None = Field(
        default=None, description="Unset: 'confirm' for a write, 'none' otherwise."
    )
    done: str = Field(default="", description="UI label once it ran; '{detail}' filled in.")
    todo: str = Field(default="", description="UI label for what it is about to do.")
    backs: frozenset[Claim] = Field(
        default=frozenset(), description="Claims a reply may make when this tool ended 'ok'."
    )

    @model_validator(mode="after")
    def _defaults(self) -> ToolSpec:
        if self.approval is None:
            object.__setattr__(self, "approval", "confirm" if self.effect == "write" else "none")
        return self

    @property
    def needs_consent(self) -> bool:
        """Account tools run only while 'account data' consent stands (a revoke excepted)."""
        return self.scope == "account" and self.effect != "revoke"

    @property
    def needs_confirmation(self) -> bool:
        """The call pauses for the customer's explicit confirmation."""
        return self.approval == "confirm"


def _read(scope: Scope, done: str, todo: str) -> ToolSpec:
    return ToolSpec(effect="read", scope=scope, done=done, todo=todo)


#: Every built-in tool.
TOOLS: dict[str, ToolSpec] = {
    "search_knowledge": _read(
        "general", "Searched Vela's documents{detail}", "search Vela's documents{detail}"
    ),
    "get_account_overview": _read("account", "Looked up your account", "look up your account"),
    "get_bill": _read("account", "Looked up your bill{detail}", "look up your bill{detail}"),
    "explain_bill": _read(
        "account",
        "Compared your bill{detail} with the one before",
        "compare your bill{detail} with the one before",
    ),
    "get_usage": _read("account", "Checked your usage this month", "check your usage this month"),
    "get_payments": _read("account", "Looked up your payments", "look up your payments"),
    "list_available_plans": _read(
        "account", "Checked which plans you can move to", "check which plans you can move to"
    ),
    "quote_plan_change": _read("account", "Priced a move{detail}", "price a move{detail}"),
    "list_addons": _read(
        "account", "Listed the add-ons you can buy", "list the add-ons you can buy"
    ),
    "quote_addon": _read("account", "Priced an add-on{detail}", "price an add-on{detail}"),
    "change_plan": ToolSpec(
        effect="write",
        scope="account",
        approval="confirm",
        done="Changed your plan{detail}",
        todo="change your plan{detail}",
        backs=frozenset({"plan_changed"}),
    ),
    "add_addon": ToolSpec(
        effect="write",
        scope="account",
        approval="confirm",
        done="Added an add-on{detail}",
        todo="add an add-on{detail}",
        backs=frozenset({"addon_added"}),
    ),
    "get_amount_owed": _read("account", "Checked what you owe", "check what you owe"),
    "quote_payment": _read("account", "Priced a payment{detail}", "price a payment{detail}"),
    "quote_payment_arrangement": _read(
        "account", "Priced a promise to pay{detail}", "price a promise to pay{detail}"
    ),
    "pay_bill": ToolSpec(
        effect="write",
        scope="account",
        approval="confirm",
        done="Paid your bill{detail}",
        todo="pay your bill{detail}",
        backs=frozenset({"paid"}),
    ),
    "request_velapesa_payment": ToolSpec(
        effect="write",
        scope="account",
        approval="confirm",
        done="Sent a VelaPesa request to your phone{detail}",
        todo="send a VelaPesa request to your phone{detail}",
        backs=frozenset({"paid"}),
    ),
    "set_up_payment_arrangement": ToolSpec(
        effect="write",
        scope="account",
        approval="confirm",
        done="Set up your promise to pay{detail}",
        todo="set up your promise to pay{detail}",
    ),
    "hand_off_to_human": ToolSpec(
        effect="write",
        scope="general",
        approval="none",
        done="Opened a ticket for a person",
        todo="open a ticket for a person",
        backs=frozenset({"ticket_opened"}),
    ),
    "withdraw_consent": ToolSpec(
        effect="revoke",
        scope="account",
        done="Withdrew your permission, as you asked",
        todo="withdraw your permission",
        backs=frozenset({"consent_withdrawn"}),
    ),
}


def spec_for(name: str) -> ToolSpec | None:
    """The registered spec of a built-in tool, or None for a tool not listed here."""
    return TOOLS.get(name)


def label(name: str, spec: ToolSpec | None = None) -> tuple[str, str]:
    """(done, todo) UI labels for a tool; a tool without labels is shown by its name."""
    spec = spec or TOOLS.get(name)
    if spec is None or not spec.done:
        return f"Used {name}", f"use {name}"
    return spec.done, spec.todo
