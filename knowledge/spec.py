"""The index spec: everything that must be identical between building and querying the index.

It is written as ``spec.json`` in the index directory and into the Chroma collection's metadata
by the first build, and both copies are compared field by field whenever the index is opened or
built again: the collection's copy is the one that describes the vectors when several machines
share a Chroma server. Any difference raises ``IndexSpecMismatch`` telling the user to rebuild.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from knowledge.atomic import replacing
from knowledge.chunking import ChunkParams
from knowledge.embeddings import EmbeddingIdentity
from knowledge.errors import IndexSpecMismatch

#: Bump when the chunk metadata layout or chunking algorithm changes in a way old indexes lack.
SCHEMA_VERSION = 1
SPEC_FILE = "spec.json"
COLLECTION = "vela_knowledge"


class IndexSpec(BaseModel):
    """Embedding model, tokenizer and chunking an index was built with."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    schema_version: int = Field(default=SCHEMA_VERSION)
    embedding_provider: str
    embedding_model: str
    dimensions: int | None = Field(description="Vector size; None until first measured.")
    tokenizer_encoding: str
    chunk_max_tokens: int
    chunker: str = Field(default="markdown-headings/paragraphs", description="Chunking strategy.")
    key_encoder: str = Field(default="sha256", description="Hash of chunk records in the index.")
    collection: str = Field(default=COLLECTION)

    @classmethod
    def current(cls, identity: EmbeddingIdentity, params: ChunkParams) -> IndexSpec:
        """The spec this process would build with."""
        return cls(
            embedding_provider=identity.provider,
            embedding_model=identity.model,
            dimensions=identity.dimensions,
            tokenizer_encoding=params.encoding,
            chunk_max_tokens=params.max_tokens,
        )

    def chunk_params(self) -> ChunkParams:
        """The chunking parameters recorded in this spec."""
        return ChunkParams(max_tokens=self.chunk_max_tokens, encoding=self.tokenizer_encoding)

    def as_metadata(self) -> dict[str, str | int]:
        """Flat form stored as Chroma collection metadata (which rejects None values)."""
        return {f"spec_{k}": v for k, v in self.model_dump().items() if v is not None}

    @classmethod
    def from_metadata(cls, metadata: Mapping[str, object] | None) -> IndexSpec:
        """The spec a collection was created with (``as_metadata`` read back).

        Raises ``IndexSpecMismatch`` when the metadata holds no valid spec: a collection
        someone else created, or one from an older layout, must be rebuilt before use.
        """
        fields = {
            k[len("spec_") :]: v for k, v in (metadata or {}).items() if k.startswith("spec_")
        }
        fields.setdefault("dimensions", None)
        try:
            return cls.model_validate(fields)
        except ValueError as exc:
            raise IndexSpecMismatch(
                {"collection metadata": (f"no valid index spec: {exc}", "a valid spec")}
            ) from exc


def differences(stored: IndexSpec, wanted: IndexSpec) -> dict[str, tuple[object, object]]:
    """Fields that differ; an unknown wanted dimension (hosted model) is not a difference."""
    out: dict[str, tuple[object, object]] = {}
    for name in IndexSpec.model_fields:
        have, want = getattr(stored, name), getattr(wanted, name)
        if name == "dimensions" and want is None:
            continue
        if have != want:
            out[name] = (have, want)
    return out


def check(stored: IndexSpec, wanted: IndexSpec) -> None:
    """Raise ``IndexSpecMismatch`` unless the two specs agree."""
    diff = differences(stored, wanted)
    if diff:
        raise IndexSpecMismatch(diff)


def read_spec(index_dir: Path) -> IndexSpec | None:
    """The stored spec, or None when no build has completed its first step there."""
    path = index_dir / SPEC_FILE
    if not path.exists():
        return None
    try:
        return IndexSpec.model_validate_json(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        # An unreadable spec (older layout, hand edit) is drift too: ask for a rebuild.
        raise IndexSpecMismatch({"spec.json": (f"unreadable: {exc}", "a valid spec")}) from exc


def write_spec(index_dir: Path, spec: IndexSpec) -> None:
    """Write the spec atomically (temp file + rename), so a crash never leaves half a file."""
    with replacing(index_dir / SPEC_FILE) as tmp:
        tmp.write_text(json.dumps(spec.model_dump(), indent=2) + "\n", encoding="utf-8")
