"""The back-end services the tools call, gathered in one injectable container."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assistant.records.api import Records
    from assistant.settings import Settings
    from knowledge.retrieval import KnowledgeBase


@dataclass(frozen=True)
class Services:
    """System of record, knowledge base and settings for one Assistant instance."""

    records: Records
    knowledge: KnowledgeBase | None
    settings: Settings
