"""The ``understanding`` suite: single customer messages labelled with their intent.

One JSON object per line, in ``eval/suites/understanding/{dev,heldout}-*.jsonl``. The label
set is ``assistant/nlu/data/intents.yaml``; the split comes from the file name, never from the
case, so a case cannot move between dev and held-out without moving files.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from eval.schema.common import CaseId, DocId, Text

#: Who sends the message: a signed-in customer, a guest, or both (the case runs twice).
Audience = Literal["customer", "guest", "both"]
Split = Literal["dev", "heldout"]


@lru_cache(maxsize=1)
def intents() -> dict[str, dict[str, str]]:
    """The intent label set: name -> {group, does, means} (``assistant/nlu/data/intents.yaml``)."""
    text = resources.files("assistant.nlu").joinpath("data/intents.yaml").read_text("utf-8")
    return dict(yaml.safe_load(text)["intents"])


class UnderstandingCase(BaseModel):
    """One customer message and what it is about."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    id: CaseId
    text: Text = Field(description="The message, exactly as a customer would type it.")
    lang: Literal["en", "es", "sw"] = Field(
        description="en, es, or sw: Kenyan English mixed with Swahili/Sheng."
    )
    intent: str = Field(description="An intent of assistant/nlu/data/intents.yaml.")
    audience: Audience = Field(alias="as", description="Signed in, guest, or both.")
    docs: list[DocId] = Field(
        default_factory=list,
        description="Corpus documents any one of which answers the message (knowledge).",
    )
    answerable: bool = Field(
        description="False: the assistant cannot or must not answer it (out of scope, not in "
        "the documents, refused by rule)."
    )
    source: Text = Field(description="Who wrote it or which public dataset it comes from.")
    tags: list[str] = Field(default_factory=list)
    split: Split | None = Field(
        default=None, description="Set by the loader from the file name; never in the file."
    )

    @field_validator("intent")
    @classmethod
    def _known_intent(cls, value: str) -> str:
        if value not in intents():
            raise ValueError(f"unknown intent {value!r} (see assistant/nlu/data/intents.yaml)")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> UnderstandingCase:
        if self.intent == "knowledge" and self.answerable and not self.docs:
            raise ValueError("an answerable knowledge case needs at least one doc")
        if not self.answerable and self.docs:
            raise ValueError("an unanswerable case cannot list docs")
        if self.intent == "out_of_scope" and self.answerable:
            raise ValueError("out_of_scope cases are not answerable")
        if self.intent == "withdraw_consent" and self.audience != "customer":
            raise ValueError("only a signed-in customer can withdraw consent")
        return self

    @property
    def group(self) -> str:
        """The intent's group in intents.yaml (social, dialogue, documents, account, ...)."""
        return intents()[self.intent]["group"]

    def audiences(self) -> list[Literal["customer", "guest"]]:
        """The sessions this case runs in."""
        return ["customer", "guest"] if self.audience == "both" else [self.audience]
