"""The ``retrieval`` suite: the knowledge base's labeled queries (one JSON object per line)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, model_validator

from eval.schema.common import STRICT, CaseId, DocId, Text


class Relevant(BaseModel):
    """A passage that answers the query: a document, optionally one section of it."""

    model_config = STRICT

    doc_id: DocId
    section_id: str | None = Field(
        default=None, description="'<doc_id>#<slug>'; null means any section of the document."
    )


class LabeledQuery(BaseModel):
    """One query of ``knowledge/data/labeled_queries.jsonl``."""

    model_config = STRICT

    id: CaseId
    question: Text
    language: Literal["en", "es"]
    country: Literal["GB", "ES", "KE"] | None = None
    relevant: list[Relevant] = Field(default_factory=list)
    answerable: bool = True
    tags: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _answerable_has_gold(self) -> LabeledQuery:
        if self.answerable and not self.relevant:
            raise ValueError("an answerable query needs at least one relevant passage")
        return self
