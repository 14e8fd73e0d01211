"""The answerable signal: coverage plus the dense margin over the query's candidate pool."""

from __future__ import annotations

import pytest

from knowledge.confidence import MARGIN_SCALE, confidence, dense_margin
from knowledge.lexical import LexicalIndex


def test_margin_is_best_minus_median_scaled() -> None:
    assert dense_margin(0.6, [0.6, 0.5, 0.4, 0.3, 0.2]) == pytest.approx(MARGIN_SCALE * 0.2)


def test_margin_ignores_a_shift_of_every_similarity() -> None:
    # The reason for the margin: MiniLM raises all similarities of a Spanish query by
    # roughly the same amount, which must not make it look better covered.
    pool = [0.55, 0.4, 0.35, 0.3, 0.28]
    shifted = [s + 0.2 for s in pool]
    assert confidence(0.5, 0.75, shifted, "hybrid") == pytest.approx(
        confidence(0.5, 0.55, pool, "hybrid")
    )


def test_margin_is_clipped_to_the_unit_interval() -> None:
    assert dense_margin(0.99, [0.99, 0.0, 0.0]) == 1.0
    assert dense_margin(0.1, [0.1, 0.5, 0.6]) == 0.0
    assert dense_margin(0.8, []) == 0.0


def test_modes_combine_the_signals() -> None:
    pool = [0.7, 0.5, 0.4]
    margin = dense_margin(0.7, pool)
    assert confidence(0.8, 0.7, pool, "bm25") == 0.8
    assert confidence(0.8, 0.7, pool, "dense") == pytest.approx(margin)
    assert confidence(0.8, 0.7, pool, "hybrid") == pytest.approx((0.8 + margin) / 2)


def test_a_standout_passage_beats_a_flat_pool() -> None:
    standout = confidence(0.5, 0.6, [0.6, 0.3, 0.25, 0.2], "hybrid")
    flat = confidence(0.5, 0.6, [0.6, 0.58, 0.57, 0.55], "hybrid")
    assert standout > flat


def test_coverage_counts_other_forms_of_a_word() -> None:
    index = LexicalIndex(["Os cobramos 6,00 € por MB.", "Roaming en Europa sin recargo."])
    tokens = index.analyze_query("¿me cobráis por MB?")
    assert index.coverage(tokens, 0) == 1.0
    assert index.coverage(tokens, 1) == 0.0
    assert index.coverage([], 0) == 0.0


def test_a_known_word_form_is_not_taken_for_a_typo() -> None:
    # "plane" is one edit from "place" but shares its stem with "planes": it must stay itself.
    index = LexicalIndex(["Data on planes and ships costs more.", "Pick a place to meet."])
    tokens = index.analyze_query("data on a plane")
    assert index.coverage(tokens, 0) == 1.0
    assert index.coverage(tokens, 1) == 0.0


def test_a_misspelling_is_still_corrected() -> None:
    index = LexicalIndex(["Roaming in Europe is included."])
    assert index.analyze_query("roming") == index.analyze_query("roaming")
