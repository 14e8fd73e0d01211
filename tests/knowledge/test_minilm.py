"""The real offline model: loads from the wheel, normalised 384-d vectors, end-to-end search."""

from __future__ import annotations

import math
import subprocess
import sys

import pytest

from knowledge.embeddings import MiniLMEmbeddings
from knowledge.index import build_index
from knowledge.retrieval import KnowledgeBase

pytestmark = pytest.mark.slow


def cosine(a: list[float], b: list[float]) -> float:
    return sum(x * y for x, y in zip(a, b, strict=True))


def test_minilm_offline_end_to_end(settings, corpus) -> None:
    embeddings = MiniLMEmbeddings()
    query = embeddings.embed_query("how much does it cost to leave my contract early?")
    near, far = embeddings.embed_documents(
        ["Leaving during the minimum term costs an early termination fee.", "Cats sleep a lot."]
    )
    assert len(query) == 384 and math.isclose(cosine(query, query), 1.0, rel_tol=1e-4)
    assert cosine(query, near) > cosine(query, far) + 0.2

    report = build_index(settings, embeddings=embeddings, corpus_dir=corpus)
    assert report.spec.embedding_provider == "minilm" and report.spec.dimensions == 384
    kb = KnowledgeBase.open(settings, embeddings=embeddings)
    result = kb.search("how much does it cost to leave my contract early?", country="GB")
    assert result.passages[0].section_id == "plan-gb-test-plus#early-termination-fee"
    assert result.answerable
    assert not kb.search("who won the football last night?").answerable


FIDELITY_TEXTS = [
    "Does my plan include roaming in France?",
    "",
    "¿Cuánto cuesta el bono de roaming para Estados Unidos?",
    "The EU Roam Pass costs £2.00 a day. " * 60,  # far beyond the 256-token window
    "Bills are issued on the 1st; payment is taken 14 days later by direct debit.",
]


def test_onnx_vectors_match_sentence_transformers() -> None:
    """The ONNX graph reproduces the reference implementation, truncation and pooling included."""
    from sentence_transformers import SentenceTransformer

    from knowledge.minilm import model_dir

    reference = SentenceTransformer(str(model_dir()), device="cpu").encode(
        FIDELITY_TEXTS, normalize_embeddings=True
    )
    ours = MiniLMEmbeddings().encode(FIDELITY_TEXTS)
    assert ours.shape == reference.shape == (len(FIDELITY_TEXTS), 384)
    agreement = (ours * reference).sum(axis=1)
    assert agreement.min() > 0.9999, agreement
    # Batching and sorting by length must not change a vector or its place.
    alone = [MiniLMEmbeddings().embed_query(t) for t in FIDELITY_TEXTS]
    assert max(abs(a - b) for row, one in zip(ours, alone, strict=True)
               for a, b in zip(row, one, strict=True)) < 1e-4


def test_an_exported_graph_runs_without_torch() -> None:
    """Once the graph is cached, a process embeds without importing torch or transformers."""
    MiniLMEmbeddings().embed_query("warm the cache")  # exports into the default cache if needed
    code = (
        "import sys\n"
        "from knowledge.embeddings import MiniLMEmbeddings\n"
        "vector = MiniLMEmbeddings().embed_query('hello')\n"
        "print(len(vector), any(m in sys.modules for m in "
        "('torch', 'transformers', 'sentence_transformers')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["384", "False"], out.stderr


def test_a_damaged_cached_graph_is_exported_again(tmp_path, caplog) -> None:
    from knowledge import minilm

    graph = minilm.graph_path(tmp_path)
    graph.write_bytes(b"not an onnx graph")
    encoder = minilm.load(tmp_path)
    vector = encoder.encode(["hello"])[0]
    assert math.isclose(float((vector * vector).sum()), 1.0, rel_tol=1e-4)
    assert graph.stat().st_size > 50_000_000
    assert "minilm_graph_unreadable" in caplog.text
    assert not list(tmp_path.glob(".export-*")), "no half-written export is left behind"
