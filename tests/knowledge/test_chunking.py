"""Heading-aware chunking: budgets, section ids and stable chunk ids."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.chunking import ChunkParams, chunk_document
from knowledge.corpus import load_corpus, parse_document
from knowledge.text import count_tokens, slugify
from tests.knowledge.docs import PLAN, ROAMING_V2, write_doc


@pytest.mark.parametrize(
    ("heading", "slug"),
    [
        ("Early termination fee", "early-termination-fee"),
        ("What's included", "whats-included"),
        ("Penalización por baja anticipada", "penalizacion-por-baja-anticipada"),
        ("Límite de gasto de 50 €", "limite-de-gasto-de-50"),
        ("5G: where & when?", "5g-where-when"),
    ],
)
def test_slugify(heading: str, slug: str) -> None:
    assert slugify(heading) == slug


def test_sections_carry_citation_metadata(tmp_path: Path) -> None:
    doc = parse_document(write_doc(tmp_path, "plan-x.md", PLAN, title="Test Plus", version=3))
    chunks = chunk_document(doc)
    assert [c.section for c in chunks] == ["Summary", "What's included", "Early termination fee"]
    assert [c.section_id for c in chunks] == [
        "plan-x#summary",
        "plan-x#whats-included",
        "plan-x#early-termination-fee",
    ]
    fee = chunks[2]
    assert fee.chunk_id == "plan-x.v3/early-termination-fee/0"
    assert fee.embedded_text.startswith("Test Plus — Early termination fee\n\n")
    assert (fee.version, fee.countries, fee.segment, fee.language) == (3, ("GB",), "all", "en")
    assert fee.effective_from.isoformat() == "2025-01-01" and fee.effective_to is None


def test_small_section_keeps_its_subsections_together(tmp_path: Path) -> None:
    doc = parse_document(write_doc(tmp_path, "r.md", ROAMING_V2))
    day_passes = [c for c in chunk_document(doc) if c.section_slug == "day-passes"]
    assert len(day_passes) == 1
    assert "### Buying a pass" in day_passes[0].text


def test_long_section_splits_on_subsections_then_paragraphs(tmp_path: Path) -> None:
    paragraph = "Roaming charges apply in zone two at the published rate per megabyte. " * 6
    body = (
        "Summary.\n\n## Roaming\n\nIntro.\n\n### Day passes\n\n"
        + "\n\n".join([paragraph] * 4)
        + "\n\n### Zones\n\nZone text.\n"
    )
    doc = parse_document(write_doc(tmp_path, "long.md", body, title="Roaming"))
    params = ChunkParams(max_tokens=120)
    chunks = chunk_document(doc, params)
    passes = [c for c in chunks if c.section == "Roaming > Day passes"]
    assert len(passes) >= 4
    assert [c.ordinal for c in passes] == list(range(len(passes)))
    assert all(c.section_id == "long#roaming" for c in chunks if c.section != "Summary")
    assert all(c.tokens <= params.max_tokens for c in chunks)


def test_giant_paragraph_and_table_still_fit(tmp_path: Path) -> None:
    table = "| Zone | Price |\n|---|---|\n" + "\n".join(f"| Z{i} | £{i}.00 |" for i in range(200))
    words = " ".join(f"word{i}" for i in range(800))  # one sentence, no line breaks
    doc = parse_document(write_doc(tmp_path, "t.md", f"Intro.\n\n## Table\n\n{table}\n\n{words}"))
    params = ChunkParams(max_tokens=100)
    chunks = chunk_document(doc, params)
    assert all(count_tokens(c.embedded_text) <= params.max_tokens for c in chunks)
    assert "| Z0 | £0.00 |" in chunks[1].text  # table rows stay whole lines


def test_headings_inside_code_fences_are_text(tmp_path: Path) -> None:
    body = "Intro.\n\n## Real\n\n```\n## not a heading\n```\n"
    chunks = chunk_document(parse_document(write_doc(tmp_path, "c.md", body)))
    assert [c.section for c in chunks] == ["Summary", "Real"]


def test_chunk_ids_are_stable_and_local_to_the_edit(tmp_path: Path) -> None:
    path = write_doc(tmp_path, "r.md", ROAMING_V2)
    before = chunk_document(parse_document(path))
    assert before == chunk_document(parse_document(path))
    path.write_text(path.read_text().replace("four months", "six months"))
    after = chunk_document(parse_document(path))
    assert [c.chunk_id for c in before] == [c.chunk_id for c in after]
    changed = [a.chunk_id for a, b in zip(after, before, strict=True) if a.text != b.text]
    assert changed == ["r.v1/fair-use/0"]


def test_real_corpus_chunks_fit_the_default_budget() -> None:
    params = ChunkParams()
    chunks = [c for doc in load_corpus() for c in chunk_document(doc, params)]
    assert len(chunks) > 300
    assert max(c.tokens for c in chunks) <= params.max_tokens
    assert len({c.chunk_id for c in chunks}) == len(chunks)
    assert all(count_tokens(c.embedded_text) == c.tokens for c in chunks[:50])
