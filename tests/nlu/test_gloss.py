"""English glosses of Swahili and Sheng words, verb forms included (assistant/nlu/gloss.py)."""

from __future__ import annotations

import pytest

from assistant.nlu.gloss import english_gloss


@pytest.mark.parametrize(
    ("text", "meaning"),
    [
        ("nasafiri Kampala wiki ijayo", "travel"),  # na-safiri: I travel
        ("nitasafiri kesho", "travel"),  # ni-ta-safiri: I will travel
        ("nifanye nini ili irudi?", "come back"),  # i-rudi: (so that) it comes back
        ("nilipe aje", "pay"),  # ni-lip-e: that I pay
        ("data ilikwisha jana", "run out"),  # i-li-kwisha: it ran out
        ("bundles zangu je?", "my"),
    ],
)
def test_verb_forms_and_pointing_words_are_glossed(text, meaning):
    gloss = english_gloss(text)
    assert gloss is not None and meaning in gloss


@pytest.mark.parametrize(
    "text",
    ["hello how are you", "I will pay the bill tomorrow", "washing machine insurance",
     "what is my balance", "¿cuánto cuesta la tarifa?"],
)
def test_english_and_spanish_get_no_gloss(text):
    assert english_gloss(text) is None


def test_spanish_words_are_not_read_as_swahili_verbs():
    assert english_gloss("¿y cómo lo evito en mi próximo viaje a Canadá?") is None
