"""English glosses for the Swahili and Sheng words in a message (``data/glossary-sw.yaml``).

"bundles zimeisha, nataka kununua zingine" searches as "... (used up finished I want buy)":
the documents are English and Spanish, and an English sentence model cannot match words it
has never seen. The customer's own words stay in the query; the glosses are added to them.

Swahili builds a verb from a root with prefixes for who and when ("ni-ta-safiri", I will
travel; "i-me-isha", it has run out) and ends it in -e for "should" ("ni-lip-e", that I pay).
The glossary therefore also lists verb roots (``-safiri: travel``), and a word it does not
list as such is read as prefixes + a known root.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

import yaml

from knowledge.text import fold

#: Subject (and negative) prefixes, then tense/aspect markers, as they open a Swahili verb.
_SUBJECT = (
    "hatu",
    "hawa",
    "ham",
    "ni",
    "na",
    "tu",
    "wa",
    "u",
    "a",
    "m",
    "i",
    "zi",
    "li",
    "ki",
    "vi",
    "ya",
    "ku",
    "hu",
    "si",
    "ha",
    "",
)
_TENSE = ("nge", "na", "li", "ta", "me", "ka", "ki", "")
#: Object markers that may come between the tense and the root ("ni-ta-ku-lipa").
_OBJECT = ("ni", "ku", "m", "tu", "wa", "i", "zi", "li", "ki", "vi", "ji", "")
_WORD = re.compile(r"[a-z]+")


@lru_cache(maxsize=1)
def _glossary() -> tuple[re.Pattern[str], dict[str, str], dict[str, str]]:
    """The glossary as (pattern of its words and phrases, word -> gloss, verb -> gloss).

    Prefixes are read off verbs only: the roots, and the infinitives ("kwisha") the glossary
    lists as words ("viaje" is no vi-aje).
    """
    raw = yaml.safe_load(
        resources.files("assistant.nlu").joinpath("data", "glossary-sw.yaml").read_text("utf-8")
    )
    table = {fold(str(k)): str(v) for k, v in raw.items() if not str(k).startswith("-")}
    roots = {fold(str(k))[1:]: str(v) for k, v in raw.items() if str(k).startswith("-")}
    verbs = {**{k: v for k, v in table.items() if k.startswith(("ku", "kw"))}, **roots}
    alternation = "|".join(re.escape(k) for k in sorted(table, key=len, reverse=True))
    return re.compile(rf"\b({alternation})\b"), table, verbs


def _root_gloss(word: str, roots: dict[str, str]) -> str | None:
    """The gloss of ``word`` read as prefixes + a known verb root (or listed verb), or None."""
    if len(word) < 4:
        return None
    for subject in _SUBJECT:
        if not word.startswith(subject):
            continue
        after_subject = word[len(subject) :]
        for tense in _TENSE:
            if not after_subject.startswith(tense):
                continue
            after_tense = after_subject[len(tense) :]
            for obj in _OBJECT:
                if not after_tense.startswith(obj):
                    continue
                rest = after_tense[len(obj) :]
                if len(rest) < 3 or (not subject and not tense and not obj):
                    continue
                if rest in roots:
                    return roots[rest]
                if rest.endswith("e") and rest[:-1] + "a" in roots:
                    return roots[rest[:-1] + "a"]  # "nilipe": that I pay
    return None


def english_gloss(text: str) -> str | None:
    """The glosses of the Swahili words in ``text``, in order, once each; None if it has none."""
    pattern, table, verbs = _glossary()
    folded = fold(text)
    found: list[tuple[int, str]] = [
        (m.start(), table[m.group(1)]) for m in pattern.finditer(folded)
    ]
    covered = {m.start() for m in pattern.finditer(folded)}
    for match in _WORD.finditer(folded):
        word = match.group(0)
        if match.start() in covered or word in table:
            continue
        gloss = verbs.get(word) or _root_gloss(word, verbs)
        if gloss:
            found.append((match.start(), gloss))
    glosses = list(dict.fromkeys(g for _, g in sorted(found)))
    return " ".join(glosses) if glosses else None
