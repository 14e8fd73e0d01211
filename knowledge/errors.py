"""Errors raised by the knowledge base: bad corpus input, a missing index, a drifted spec.

Each one is a setup problem an operator or developer must fix (edit a document, run a build);
none of them is shown to the model. The knowledge base owns its errors: it imports nothing of
the application above it (``assistant``), whose callers catch ``KnowledgeError`` by name.
"""

from __future__ import annotations

from pathlib import Path

REBUILD_HINT = "run `python -m knowledge build --rebuild`"


class KnowledgeError(Exception):
    """Base of every knowledge-base error."""


class CorpusError(KnowledgeError):
    """A corpus document is invalid; ``path`` and ``line`` point at the offending spot."""

    def __init__(self, path: Path, line: int, problem: str) -> None:
        super().__init__(f"{path}:{line}: {problem}")
        self.path = path
        self.line = line
        self.problem = problem


class IndexMissing(KnowledgeError):
    """No index has been built at the configured location yet."""


class IndexSpecMismatch(KnowledgeError):
    """The index was built with a different spec (embedding model, tokenizer, chunking...)."""

    def __init__(self, differences: dict[str, tuple[object, object]]) -> None:
        detail = "; ".join(
            f"{field}: index has {stored!r}, this process uses {wanted!r}"
            for field, (stored, wanted) in sorted(differences.items())
        )
        super().__init__(
            f"The knowledge index was built with a different spec ({detail}). "
            f"Rebuild it: {REBUILD_HINT}."
        )
        self.differences = differences
