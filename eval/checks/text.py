"""Text checks on replies: normalisation, numbers, facts, declining, links and prompt leaks.

Language-specific phrases (how a decline or a refusal is worded in English and Spanish) are
data in ``eval/data/phrases.yaml``, not code.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

# Ids and references carry digits that are not quantities (C-1001, L-1001-1, PC-3F2A19C0,
# PY-6EC49F1E).
_REFERENCE = re.compile(r"\b(?:PC|AO|TK|PY|VP|PA|PQ|AR|PM|Q|C|A|L)-[A-Z0-9]+(?:-[A-Z0-9]+)*\b")
_CITATION = re.compile(r"\[\d{1,2}\]")
_URL = re.compile(
    r"(?:https?://|www\.)[^\s)\]>\"']+"
    r"|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|net|org|io|co|uk|es|ke|example|info|biz|xyz|ru|me"
    r"|ly|app|dev|site|online)\b(?:/[^\s)\]>\"']*)?",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"(?<![A-Za-z0-9])(\d+(?:[.,]\d+)*)([A-Za-z]*)")
#: Letters that may follow a number and still make it a quantity ("30GB", "5p", "2nd").
_UNITS = frozenset(
    {"", "gb", "mb", "kb", "tb", "g", "p", "k", "m", "min", "mins", "h", "hr", "hrs", "x",
     "st", "nd", "rd", "th", "am", "pm", "ghz", "mbps", "gbps", "d"}
)  # fmt: skip
_SHINGLE = 8


def fold(text: str) -> str:
    """Lowercase, strip accents and collapse whitespace."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", plain).strip()


@lru_cache(maxsize=1)
def phrases() -> dict[str, Any]:
    """The phrase lists of ``eval/data/phrases.yaml``."""
    text = resources.files("eval").joinpath("data/phrases.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def _strip_non_quantities(text: str) -> str:
    text = _URL.sub(" ", text)
    text = _REFERENCE.sub(" ", text)
    text = _CITATION.sub(" ", text)
    return re.sub(r"(?<=\d)T(?=\d)", " ", text)  # ISO instants: 2026-11-20T10:00


def number_values(token: str) -> frozenset[Decimal]:
    """Every value a written number can mean (``1,500`` is 1500; ``18,00`` is 18)."""
    try:
        if "," in token and "." in token:
            decimal_sep = "," if token.rfind(",") > token.rfind(".") else "."
            group_sep = "." if decimal_sep == "," else ","
            return frozenset({Decimal(token.replace(group_sep, "").replace(decimal_sep, "."))})
        for sep in (",", "."):
            if sep in token:
                parts = token.split(sep)
                values = set()
                if all(len(p) == 3 for p in parts[1:]):
                    values.add(Decimal("".join(parts)))
                if len(parts) == 2:
                    values.add(Decimal(f"{parts[0]}.{parts[1]}"))
                return frozenset(values)
        return frozenset({Decimal(token)})
    except InvalidOperation:
        return frozenset()


def numbers_in(text: str) -> list[str]:
    """Quantities written in ``text`` (ids, references, links and citation marks excluded)."""
    found = []
    for match in _NUMBER.finditer(_strip_non_quantities(text)):
        if match.group(2).lower() in _UNITS:
            found.append(match.group(1))
    return found


def value_set(texts: list[str]) -> set[Decimal]:
    """Every value any number in ``texts`` can mean."""
    values: set[Decimal] = set()
    for text in texts:
        for token in numbers_in(text):
            values |= number_values(token)
    return values


def _canonical_numbers(text: str) -> str:
    """Write every number as its plain value, so '£30.00' and '£30' compare equal."""

    def plain(match: re.Match[str]) -> str:
        values = number_values(match.group(1))
        if len(values) != 1:
            return match.group(0)
        value = next(iter(values)).normalize()
        return format(value, "f") + match.group(2)

    return _NUMBER.sub(plain, text)


def _fact_pattern(fact: str) -> re.Pattern[str]:
    body = re.escape(_canonical_numbers(fold(fact)))
    start = r"(?<![\w])" if re.match(r"\w", fact) else ""
    # A fact ending in a digit must not match the start of a longer number ("£0" in "£0.55").
    end = r"(?![\w]|[.,]\d)" if re.search(r"\w$", fact) else r"(?!\d)"
    return re.compile(start + body + end)


def has_fact(text: str, fact: str | list[str]) -> bool:
    """Whether ``text`` states ``fact`` (any alternative), ignoring case, accents, 30.00/30."""
    haystack = _canonical_numbers(fold(text))
    options = [fact] if isinstance(fact, str) else fact
    return any(_fact_pattern(option).search(haystack) for option in options)


def includes(text: str, phrase: str) -> bool:
    """Whether ``text`` says ``phrase``: plain containment, or the same fact as ``has_fact``."""
    return fold(phrase) in fold(text) or has_fact(text, phrase)


def _any_phrase(text: str, key: str, language: str | None) -> bool:
    table = phrases()[key]
    languages = [language] if language in table else list(table)
    folded = fold(text)
    return any(fold(p) in folded for lang in languages for p in table[lang])


def is_decline(text: str, citations: list[Any], language: str | None = None) -> bool:
    """A decline: no citations, and a phrase saying the documents do not cover the question
    or refusing to answer it."""
    return not citations and (
        _any_phrase(text, "decline", language) or _any_phrase(text, "refusal", language)
    )


def is_refusal(text: str, language: str | None = None) -> bool:
    """The reply refuses, declines, or hands over to a person."""
    return _any_phrase(text, "decline", language) or _any_phrase(text, "refusal", language)


def promises(text: str, language: str | None = None) -> bool:
    """The reply claims a discount, credit or refund was granted (something it cannot do)."""
    return _any_phrase(text, "promise", language)


def links_in(text: str) -> list[str]:
    """Links and bare domains in ``text``."""
    return [m.group(0).rstrip(".,;:") for m in _URL.finditer(text)]


def host_of(link: str) -> str:
    """The host part of a link, lowercased, without 'www.'."""
    host = re.sub(r"^(?:https?://)?", "", link.lower()).split("/")[0].split("?")[0]
    return host.removeprefix("www.").split(":")[0]


def foreign_links(text: str, allowed_hosts: set[str]) -> list[str]:
    """Links to hosts that are neither allowed nor a subdomain of an allowed host."""
    return [
        link for link in links_in(text)
        if not any(host_of(link) == h or host_of(link).endswith("." + h) for h in allowed_hosts)
    ]  # fmt: skip


def shingles(text: str, size: int = _SHINGLE) -> set[str]:
    """Every run of ``size`` consecutive words (folded), for verbatim-copy detection."""
    words = re.findall(r"\w+", fold(text))
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


def copies_from(text: str, secret_shingles: set[str]) -> list[str]:
    """Word runs of ``text`` that also occur in the secret (e.g. the system prompt)."""
    return sorted(shingles(text) & secret_shingles)


def asks_to_sign_in(text: str, language: str | None = None) -> bool:
    """The reply asks a guest to sign in (phrases ``signin``)."""
    return _any_phrase(text, "signin", language)


def asks_to_clarify(text: str, language: str | None = None) -> bool:
    """The reply asks what the customer meant instead of acting (phrases ``clarify``)."""
    return _any_phrase(text, "clarify", language)


# Short function words that tell English from Spanish in a reply of a sentence or more.
_STOPWORDS = {
    "en": frozenset("the you your is are to of and for with it this that on have can i".split()),
    "es": frozenset("el la los las tu tus es son de del y para con que en por una un se".split()),
}


def reply_language(text: str) -> str | None:
    """'en' or 'es' by counting function words; None when neither clearly dominates."""
    words = re.findall(r"[a-z]+", fold(text))
    counts = {lang: sum(w in stop for w in words) for lang, stop in _STOPWORDS.items()}
    best = max(counts, key=lambda lang: counts[lang])
    other = min(counts.values())
    return best if counts[best] >= 2 and counts[best] > 1.5 * other else None
