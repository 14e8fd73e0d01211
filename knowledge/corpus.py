"""Load the Markdown corpus and validate every document's front matter strictly.

A document is a Markdown file that starts with a YAML front matter block between two ``---``
lines. Any problem (malformed YAML, an unknown or missing field, a wrong type, two files that
claim the same ``(id, version)`` or overlapping effective windows for one id) raises
``CorpusError`` naming the file and line, before anything downstream touches the index.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)

from knowledge.errors import CorpusError

Country = Literal["GB", "ES", "KE"]
DocId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")]
PlanId = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}(?:-[A-Z0-9]+)+$")]

_FENCE = "---"


class FrontMatter(BaseModel):
    """The validated header of one corpus document (see docs/knowledge.md for the schema)."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    id: DocId = Field(description="Stable document id, shared by every version of the document.")
    title: Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]
    kind: Literal["plan", "policy", "guide", "faq"]
    countries: list[Country] = Field(min_length=1, description="Markets the document applies to.")
    segment: Literal["consumer", "business", "all"]
    language: Literal["en", "es"]
    effective_from: date
    effective_to: date | None = Field(default=None, description="Only on superseded versions.")
    version: int = Field(ge=1)
    plan_id: PlanId | None = Field(default=None, description="Catalog id, on plan sheets only.")

    @model_validator(mode="after")
    def _check_consistency(self) -> FrontMatter:
        if len(set(self.countries)) != len(self.countries):
            raise ValueError("countries lists a market twice")
        if self.effective_to is not None and self.effective_to < self.effective_from:
            raise ValueError("effective_to is before effective_from")
        if self.plan_id is not None and self.kind != "plan":
            raise ValueError("plan_id is only allowed on kind: plan")
        return self

    def effective_on(self, day: date) -> bool:
        """Whether this version is in force on ``day`` (both ends inclusive)."""
        return self.effective_from <= day and (
            self.effective_to is None or day <= self.effective_to
        )


@dataclass(frozen=True)
class SourceDocument:
    """One validated corpus file: its front matter, its Markdown body and where it came from."""

    meta: FrontMatter
    body: str
    path: Path
    body_line: int  # 1-based line of the body's first line, for error messages


def default_corpus_dir() -> Path:
    """The corpus shipped with the package (``knowledge/corpus``)."""
    return Path(__file__).resolve().parent / "corpus"


def corpus_files(corpus_dir: Path) -> list[Path]:
    """Markdown documents under ``corpus_dir``, sorted; README and ``_*`` files are notes."""
    return sorted(
        path
        for path in corpus_dir.rglob("*.md")
        if not path.name.startswith("_") and path.name.lower() != "readme.md"
    )


def load_corpus(corpus_dir: Path | None = None) -> list[SourceDocument]:
    """Parse and validate every document under ``corpus_dir``; ``CorpusError`` on any fault."""
    directory = corpus_dir or default_corpus_dir()
    if not directory.is_dir():
        raise CorpusError(directory, 0, "corpus directory does not exist")
    documents = [parse_document(path) for path in corpus_files(directory)]
    check_versions(documents)
    return documents


def parse_document(path: Path) -> SourceDocument:
    """Split one file into validated front matter and body."""
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    if not lines or lines[0].strip() != _FENCE:
        raise CorpusError(path, 1, "the file must start with a '---' front matter block")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == _FENCE)
    except StopIteration:
        raise CorpusError(path, 1, "the front matter block is never closed with '---'") from None
    data, key_lines = _parse_yaml(path, "\n".join(lines[1:end]))
    try:
        meta = FrontMatter.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else ""
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'front matter'}: {err['msg']}"
            for err in exc.errors()
        )
        raise CorpusError(path, key_lines.get(field, 1), problems) from None
    body = "\n".join(lines[end + 1 :]).strip("\n")
    if not body.strip():
        raise CorpusError(path, end + 1, "the document has no body")
    return SourceDocument(meta=meta, body=body, path=path, body_line=end + 2)


def _parse_yaml(path: Path, text: str) -> tuple[dict[str, object], dict[str, int]]:
    """Load the front matter and map each top-level key to its 1-based line in the file."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        # +2: the YAML starts on the file's second line and marks are 0-based.
        line = mark.line + 2 if mark is not None else 1
        raise CorpusError(path, line, f"malformed YAML front matter: {exc}") from None
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        raise CorpusError(path, 1, "the front matter must be a YAML mapping")
    key_lines: dict[str, int] = {}
    for key_node, _ in node.value:
        key = str(key_node.value)
        line = key_node.start_mark.line + 2
        if key in key_lines:
            raise CorpusError(path, line, f"field {key!r} appears twice")
        key_lines[key] = line
    return data, key_lines


def check_versions(documents: list[SourceDocument]) -> None:
    """Reject two files with the same (id, version) and overlapping windows for one id."""
    by_id: dict[str, list[SourceDocument]] = defaultdict(list)
    for doc in documents:
        by_id[doc.meta.id].append(doc)
    for doc_id, versions in by_id.items():
        versions.sort(key=lambda d: (d.meta.effective_from, d.meta.version, str(d.path)))
        seen: dict[int, SourceDocument] = {}
        for doc in versions:
            if doc.meta.version in seen:
                raise CorpusError(
                    doc.path,
                    _field_line(doc, "version"),
                    f"duplicate document: {doc_id!r} version {doc.meta.version} is also "
                    f"defined in {seen[doc.meta.version].path}",
                )
            seen[doc.meta.version] = doc
        for earlier, later in zip(versions, versions[1:], strict=False):
            end = earlier.meta.effective_to
            if end is None or end >= later.meta.effective_from:
                raise CorpusError(
                    later.path,
                    _field_line(later, "effective_from"),
                    f"effective window of {doc_id!r} v{later.meta.version} overlaps "
                    f"v{earlier.meta.version} in {earlier.path}",
                )


def _field_line(doc: SourceDocument, field: str) -> int:
    """Line of a front matter field, re-read from the file (only on the error path)."""
    lines = doc.path.read_text(encoding="utf-8-sig").splitlines()
    for number, line in enumerate(lines[1 : doc.body_line], start=2):
        if line.startswith(f"{field}:"):
            return number
    return 1
