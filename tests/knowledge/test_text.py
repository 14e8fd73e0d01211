"""Accent folding: the fast regex form must equal the per-character definition."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from knowledge.text import fold

CORPUS = Path(__file__).resolve().parents[2] / "knowledge" / "corpus"


def by_definition(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def test_fold_examples() -> None:
    assert fold("Penalización por DÍAS") == "penalizacion por dias"
    assert fold("Año, pingüino, ÑANDÚ") == "ano, pinguino, nandu"
    assert fold("£30.00 a month — €2/día") == "£30.00 a month — €2/dia"


def test_fold_equals_the_definition_on_every_corpus_line() -> None:
    lines = [line for path in sorted(CORPUS.rglob("*.md"))
             for line in path.read_text("utf-8").splitlines()]
    assert len(lines) > 1000
    assert [line for line in lines if fold(line) != by_definition(line)] == []
