"""Schemas of the suite files: every case is data, validated strictly (``extra="forbid"``)."""

from eval.schema.conversation import (
    Attack,
    ConversationCase,
    ConversationSuite,
    Expect,
    GoldOp,
    SetupOp,
    ToolExpect,
    Turn,
)
from eval.schema.qa import QaCase, QaSuite
from eval.schema.retrieval import LabeledQuery, Relevant

__all__ = [
    "Attack",
    "ConversationCase",
    "ConversationSuite",
    "Expect",
    "GoldOp",
    "LabeledQuery",
    "QaCase",
    "QaSuite",
    "Relevant",
    "SetupOp",
    "ToolExpect",
    "Turn",
]
