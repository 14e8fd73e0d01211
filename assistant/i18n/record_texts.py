"""Texts the records layer wrote in English (bill items, refusal reasons, quote notes), localized.

The records layer sends each such text with a stable code and the values in it (see
``assistant/records/texts.py``). Here a code picks a template from ``data/record_texts.yaml``
and the values fill it. Anything unknown - a code without a template, a value the template
needs but did not get, a text stored without a code - falls back to the stored English text,
so a new record text is never lost, only left untranslated.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

import yaml

from assistant.i18n.formats import money


@cache
def _table() -> dict[str, dict[str, dict[str, str]]]:
    source = resources.files("assistant.i18n").joinpath("data", "record_texts.yaml")
    return yaml.safe_load(source.read_text("utf-8"))


def _section(lang: str, name: str) -> dict[str, str]:
    return (_table().get(lang) or {}).get(name) or {}


def term(value: Any, lang: str) -> str:
    """A fixed word or phrase from the records ("Europe", "stolen device") in ``lang``."""
    text = "" if value is None else str(value)
    return _section(lang, "terms").get(text, text)


class _Formatter(string.Formatter):
    """Fills a template: ``{x:money}`` is an amount in the text's currency, ``{n:count:one|many}``
    a number with its noun in the singular or plural, other values are looked up as terms."""

    def __init__(self, lang: str, currency: Any) -> None:
        super().__init__()
        self.lang = lang
        self.currency = None if currency is None else str(currency)

    def format_field(self, value: Any, format_spec: str) -> str:
        if format_spec == "money":
            return money(value, self.currency, self.lang)
        if format_spec.startswith("count:"):  # {n:count:mes|meses} -> "1 mes", "3 meses"
            singular, _, plural = format_spec[len("count:"):].partition("|")
            return f"{value} {singular if str(value) == '1' else plural}"
        return term(value, self.lang)


def localize(coded: Any, lang: str, fallback: str = "") -> str:
    """The text of ``coded`` (a mapping with ``code``, ``values`` and ``text``) in ``lang``.

    ``fallback`` (else ``coded["text"]``) is returned when there is no template for the code
    in ``lang`` - always the case in English, whose text is the stored one.
    """
    if not isinstance(coded, Mapping):
        return fallback
    text = fallback or str(coded.get("text") or "")
    template = _section(lang, "texts").get(str(coded.get("code")))
    values = coded.get("values")
    if template is None or not isinstance(values, Mapping):
        return text
    try:
        return _Formatter(lang, values.get("currency")).vformat(template, (), values)
    except (KeyError, IndexError, ValueError):  # a template asking for a value not sent
        return text


def localize_each(texts: Any, codes: Any, lang: str) -> list[str]:
    """``texts`` (English, as stored) in ``lang``, each by its code in ``codes``.

    The two lists come index for index from the records layer; if they do not line up, the
    English texts are returned as they are.
    """
    english = [str(t) for t in texts or []]
    if not isinstance(codes, list) or len(codes) != len(english):
        return english
    return [localize(code, lang, text) for text, code in zip(english, codes, strict=True)]
