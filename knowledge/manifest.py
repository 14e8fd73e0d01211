"""The build manifest: the commit record of the last completed build.

A build writes new vectors first, then replaces ``manifest.json`` atomically (temp file +
rename), and only then deletes stale vectors. Readers see exactly the records the manifest
lists, so a build that dies at any point leaves readers on a complete index: the previous one
before the rename, the new one after it. The next build sweeps whatever the dead one left.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from knowledge.atomic import replacing
from knowledge.errors import IndexMissing
from knowledge.spec import IndexSpec

MANIFEST_FILE = "manifest.json"


class DocumentEntry(BaseModel):
    """One indexed document version."""

    model_config = ConfigDict(frozen=True)

    doc_id: str
    version: int
    source: str
    chunks: int


class Manifest(BaseModel):
    """What the last completed build put in the index."""

    model_config = ConfigDict(frozen=True)

    built_at: datetime = Field(description="Wall-clock time the build committed (UTC).")
    duration_s: float
    spec: IndexSpec
    documents: list[DocumentEntry]
    record_ids: list[str] = Field(description="Chroma ids of every live chunk record.")

    @property
    def chunk_count(self) -> int:
        """Number of live chunks."""
        return len(self.record_ids)


def read_manifest(index_dir: Path) -> Manifest:
    """The committed manifest, or ``IndexMissing`` when no build has completed there."""
    path = index_dir / MANIFEST_FILE
    if not path.exists():
        raise IndexMissing(
            f"No knowledge index at {index_dir} (no completed build). "
            "Run `python -m knowledge build`."
        )
    return Manifest.model_validate_json(path.read_text(encoding="utf-8"))


def write_manifest(index_dir: Path, manifest: Manifest) -> None:
    """Commit a build: write to a temp file, flush it to disk, rename over the old one."""
    with replacing(index_dir / MANIFEST_FILE) as tmp:
        tmp.write_text(manifest.model_dump_json(indent=1), encoding="utf-8")


def remove_manifest(index_dir: Path) -> None:
    """Withdraw the committed build (start of ``--rebuild``): readers get ``IndexMissing``."""
    (index_dir / MANIFEST_FILE).unlink(missing_ok=True)
