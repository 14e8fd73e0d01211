"""Entities a customer names that the catalog does not hold: countries, and lines by the last
digits of their number ("the line ending 203", "la que acaba en 203").

Plans, add-ons, billing periods and amounts are matched against the catalog and the clock
by the engine (``assistant.engine.slots``, ``assistant.engine.periods``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from knowledge.text import fold

_LINE_DIGITS = re.compile(
    r"\b(?:ending|ends|ending in|ends in|finishing|last (?:\d )?digits?|terminad[ao] en|"
    r"que (?:acaba|termina) en|acabad[ao] en|inayoishia na|number)\s*(?:in|with|en|na)?\s*"
    r"(\d{2,4})\b"
)


@dataclass(frozen=True)
class Mention:
    """A name found in a text: the entity's code and where it stands in the folded text."""

    code: str
    start: int
    end: int


@lru_cache(maxsize=1)
def _countries_file() -> dict[str, list[str]]:
    return yaml.safe_load(
        resources.files("assistant.nlu").joinpath("data", "countries.yaml").read_text("utf-8")
    )


@lru_cache(maxsize=1)
def _country_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    raw = _countries_file()
    names = {
        fold(str(name)): str(code)
        for code, names_ in raw.items()
        if not str(code).startswith("_")
        for name in names_
    }
    # Longest names first, so "south africa" wins over a shorter name inside it.
    alternation = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<![\w.])({alternation})(?![\w])"), names


def countries(text: str) -> list[Mention]:
    """Countries named in ``text`` (ISO codes), in order; "us" only when not the pronoun."""
    pattern, names = _country_pattern()
    folded = fold(text)
    found = []
    for match in pattern.finditer(folded):
        name = match.group(1)
        if name == "us" and not re.search(r"\b(in|to|the|from|for|visit\w*) us\b", folded):
            continue  # "tell us", "help us" -- the pronoun
        found.append(Mention(names[name], match.start(1), match.end(1)))
    return found


@lru_cache(maxsize=1)
def _eea() -> frozenset[str]:
    return frozenset(str(c) for c in _countries_file().get("_eea", ()))


#: How the documents name the EU / EEA, per language.
_EEA_TERMS = {"en": "EU, EEA, Europe", "es": "UE, Unión Europea, EEE, Europa"}


def region_terms(text: str, lang: str) -> str | None:
    """The region the documents would name for a country in ``text`` (only EU/EEA members,
    a fact; other zones are each market's policy), or None."""
    if any(m.code in _eea() for m in countries(text)):
        return _EEA_TERMS.get(lang, _EEA_TERMS["en"])
    return None


#: A message about a line ("the other line, the 201") may give its digits on their own.
_LINE_WORD = re.compile(r"\b(lines?|linea|lineas|laini|numbers?|numero)\b")
_BARE_DIGITS = re.compile(r"(?<![\d.,£€$])\b(\d{3,4})\b(?!\s*(?:mb|gb|kb|min|sms|texts?|"
                          r"minutes?|eur|gbp|kes|€|£|%|[.,]\d))")


def line_digits(text: str) -> str | None:
    """The last digits of a line number the text points at, or None."""
    folded = fold(text)
    match = _LINE_DIGITS.search(folded)
    if match:
        return match.group(1)
    if _LINE_WORD.search(folded):
        bare = _BARE_DIGITS.findall(folded)
        if len(bare) == 1 and not re.fullmatch(r"20\d\d", bare[0]):  # not a year
            return str(bare[0])
    return None


def replace_country(query: str, text: str) -> str | None:
    """``query`` with its country replaced by the one ``text`` names, or None if either has
    none: "roaming in France?" + "and in the US?" -> "roaming in the US?"."""
    old, new = countries(query), countries(text)
    if not old or not new:
        return None
    # Spans index the folded text; folding keeps lengths for the names we know (accents go,
    # letters stay), so the customer's own spelling can be copied.
    source = text if len(fold(text)) == len(text) else fold(text)
    name = source[new[0].start : new[0].end]
    folded = fold(query)
    if len(folded) != len(query):  # folding changed lengths: rebuild on the folded form
        query = folded
    return f"{query[: old[0].start]}{name}{query[old[0].end :]}"
