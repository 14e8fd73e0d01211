"""Build the persistent index incrementally with LangChain's indexing API.

``build_index`` validates and chunks the whole corpus first (bad input stops here, before the
index is touched), then lets ``langchain_core.indexing.index`` upsert only the chunks whose
content hash the SQLite record manager has not seen, commits the manifest, and finally deletes
records that are no longer in the corpus. See ``knowledge.manifest`` for why this order keeps
an interrupted build consistent.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_core.indexing import index

from knowledge.chunking import Chunk, ChunkParams, chunk_document
from knowledge.config import KnowledgeConfig, SettingsSource
from knowledge.corpus import SourceDocument, load_corpus
from knowledge.embeddings import get_embeddings, identify
from knowledge.errors import IndexSpecMismatch, KnowledgeError
from knowledge.manifest import DocumentEntry, Manifest, remove_manifest, write_manifest
from knowledge.record_manager import SQLiteRecordManager
from knowledge.spec import IndexSpec, check, read_spec, write_spec
from knowledge.store import ChromaStore, collection_exists, open_client, open_collection

if TYPE_CHECKING:
    from chromadb.api import ClientAPI
    from chromadb.api.models.Collection import Collection

RECORDS_FILE = "records.sqlite3"
#: Chunks handed to one ``index()`` call; progress is reported after each call.
BATCH = 64
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class BuildReport:
    """What one build did."""

    documents: int
    chunks: int
    added: int
    skipped: int
    deleted: int
    duration_s: float
    index_dir: Path
    spec: IndexSpec


def build_index(
    source: KnowledgeConfig | SettingsSource,
    *,
    embeddings: Embeddings | None = None,
    corpus_dir: Path | None = None,
    progress: Progress | None = None,
    rebuild: bool = False,
    chunk_params: ChunkParams | None = None,
) -> BuildReport:
    """Bring the index in line with the corpus, re-embedding only what changed.

    Raises ``CorpusError`` (nothing touched) on bad input and ``IndexSpecMismatch`` when the
    existing index was built with another spec and ``rebuild`` is false. ``source`` is a
    ``KnowledgeConfig`` or the settings one is read from.
    """
    config = KnowledgeConfig.of(source)
    started = time.perf_counter()
    documents = load_corpus(corpus_dir)
    params = chunk_params or ChunkParams()
    chunks_by_doc = [(doc, chunk_document(doc, params)) for doc in documents]

    embeddings = embeddings or get_embeddings(config)
    spec = IndexSpec.current(identify(embeddings), params)
    if spec.dimensions is None:
        spec = spec.model_copy(update={"dimensions": len(embeddings.embed_query("dimensions"))})
    index_dir = config.index_dir
    stored = read_spec(index_dir)
    if stored is not None and not rebuild:
        check(stored, spec)

    with _build_lock(index_dir):
        added, skipped, deleted = _apply(
            config, embeddings, spec, index_dir, chunks_by_doc, rebuild, progress, started
        )
    return BuildReport(
        documents=len(documents),
        chunks=sum(len(doc_chunks) for _, doc_chunks in chunks_by_doc),
        added=added,
        skipped=skipped,
        deleted=deleted,
        duration_s=time.perf_counter() - started,
        index_dir=index_dir,
        spec=spec,
    )


def _apply(
    config: KnowledgeConfig,
    embeddings: Embeddings,
    spec: IndexSpec,
    index_dir: Path,
    chunks_by_doc: list[tuple[SourceDocument, list[Chunk]]],
    rebuild: bool,
    progress: Progress | None,
    started: float,
) -> tuple[int, int, int]:
    """Write vectors and records, commit the manifest, then delete what is stale."""
    records = [chunk_to_document(c) for _, doc_chunks in chunks_by_doc for c in doc_chunks]
    client = open_client(config, index_dir)
    record_manager = SQLiteRecordManager(f"chroma/{spec.collection}", index_dir / RECORDS_FILE)
    try:
        if rebuild:
            _reset(client, record_manager, index_dir, spec)
        elif collection_exists(client, spec.collection):
            # The collection's metadata is the spec of the vectors in it. On a shared server
            # another machine may have built it, whatever this machine's spec.json says.
            existing = client.get_collection(spec.collection, embedding_function=None)
            check(IndexSpec.from_metadata(existing.metadata), spec)
        write_spec(index_dir, spec)
        record_manager.create_schema()
        collection = open_collection(client, spec.collection, spec.as_metadata())
        store = ChromaStore(collection, embeddings)
        live_ids = [record_key(doc) for doc in records]
        _reconcile_records(record_manager, collection, records, live_ids)

        build_start = record_manager.get_time()
        added = skipped = 0
        for start in range(0, len(records), BATCH):
            result = index(
                records[start : start + BATCH],
                record_manager,
                store,
                batch_size=BATCH,
                cleanup=None,  # deletions wait until the manifest is committed
                source_id_key="source_key",
                key_encoder=record_key,
            )
            added += result["num_added"]
            skipped += result["num_skipped"]
            if progress:
                progress(min(start + BATCH, len(records)), len(records))

        write_manifest(
            index_dir,
            Manifest(
                built_at=datetime.now(UTC),  # operational fact, not demo-world time
                duration_s=time.perf_counter() - started,
                spec=spec,
                documents=[
                    DocumentEntry(
                        doc_id=doc.meta.id,
                        version=doc.meta.version,
                        source=str(doc.path.name),
                        chunks=len(doc_chunks),
                    )
                    for doc, doc_chunks in chunks_by_doc
                ],
                record_ids=live_ids,
            ),
        )
        deleted = _cleanup(record_manager, store, build_start, set(live_ids))
    finally:
        record_manager.close()
    return added, skipped, deleted


@contextmanager
def _build_lock(index_dir: Path) -> Iterator[None]:
    """One build at a time per index directory (the OS drops the lock if the process dies)."""
    index_dir.mkdir(parents=True, exist_ok=True)
    with (index_dir / ".build.lock").open("w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise KnowledgeError(
                f"Another build is running on {index_dir}; wait for it to finish."
            ) from None
        yield


def chunk_to_document(chunk: Chunk) -> Document:
    """The LangChain document stored for a chunk; metadata is flat (Chroma rejects None)."""
    return Document(
        page_content=chunk.embedded_text,
        metadata={
            "chunk_id": chunk.chunk_id,
            "doc_id": chunk.doc_id,
            "title": chunk.title,
            "section": chunk.section,
            "section_id": chunk.section_id,
            "ordinal": chunk.ordinal,
            "version": chunk.version,
            "kind": chunk.kind,
            "language": chunk.language,
            "countries": ",".join(chunk.countries),
            "segment": chunk.segment,
            "effective_from": chunk.effective_from.isoformat(),
            "effective_to": chunk.effective_to.isoformat() if chunk.effective_to else "",
            "plan_id": chunk.plan_id or "",
            "source": chunk.source,
            "source_key": f"{chunk.doc_id}@{chunk.version}",
            "tokens": chunk.tokens,
        },
    )


def record_key(doc: Document) -> str:
    """Content hash of a chunk record (text + metadata): equal content, equal id."""
    payload = doc.page_content + "\0" + json.dumps(doc.metadata, sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _reset(
    client: ClientAPI, record_manager: SQLiteRecordManager, index_dir: Path, spec: IndexSpec
) -> None:
    """Drop everything for ``--rebuild``; readers see IndexMissing until the build commits."""
    remove_manifest(index_dir)
    try:
        stored = read_spec(index_dir)
    except IndexSpecMismatch:
        stored = None  # an unreadable spec is exactly what a rebuild replaces
    names = {c.name for c in client.list_collections()}
    for name in {spec.collection, *([stored.collection] if stored else [])} & names:
        client.delete_collection(name)
    record_manager.create_schema()
    record_manager.clear()


def _reconcile_records(
    record_manager: SQLiteRecordManager,
    collection: Collection,
    records: list[Document],
    live_ids: list[str],
) -> None:
    """Make the record manager agree with the vectors the collection holds for the corpus.

    A recorded chunk whose vector is gone (Chroma wiped, earlier crash) must be written again.
    A vector with no record here (built by another machine sharing the server, or a crash
    between upsert and record update) is adopted rather than embedded again: its id is the
    hash of the chunk's content and the collection's spec was checked, so it is the vector
    this build would write.
    """
    known = record_manager.exists(live_ids)
    present = set(collection.get(ids=live_ids, include=[])["ids"]) if live_ids else set()
    missing = [key for key, ok in zip(live_ids, known, strict=True) if ok and key not in present]
    if missing:
        record_manager.delete_keys(missing)
    adopted = [
        (key, str(doc.metadata["source_key"]))
        for key, ok, doc in zip(live_ids, known, records, strict=True)
        if not ok and key in present
    ]
    if adopted:
        record_manager.update([k for k, _ in adopted], group_ids=[g for _, g in adopted])


def _cleanup(
    record_manager: SQLiteRecordManager, store: ChromaStore, build_start: float, live: set[str]
) -> int:
    """Delete records this build did not see, then any Chroma orphan a crashed build left."""
    deleted = 0
    while stale := record_manager.list_keys(before=build_start, limit=1000):
        store.delete(stale)  # vectors first: a crash here is redone by the next build
        record_manager.delete_keys(stale)
        deleted += len(stale)
    orphans = [key for key in store.collection.get(include=[])["ids"] if key not in live]
    store.delete(orphans)
    record_manager.delete_keys(orphans)
    return deleted + len(orphans)
