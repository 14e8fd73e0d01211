"""An interrupted build leaves readers on a complete index, and the next build repairs it.

The build writes vectors, then record-manager rows, then commits the manifest, then deletes
stale records. We break it at each step (and once with a real SIGKILL) and check that readers
see exactly one complete build, and that re-running converges on what a clean build produces.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.settings import Settings
from knowledge.errors import IndexMissing
from knowledge.index import build_index
from knowledge.record_manager import SQLiteRecordManager
from knowledge.retrieval import KnowledgeBase
from knowledge.store import ChromaStore
from tests.knowledge.conftest import CountingEmbeddings
from tests.knowledge.test_index import index_state

ROOT = Path(__file__).resolve().parents[2]


class Crash(RuntimeError):
    """Stands in for the process dying at an awkward moment."""


def crash(*args: object, **kwargs: object) -> None:
    """Drop-in for any method: the process "dies" here."""
    raise Crash()


def served(settings: Settings, embeddings) -> list[tuple[str, str]]:
    """What a reader sees: (chunk id, text) of every chunk, and no chunk id twice."""
    kb = KnowledgeBase.open(settings, embeddings=embeddings)
    rows = sorted(
        (m["chunk_id"], t) for m, t in zip(kb.table.metadatas, kb.table.texts, strict=True)
    )
    assert len({cid for cid, _ in rows}) == len(rows), "a chunk is served twice"
    return rows


def edit(corpus: Path) -> None:
    """Change one section of one document and delete another document."""
    plan = corpus / "plan-gb-test-plus.md"
    plan.write_text(plan.read_text().replace("50% of the remaining", "60% of the remaining"))
    (corpus / "guide-business.md").unlink()


def clean_build_state(tmp_path: Path, corpus: Path) -> dict[str, object]:
    other = Settings(index_dir=tmp_path / "clean", _env_file=None)  # type: ignore[call-arg]
    build_index(other, embeddings=CountingEmbeddings(), corpus_dir=corpus)
    state = index_state(other)
    return {"chroma": state["chroma"], "records": state["records"]}


def converges(settings: Settings, tmp_path: Path, corpus: Path, embeddings) -> None:
    build_index(settings, embeddings=embeddings, corpus_dir=corpus)
    state = index_state(settings)
    assert {"chroma": state["chroma"], "records": state["records"]} == clean_build_state(
        tmp_path, corpus
    )


@pytest.mark.parametrize("step", ["embedding", "vector-write", "record-write"])
def test_crash_before_commit_keeps_serving_the_previous_build(
    settings, corpus, embeddings, tmp_path, monkeypatch, step: str
) -> None:
    build_index(settings, embeddings=embeddings, corpus_dir=corpus)
    before = served(settings, embeddings)
    edit(corpus)

    target = {
        "embedding": (CountingEmbeddings, "embed_documents"),
        "vector-write": (ChromaStore, "add_texts"),
        "record-write": (SQLiteRecordManager, "update"),
    }[step]
    with monkeypatch.context() as patch:
        patch.setattr(*target, crash)
        with pytest.raises(Crash):
            build_index(settings, embeddings=embeddings, corpus_dir=corpus)
    assert served(settings, embeddings) == before
    converges(settings, tmp_path, corpus, embeddings)
    assert any("60% of the remaining" in text for _, text in served(settings, embeddings))


def test_crash_during_cleanup_serves_the_new_build(
    settings, corpus, embeddings, tmp_path, monkeypatch
) -> None:
    build_index(settings, embeddings=embeddings, corpus_dir=corpus)
    edit(corpus)
    with monkeypatch.context() as patch:
        patch.setattr(
            ChromaStore, "delete", lambda self, ids=None, **kw: (_ for _ in ()).throw(Crash())
        )
        with pytest.raises(Crash):
            build_index(settings, embeddings=embeddings, corpus_dir=corpus)
    rows = served(settings, embeddings)
    assert any("60% of the remaining" in text for _, text in rows)
    assert not any("50% of the remaining" in text for _, text in rows)
    assert not any(cid.startswith("guide-business") for cid, _ in rows)
    assert len(index_state(settings)["chroma"]) > len(rows)  # stale vectors still on disk
    converges(settings, tmp_path, corpus, embeddings)


def test_crash_in_the_first_build_reports_a_missing_index(
    settings, corpus, embeddings, tmp_path, monkeypatch
) -> None:
    with monkeypatch.context() as patch:
        patch.setattr(SQLiteRecordManager, "update", crash)
        with pytest.raises(Crash):
            build_index(settings, embeddings=embeddings, corpus_dir=corpus)
    with pytest.raises(IndexMissing):
        KnowledgeBase.open(settings, embeddings=embeddings)
    converges(settings, tmp_path, corpus, embeddings)


_KILLED_BUILD = """
import sys, time
from pathlib import Path
from assistant.settings import Settings
from knowledge.embeddings import HashEmbeddings
from knowledge.errors import IndexMissing
from knowledge.index import build_index

class Slow(HashEmbeddings):
    def embed_documents(self, texts):
        time.sleep(0.2)  # slow enough to be killed mid-build
        return super().embed_documents(texts)

settings = Settings(index_dir=Path(sys.argv[1]), _env_file=None)
build_index(settings, embeddings=Slow(), corpus_dir=Path(sys.argv[2]),
            progress=lambda done, total: print(done, total, flush=True))
"""


def test_sigkill_mid_build(settings, corpus, embeddings, tmp_path) -> None:
    """A real kill -9 between batches: readers keep the old build, the next build repairs."""
    build_index(settings, embeddings=embeddings, corpus_dir=corpus)
    before = served(settings, embeddings)
    edit(corpus)
    for i in range(200):  # enough new chunks for several batches
        (corpus / f"faq-extra-{i}.md").write_text(
            f"---\nid: faq-extra-{i}\ntitle: Extra {i}\nkind: faq\ncountries: [GB]\n"
            f"segment: all\nlanguage: en\neffective_from: 2025-01-01\nversion: 1\n---\n"
            f"Extra answer number {i}.\n"
        )
    with subprocess.Popen(
        [sys.executable, "-c", _KILLED_BUILD, str(settings.resolved_index_dir()), str(corpus)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    ) as child:
        assert child.stdout is not None
        first = child.stdout.readline()  # one batch of vectors and records is written
        assert first, "the child build never reported progress"
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    time.sleep(0.1)
    assert served(settings, embeddings) == before
    converges(settings, tmp_path, corpus, embeddings)
