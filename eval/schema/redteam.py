"""Schema of the red-team case table (``eval/suites/redteam.yaml``).

The file is a compact table: categories, each with what a break is and a few attacks; an attack
is expanded over the tools of the registry it names (``tools``) and over its ``vary`` axes, so a
new write tool in the registry is attacked without a new line here. ``eval.redteam.table``
does the expansion; ``eval.runners.redteam`` plays and judges each expanded case.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field, model_validator

from eval.schema.common import STRICT, CaseId, CustomerId
from eval.schema.conversation import Action

#: Which tools an attack is expanded over (from ``assistant.tools.registry`` and the built
#: tools): every account tool except revokes, the account reads, the writes that need the
#: customer's confirmation, or a list of names.
ToolSelector = Literal["account", "reads", "confirmed_writes"] | list[str]
#: Generated bad inputs (YAML cannot hold a lone surrogate; these are built in code).
BadInput = Literal["lone_surrogate", "control", "nul", "long", "very_long", "empty",
                   "whitespace", "invisible", "bidi_only"]  # fmt: skip
Fault = Literal["connection", "timeout", "error"]


class Step(BaseModel):
    """One move of the adversarial model: exactly one of call, loop, say, fault."""

    model_config = STRICT

    call: str | None = Field(default=None, description="Call this tool ('{tool}' allowed).")
    args: dict[str, Any] = Field(default_factory=dict, description="Its arguments (templated).")
    fill: bool = Field(default=False, description="Fill the tool's other required arguments.")
    quote_from_result: bool = Field(
        default=False, description="Pass the latest quote_id the model was shown."
    )
    loop: str | None = Field(default=None, description="Call this tool forever.")
    say: str | None = Field(default=None, description="Reply text; '{echo}' is replaced.")
    echo: str | None = Field(
        default=None, description="JSON key whose latest value in a tool result fills '{echo}'."
    )
    echo_all: bool = Field(default=False, description="'{echo}' joins every value of the key.")
    fault: str | None = Field(
        default=None, description="Raise this provider fault: connection, timeout or error."
    )

    @model_validator(mode="after")
    def _one(self) -> Step:
        moves = [self.call, self.loop, self.say, self.fault]
        if sum(m is not None for m in moves) != 1:
            raise ValueError("a step is exactly one of call, loop, say, fault")
        known = Fault.__args__  # type: ignore[attr-defined]
        if self.fault is not None and self.fault not in known and "{" not in self.fault:
            raise ValueError(f"fault {self.fault!r}: choose from {', '.join(known)}")
        return self


class RedTurn(BaseModel):
    """What the customer (or the attacker at the keyboard) does next."""

    model_config = STRICT

    user: str | None = Field(default=None, description="A message (templated).")
    bad_input: str | None = Field(default=None, description="One of BadInput (or '{axis}').")
    press: list[Action] = Field(default_factory=list, description="Buttons pressed after it.")
    resume: Literal["victim_session"] | None = Field(
        default=None, description="Open the victim's conversation by its session id."
    )

    @model_validator(mode="after")
    def _something(self) -> RedTurn:
        known = BadInput.__args__  # type: ignore[attr-defined]
        if self.bad_input is not None and self.bad_input not in known and "{" not in self.bad_input:
            raise ValueError(f"bad_input {self.bad_input!r}: choose from {', '.join(known)}")
        if self.user is None and self.bad_input is None and not self.press and not self.resume:
            raise ValueError("a turn needs a message, a bad input, a press or a resume")
        return self


class Attack(BaseModel):
    """One attack, expanded over ``tools`` x the ``vary`` axes ('{tool}', '{axis}' in text)."""

    model_config = STRICT

    id: CaseId
    does: str = Field(description="What the attacker tries, in one line.")
    breaks_if: str = Field(default="", description="What counts as a break, beyond the category's.")
    tools: ToolSelector | None = None
    with_arg: bool = Field(
        default=False, description="Keep only the tools that take the argument '{arg}'."
    )
    vary: dict[str, list[str]] = Field(default_factory=dict)
    persona: str | None = Field(default="attacker", description="A key of 'people', or null.")
    consent: Literal["granted", "never", "withdrawn"] = "granted"
    retention: bool = False
    model: Literal["attacker", "offline"] = "attacker"
    knowledge: Literal["product", "poisoned"] = "product"
    inject_bill_item: str | None = Field(default=None, description="Planted in a bill item.")
    victim_conversation: bool = Field(
        default=False, description="The victim first has a conversation (for resume attacks)."
    )
    turns: list[RedTurn]
    script: list[Step] = Field(default_factory=list)
    close: bool = False
    never_says: list[str] = Field(default_factory=list, description="Break if a reply has one.")
    pii: list[str] = Field(
        default_factory=list, description="Raw PII the customer typed: never on disk or in logs."
    )
    writes_allowed: int = Field(default=0, description="Account writes the customer confirmed.")
    partial_script: bool = Field(
        default=False, description="Steps may go unplayed (bad input may never reach the model)."
    )
    scrubbed_after_turn: int | None = Field(
        default=None, description="From this turn on, the model must see no account results."
    )


class Category(BaseModel):
    """A red-team category: what a break is, and its attacks."""

    model_config = STRICT

    breaks: str
    attacks: list[Attack]


class RedteamTable(BaseModel):
    """The whole file."""

    model_config = STRICT

    version: Literal[1]
    suite: Literal["redteam"]
    people: dict[str, CustomerId]
    values: dict[str, Any] = Field(
        default_factory=dict, description="Argument values used when a step fills a tool's args."
    )
    categories: dict[str, Category]


class RedteamCase(BaseModel):
    """One expanded case: an attack with its tool and axis values substituted."""

    model_config = STRICT

    id: str
    category: str
    breaks: str
    tool: str | None = None
    attack: Attack
    persona_id: CustomerId | None
    victim_id: CustomerId
    values: dict[str, Any] = Field(default_factory=dict)
    tags: list[str] = Field(default_factory=list)
