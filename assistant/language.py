"""Tell Spanish from English in a customer's message (the two languages we answer in)."""

from __future__ import annotations

import re

_ES_MARKS = re.compile(r"[¿¡ñáéíóú]", re.IGNORECASE)
_WORD = re.compile(r"[a-záéíóúñü]+", re.IGNORECASE)
_ES_WORDS = frozenset(
    "el la los las de del que y en un una por para con mi mis tu es está son qué cuánto cuanto "
    "cómo como cuál factura tarifa quiero puedo hola gracias necesito tengo pagar precio datos "
    "itinerancia me se al lo le su sus hay más pero ya".split()
)
_EN_WORDS = frozenset(
    "the a an is are my your what how much can i to of in on for with do does it this that "
    "bill plan please thanks hello want need have".split()
)


def detect_language(text: str, default: str = "en") -> str:
    """'es' or 'en' for ``text``; ``default`` when there is no signal either way."""
    words = [w.lower() for w in _WORD.findall(text)]
    es = sum(w in _ES_WORDS for w in words) + 2 * len(_ES_MARKS.findall(text))
    en = sum(w in _EN_WORDS for w in words)
    if es == en:
        return default
    return "es" if es > en else "en"
