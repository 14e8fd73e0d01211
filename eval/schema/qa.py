"""The ``qa`` suite: grounded answers with citations, and questions that must be declined."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, model_validator

from eval.schema.common import STRICT, CaseId, CustomerId, DocId, Fact, Text


class QaCase(BaseModel):
    """One question asked in a fresh session; the answer is checked against the gold facts."""

    model_config = STRICT

    id: CaseId
    question: Text = Field(description="The customer's message.")
    persona: CustomerId | None = Field(
        default=None, description="Signed-in customer (sets market filters), or null for a guest."
    )
    language: Literal["en", "es"] = Field(default="en", description="Language of the question.")
    must_include: list[Fact] = Field(
        default_factory=list, description="Facts the answer must state (alternatives in a list)."
    )
    must_cite: list[DocId] = Field(
        default_factory=list, description="Document ids the answer must cite."
    )
    must_not_include: list[Text] = Field(
        default_factory=list, description="Phrases that must not appear (stale prices, ...)."
    )
    answerable: bool = Field(
        default=True, description="False: the documents do not cover it; the reply must decline."
    )
    tags: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unanswerable_has_no_gold(self) -> QaCase:
        if not self.answerable and (self.must_include or self.must_cite):
            raise ValueError("an unanswerable case cannot have must_include or must_cite")
        return self


class QaSuite(BaseModel):
    """The file ``eval/suites/qa.yaml``."""

    model_config = STRICT

    version: Literal[1]
    cases: list[QaCase] = Field(min_length=1)
