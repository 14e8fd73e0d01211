"""Server mode: the index's vectors on a real Chroma server (``TELCO_CHROMA_HOST``).

Mirrors the on-disk tests in ``test_index.py`` and ``test_retrieval.py`` against a ``chroma run``
subprocess on a loopback port; each test gets its own local index directory (one "machine")
and an empty server.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.settings import Settings
from knowledge.embeddings import HashEmbeddings
from knowledge.errors import IndexSpecMismatch, KnowledgeError
from knowledge.index import RECORDS_FILE, build_index
from knowledge.manifest import read_manifest
from knowledge.record_manager import SQLiteRecordManager
from knowledge.retrieval import KnowledgeBase
from knowledge.spec import COLLECTION
from knowledge.store import CHROMA_SUBDIR, open_client
from tests.knowledge.chroma_server import (
    HOST,
    ChromaServer,
    ServerUnavailable,
    free_port,
    start_server,
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChromaServer]:
    """One ``chroma run`` for the module, stopped afterwards; skips if it cannot start here."""
    try:
        server = start_server(tmp_path_factory.mktemp("chroma-server"))
    except ServerUnavailable as exc:
        pytest.skip(f"Chroma server cannot run on this machine: {exc}")
    try:
        yield server
    finally:
        server.stop()


def server_settings(server: ChromaServer, machine: Path) -> Settings:
    """Settings of one machine: its own local index directory, the shared server."""
    return Settings(  # type: ignore[call-arg]
        data_dir=machine,
        index_dir=machine / "index",
        clock="demo",
        chroma_host=server.host,
        chroma_port=server.port,
        _env_file=None,
    )


@pytest.fixture
def settings(chroma_server: ChromaServer, tmp_path: Path) -> Settings:
    """Server-mode settings on an empty server (collections of earlier tests dropped)."""
    settings = server_settings(chroma_server, tmp_path / "machine-a")
    client = open_client(settings, settings.resolved_index_dir())
    for collection in client.list_collections():
        client.delete_collection(collection.name)
    return settings


def server_ids(settings: Settings) -> list[str]:
    """Ids of every record in the server's collection."""
    collection = open_client(settings, settings.resolved_index_dir()).get_collection(COLLECTION)
    return sorted(collection.get(include=[])["ids"])


def record_keys(settings: Settings) -> list[str]:
    """Keys in the local record manager."""
    index_dir = settings.resolved_index_dir()
    records = SQLiteRecordManager(f"chroma/{COLLECTION}", index_dir / RECORDS_FILE)
    try:
        return sorted(records.list_keys())
    finally:
        records.close()


def test_build_writes_vectors_to_the_server_not_to_disk(settings, corpus, embeddings) -> None:
    report = build_index(settings, embeddings=embeddings, corpus_dir=corpus)
    assert report.documents == 5
    assert report.added == report.chunks == len(embeddings.embedded) > 5
    assert server_ids(settings) == record_keys(settings)
    assert server_ids(settings) == sorted(read_manifest(report.index_dir).record_ids)
    assert not (report.index_dir / CHROMA_SUBDIR).exists()
    collection = open_client(settings, report.index_dir).get_collection(COLLECTION)
    assert collection.metadata["spec_embedding_provider"] == "hash"
    assert collection.configuration_json["hnsw"]["space"] == "cosine"


def test_search_with_filters_over_the_server(settings, corpus, embeddings) -> None:
    build_index(settings, embeddings=embeddings, corpus_dir=corpus)
    kb = KnowledgeBase.open(settings, embeddings=embeddings)
    top = kb.search("how much is the early termination fee", country="GB", k=1).passages[0]
    assert top.section_id == "plan-gb-test-plus#early-termination-fee"
    assert top.dense_rank is not None  # the dense half answered from the server
    for mode in ("hybrid", "bm25", "dense"):
        result = kb.search("plan roaming invoice portabilidad fee", k=20, mode=mode, country="ES")
        assert {p.doc_id for p in result.passages} == {"politica-portabilidad"}, mode
    roaming = kb.search("price of the Europe roaming day pass", k=10, mode="dense").passages
    assert {p.version for p in roaming if p.doc_id == "policy-roaming"} == {2}


def test_rerun_is_a_noop(settings, corpus, embeddings) -> None:
    build_index(settings, embeddings=embeddings, corpus_dir=corpus)
    before = (server_ids(settings), record_keys(settings))
    embeddings.embedded.clear()
    report = build_index(settings, embeddings=embeddings, corpus_dir=corpus)
    assert (report.added, report.deleted, embeddings.embedded) == (0, 0, [])
    assert report.skipped == report.chunks
    assert (server_ids(settings), record_keys(settings)) == before


def test_changing_one_document_reembeds_only_its_changed_chunk(
    settings, corpus, embeddings
) -> None:
    build_index(settings, embeddings=embeddings, corpus_dir=corpus)
    doc = corpus / "plan-gb-test-plus.md"
    doc.write_text(doc.read_text().replace("50% of the remaining", "60% of the remaining"))
    embeddings.embedded.clear()
    report = build_index(settings, embeddings=embeddings, corpus_dir=corpus)
    assert (report.added, report.deleted) == (1, 1)
    assert len(embeddings.embedded) == 1 and "60% of the remaining" in embeddings.embedded[0]
    assert server_ids(settings) == record_keys(settings)
    kb = KnowledgeBase.open(settings, embeddings=embeddings)
    top = kb.search("early termination fee", k=1, mode="dense").passages[0]
    assert "60% of the remaining" in top.text


def test_spec_mismatch_on_open_and_build_until_rebuild(settings, corpus) -> None:
    build_index(settings, embeddings=HashEmbeddings(256), corpus_dir=corpus)
    with pytest.raises(IndexSpecMismatch, match="--rebuild") as info:
        KnowledgeBase.open(settings, embeddings=HashEmbeddings(128))
    assert info.value.differences == {"dimensions": (256, 128)}
    with pytest.raises(IndexSpecMismatch):
        build_index(settings, embeddings=HashEmbeddings(128), corpus_dir=corpus)
    report = build_index(settings, embeddings=HashEmbeddings(128), corpus_dir=corpus, rebuild=True)
    assert report.added == report.chunks and report.spec.dimensions == 128
    assert len(KnowledgeBase.open(settings, embeddings=HashEmbeddings(128)).table) == report.chunks


class OtherHash(HashEmbeddings):
    """Same vector size as ``HashEmbeddings``, another model: only the spec tells them apart."""

    model_name = "other-bow"


def test_a_second_machine_with_another_model_cannot_build_into_the_shared_collection(
    chroma_server, settings, corpus, tmp_path
) -> None:
    build_index(settings, embeddings=HashEmbeddings(256), corpus_dir=corpus)
    before = server_ids(settings)
    machine_b = server_settings(chroma_server, tmp_path / "machine-b")
    for other in (OtherHash(256), HashEmbeddings(128)):
        with pytest.raises(IndexSpecMismatch, match="--rebuild"):
            build_index(machine_b, embeddings=other, corpus_dir=corpus)
    assert server_ids(settings) == before
    assert len(KnowledgeBase.open(settings, embeddings=HashEmbeddings(256)).table) == len(before)


def test_a_machine_notices_a_rebuild_with_another_model_made_elsewhere(
    chroma_server, settings, corpus, tmp_path
) -> None:
    build_index(settings, embeddings=HashEmbeddings(256), corpus_dir=corpus)
    machine_b = server_settings(chroma_server, tmp_path / "machine-b")
    build_index(machine_b, embeddings=HashEmbeddings(128), corpus_dir=corpus, rebuild=True)
    # Machine A's own spec.json still says 256; the vectors on the server are 128-wide.
    with pytest.raises(IndexSpecMismatch) as info:
        KnowledgeBase.open(settings, embeddings=HashEmbeddings(256))
    assert info.value.differences == {"dimensions": (128, 256)}


def test_a_second_machine_joins_without_reembedding(
    chroma_server, settings, corpus, embeddings, tmp_path
) -> None:
    build_index(settings, embeddings=HashEmbeddings(256), corpus_dir=corpus)
    machine_b = server_settings(chroma_server, tmp_path / "machine-b")
    report = build_index(machine_b, embeddings=embeddings, corpus_dir=corpus)
    assert (report.added, report.deleted, embeddings.embedded) == (0, 0, [])
    assert report.skipped == report.chunks
    assert record_keys(machine_b) == server_ids(settings) == record_keys(settings)
    kb = KnowledgeBase.open(machine_b, embeddings=embeddings)
    assert kb.search("early termination fee", k=1, mode="dense").passages


def test_an_unreachable_server_is_a_clear_error(tmp_path, corpus, embeddings) -> None:
    port = free_port()  # nothing listens there
    settings = Settings(  # type: ignore[call-arg]
        data_dir=tmp_path, chroma_host=HOST, chroma_port=port, _env_file=None
    )
    with pytest.raises(KnowledgeError, match=f"Chroma server at {HOST}:{port}.*TELCO_CHROMA_HOST"):
        build_index(settings, embeddings=embeddings, corpus_dir=corpus)
    assert embeddings.embedded == []


def test_machines_with_different_corpora_last_build_wins(
    chroma_server, settings, corpus, embeddings, tmp_path
) -> None:
    """Documented limit: one corpus per collection. A machine built from an older corpus
    finds the records its manifest lists gone once another machine builds a newer one."""
    build_index(settings, embeddings=embeddings, corpus_dir=corpus)
    newer = tmp_path / "newer-corpus"
    shutil.copytree(corpus, newer)
    doc = newer / "plan-gb-test-plus.md"
    doc.write_text(doc.read_text().replace("50% of the remaining", "60% of the remaining"))
    machine_b = server_settings(chroma_server, tmp_path / "machine-b")
    report = build_index(machine_b, embeddings=embeddings, corpus_dir=newer)
    assert (report.added, report.deleted) == (1, 1)  # machine A's old chunk is gone
    assert len(KnowledgeBase.open(machine_b, embeddings=embeddings).table) == report.chunks
    with pytest.raises(KnowledgeError, match="lacks 1 records its manifest lists"):
        KnowledgeBase.open(settings, embeddings=embeddings)
