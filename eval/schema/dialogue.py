"""The ``dialogues`` suite: multi-turn conversations with expectations on every turn.

A sibling of ``conversation.py``: the same personas, setup operations and buttons, but each
turn carries its own ``expect`` and a ``context`` flag for turns that only make sense after
the earlier ones ("and in the US?", "no, I meant October"). A scenario passes only when every
turn passes. Files: ``eval/suites/dialogues/{dev,heldout}.yaml``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, model_validator

from eval.schema.common import STRICT, CaseId, CustomerId, DocId, Fact, Text
from eval.schema.conversation import Action, SetupOp, ToolExpect


class TurnExpect(BaseModel):
    """What one turn (a message and the buttons pressed after it) must produce."""

    model_config = STRICT

    tools_any: list[ToolExpect] = Field(
        default_factory=list,
        description="At least one of these tools called this turn (with at least these args).",
    )
    tools_forbidden: list[Text] = Field(
        default_factory=list,
        description="Tools that must not run successfully (outcome ok) this turn; a declined "
        "change comes back as a cancelled call, which is fine.",
    )
    cites_any: list[DocId] = Field(
        default_factory=list, description="At least one of these documents cited this turn."
    )
    no_citations: bool = Field(default=False, description="The turn cites nothing.")
    facts: list[Fact] = Field(
        default_factory=list,
        description="Stated this turn; '{reference}' is any PC-/AO-/TK- reference so far.",
    )
    lang: Literal["en", "es"] | None = Field(default=None, description="Language of the reply.")
    pending: Literal["consent", "confirmation", "none"] | None = Field(
        default=None, description="What the assistant waits for at the end of the turn."
    )

    @model_validator(mode="after")
    def _no_contradiction(self) -> TurnExpect:
        if self.no_citations and self.cites_any:
            raise ValueError("no_citations and cites_any contradict each other")
        return self


class DialogueTurn(BaseModel):
    """A message (optional) and the buttons pressed after its reply."""

    model_config = STRICT

    user: Text | None = None
    actions: list[Action] = Field(default_factory=list)
    expect: TurnExpect = Field(default_factory=TurnExpect)
    context: bool = Field(
        default=False, description="The turn depends on earlier turns (counted separately)."
    )

    @model_validator(mode="after")
    def _not_empty(self) -> DialogueTurn:
        if self.user is None and not self.actions:
            raise ValueError("a turn needs a user message or at least one action")
        return self


class Scenario(BaseModel):
    """One multi-turn conversation."""

    model_config = STRICT

    id: CaseId
    persona: CustomerId | None = Field(description="Signed-in customer, or null for a guest.")
    language: Literal["en", "es", "sw"] = "en"
    setup: list[SetupOp] = Field(default_factory=list)
    turns: list[DialogueTurn] = Field(min_length=3, max_length=8)
    tags: list[str] = Field(default_factory=list)
    split: Literal["dev", "heldout"] | None = Field(
        default=None, description="Set by the loader from the file; never in the file."
    )

    @model_validator(mode="after")
    def _guest_has_no_setup(self) -> Scenario:
        if self.persona is None and self.setup:
            raise ValueError("a guest scenario can have no setup")
        return self


class DialogueSuite(BaseModel):
    """A file ``eval/suites/dialogues/{dev,heldout}.yaml``."""

    model_config = STRICT

    version: Literal[1]
    suite: Literal["dialogues"]
    split: Literal["dev", "heldout"]
    scenarios: list[Scenario] = Field(min_length=1)
