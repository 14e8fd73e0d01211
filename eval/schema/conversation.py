"""The conversational suites (``tasks``, ``consent``, ``safety``): one schema, three files.

A case is a persona, an initial state (``setup``), scripted user turns with the buttons the
user presses, the gold Records calls whose replay on a fresh copy gives the expected end state,
and expectations about tool calls, facts, pauses and (for safety) the attack.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import BaseModel, Field, model_validator

from eval.schema.common import STRICT, CaseId, CustomerId, Fact, Text

#: Buttons a user can press after a reply. ``grant_consent`` allows a pending consent request,
#: or (nothing pending) grants 'account data' from the consent panel.
Action = Literal[
    "confirm",
    "decline",
    "grant_consent",
    "withdraw_consent",
    "grant_retention",
    "withdraw_retention",
]
Purpose = Literal["account_data", "transcript_retention"]
#: Tables of ``Records.snapshot()``.
Table = Literal[
    "accounts", "lines", "subscriptions", "plan_changes", "addon_purchases", "tickets",
    "consent_records", "bills", "bill_items", "payments", "payment_methods", "payment_requests",
]  # fmt: skip
AttackKind = Literal[
    "other_customer",
    "injection_user",
    "injection_passage",
    "injection_tool",
    "forged_confirmation",
    "prompt_extraction",
    "pii",
    "exfiltration",
    "discount",
    "bulk",
]


def _exactly_one(model: BaseModel, names: tuple[str, ...]) -> None:
    given = [n for n in names if getattr(model, n) is not None]
    if len(given) != 1:
        raise ValueError(f"exactly one of {', '.join(names)} must be given (got {given or 'none'})")


class PlanChangeOp(BaseModel):
    """``quote_plan_change`` then ``apply_plan_change`` with the quote's id."""

    model_config = STRICT
    plan_id: Text
    line_id: str | None = None


class AddonOp(BaseModel):
    """``quote_addon`` then ``apply_addon``."""

    model_config = STRICT
    addon_id: Text
    line_id: str | None = None


class PaymentOp(BaseModel):
    """``quote_payment`` then ``apply_payment`` with the saved method (VelaPesa in Kenya)."""

    model_config = STRICT
    period: str | None = Field(default=None, description="Bill paid; None = the whole balance.")
    amount: str | None = Field(default=None, description="Part payment; None = all owed.")


class ArrangementOp(BaseModel):
    """``quote_arrangement`` then ``apply_arrangement``: a promise to pay by ``pay_by``."""

    model_config = STRICT
    pay_by: str = Field(description="Date, YYYY-MM-DD.")


class TicketOp(BaseModel):
    """``open_ticket``; topic and summary are free text, so end states compare ticket counts."""

    model_config = STRICT
    topic: Text = "support"


class _AccountOp(BaseModel):
    """An operation on the persona's account; subclasses add their own kinds."""

    model_config = STRICT

    grant_consent: Purpose | None = None
    withdraw_consent: Purpose | None = None
    plan_change: PlanChangeOp | None = None
    addon: AddonOp | None = None
    payment: PaymentOp | None = None
    arrangement: ArrangementOp | None = None

    OPS: ClassVar[tuple[str, ...]] = (
        "grant_consent", "withdraw_consent", "plan_change", "addon", "payment", "arrangement",
    )  # fmt: skip

    @model_validator(mode="after")
    def _one_op(self) -> _AccountOp:
        _exactly_one(self, self.OPS)
        return self


class GoldOp(_AccountOp):
    """One Records call of the gold trajectory (exactly one field set)."""

    ticket: TicketOp | None = None

    OPS: ClassVar[tuple[str, ...]] = (*_AccountOp.OPS, "ticket")


class Injection(BaseModel):
    """Attacker text planted in the case's own database copy, to come back in a tool result."""

    model_config = STRICT
    into: Literal["bill_item", "customer_name"]
    text: Text


class SetupOp(_AccountOp):
    """One step of the initial state, applied before the conversation and before the replay."""

    inject: Injection | None = None
    dunning: Literal[True] | None = Field(
        default=None, description="Run the nightly dunning job (30-day non-payment suspension)."
    )

    OPS: ClassVar[tuple[str, ...]] = (*_AccountOp.OPS, "inject", "dunning")


class Turn(BaseModel):
    """A user message (optional) followed by the buttons pressed after the reply, in order."""

    model_config = STRICT

    user: Text | None = None
    actions: list[Action] = Field(default_factory=list)

    @model_validator(mode="after")
    def _not_empty(self) -> Turn:
        if self.user is None and not self.actions:
            raise ValueError("a turn needs a user message or at least one action")
        return self


class ToolExpect(BaseModel):
    """A tool call that must happen: by name, with at least these arguments."""

    model_config = STRICT

    name: Text
    args: dict[str, Any] = Field(default_factory=dict)
    outcome: Literal["ok", "error", "refused", "cancelled", "pending"] | None = None

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        return {"name": value} if isinstance(value, str) else value


class Expect(BaseModel):
    """What a conversation must (and must not) produce; unset fields are not checked."""

    model_config = STRICT

    state: Literal["gold", "any"] = Field(
        default="gold", description="'gold': the end state must equal the gold replay's."
    )
    state_ignore: list[Table] = Field(
        default_factory=list,
        description="Tables left out of the end-state comparison (e.g. tickets, when handing "
        "over to a person is an acceptable answer but not a required one).",
    )
    tools_required: list[ToolExpect] = Field(default_factory=list)
    tools_forbidden: list[Text] = Field(
        default_factory=list, description="Tools that must not run successfully (outcome ok)."
    )
    tools_allowed: list[Text] = Field(
        default_factory=list, description="Harmless extra tools (not counted against precision)."
    )
    facts: list[Fact] = Field(
        default_factory=list,
        description="Facts the assistant must state; '{reference}' is this run's write reference.",
    )
    must_not_include: list[Text] = Field(default_factory=list)
    consent_requested: bool | None = None
    confirmation_requested: bool | None = None
    account_access: bool | None = Field(
        default=None, description="Whether any account tool may run successfully."
    )
    transcript_retained: bool | None = Field(
        default=None, description="After close: whether the transcript must still exist."
    )
    declines: bool | None = Field(
        default=None, description="Whether the final reply must decline or refuse."
    )


class Attack(BaseModel):
    """What a safety case attacks (used to group attack success rates)."""

    model_config = STRICT
    kind: AttackKind
    note: str = ""


class ConversationCase(BaseModel):
    """One multi-turn conversation case."""

    model_config = STRICT

    id: CaseId
    persona: CustomerId | None = Field(description="Signed-in customer, or null for a guest.")
    language: Literal["en", "es"] = "en"
    setup: list[SetupOp] = Field(default_factory=list)
    goal: Text | None = Field(
        default=None, description="The user's goal, for the LLM user simulator (opt-in)."
    )
    turns: list[Turn] = Field(min_length=1)
    close: bool = Field(default=False, description="Close the session after the last turn.")
    gold: list[GoldOp] = Field(default_factory=list)
    expect: Expect = Field(default_factory=Expect)
    knowledge: Literal["product", "poisoned"] = Field(
        default="product", description="'poisoned': the temporary index with planted documents."
    )
    attack: Attack | None = None
    tags: list[str] = Field(default_factory=list)
    split: Literal["dev", "heldout"] | None = Field(
        default=None, description="Filled in from the file by the loader; never set per case."
    )

    @model_validator(mode="after")
    def _consistent(self) -> ConversationCase:
        if self.persona is None and (self.setup or any(g.ticket is None for g in self.gold)):
            raise ValueError("a guest case can have no setup, and only tickets as gold")
        if self.expect.transcript_retained is not None and not self.close:
            raise ValueError("expect.transcript_retained needs close: true")
        return self


class ConversationSuite(BaseModel):
    """A file ``eval/suites/{tasks,consent,safety}.yaml``."""

    model_config = STRICT

    version: Literal[1]
    suite: Literal["tasks", "consent", "safety"]
    split: Literal["dev", "heldout"] = Field(
        default="dev", description="Set per file: 'heldout' files are never tuned on."
    )
    cases: list[ConversationCase] = Field(min_length=1)

    @model_validator(mode="after")
    def _attacks_only_in_safety(self) -> ConversationSuite:
        for case in self.cases:
            if (case.attack is None) == (self.suite == "safety"):
                need = "needs" if self.suite == "safety" else "cannot have"
                raise ValueError(f"case {case.id!r}: a {self.suite} case {need} an attack")
        return self
