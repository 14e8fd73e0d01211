"""Text helpers for the offline engine: folding, content words, sentences of a passage.

Everything here is pure and cheap; it runs several times per turn.
"""

from __future__ import annotations

import re
from functools import lru_cache

from knowledge import text as knowledge_text

_WORD = re.compile(r"[a-z0-9]+(?:[.,][0-9]+)?")
_SPACES = re.compile(r"\s+")
_MD_EMPHASIS = re.compile(r"\*\*|__|`")
_MD_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_HEADING = re.compile(r"^\s*#{1,6}\s+")
_BULLET = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}")
#: A sentence ends at . ! ? followed by space and something that starts a sentence. Decimal
#: points ("£30.00") never match because no space follows them.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'(¿¡A-ZÁÉÍÓÚÑ0-9£€])")

#: Words that carry no topic: left out of lexical overlap.
STOPWORDS = frozenset(
    """a an the and or but if of to in on at by for with from as is are was were be been am do
    does did can could would should will shall may might must i me my mine you your we our us it
    its this that these those there here what which who whom whose how when where why much many
    any some all no not so than then too very just about into over also please tell know want
    need get got have has had hi hello hey vela plan plans
    el la los las un una unos unas y o pero si de del al a en por para con sin como que qué es
    son está estan están ser fue era me mi mis tu tus su sus nos se lo le les esto esta este ese
    esa eso hay cuánto cuanto cuánta cuanta cómo cuál cual cuando dónde donde por favor quiero
    puedo tengo necesito hola tarifa tarifas""".split()
)


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Lowercase and strip accents, so "Días" and "dias" compare equal (cached)."""
    return knowledge_text.fold(text)


def words(text: str) -> list[str]:
    """Folded word tokens of ``text`` (numbers keep their decimal part)."""
    return _WORD.findall(fold(text))


def stem(word: str) -> str:
    """A crude stem good enough to match "roaming"/"roam", "charges"/"charged", "días"/"día"."""
    for suffix in ("ing", "es", "ed", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


@lru_cache(maxsize=16384)
def content_words(text: str) -> frozenset[str]:
    """Stemmed words of ``text`` that carry meaning (stopwords dropped); cached, as passage
    sentences recur from turn to turn."""
    return frozenset(stem(w) for w in words(text) if w not in STOPWORDS and len(w) > 1)


def overlap(question: frozenset[str], sentence: str) -> float:
    """Share of the question's content words found in ``sentence`` (0..1)."""
    if not question:
        return 0.0
    return len(question & content_words(sentence)) / len(question)


def squash(text: str) -> str:
    """Collapse runs of whitespace to one space and trim."""
    return _SPACES.sub(" ", text).strip()


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def _table_row(line: str, header: list[str] | None) -> str | None:
    """A table row as a sentence, its cells labelled by the header when there is one.

    '| Monthly price | £30.00 |' -> 'Monthly price: £30.00.'; under the header
    '| Plan | Months left | Fee |' the row '| Plus 30GB | 10 | £90.00 |' becomes
    'Plan: Plus 30GB; Months left: 10; Fee: £90.00.'
    """
    cells = _cells(line)
    if header and len(header) == len(cells) and all(header):
        text = "; ".join(f"{h}: {c}" for h, c in zip(header, cells, strict=True) if c)
    else:
        label, *values = [c for c in cells if c] or [""]
        if not values:
            return None
        text = f"{label}: {'; '.join(values)}"
    return text if text.endswith((".", "!", "?")) else text + "."


def _looks_like_heading(line: str) -> bool:
    line = line.strip()
    return len(words(line)) <= 8 and not line.endswith((".", "!", "?", ":", ";"))


def passage_sentences(text: str) -> list[str]:
    """Split a markdown passage into clean, self-contained sentences, in order (cached)."""
    return list(_passage_sentences(text))


@lru_cache(maxsize=2048)
def _passage_sentences(text: str) -> tuple[str, ...]:
    """Split a markdown passage into clean, self-contained sentences, in order.

    Headings are dropped (they are not claims), table rows become sentences labelled by
    their header, bullets become sentences (a list item in lower case keeps the lead-in that
    introduced the list), and emphasis markers are removed.
    """
    out: list[str] = []
    paragraph: list[str] = []
    header: list[str] | None = None

    def flush() -> None:
        if len(paragraph) == 1 and _looks_like_heading(paragraph[0]):
            paragraph.clear()  # a bare title line ("Unlimited data and fair use") is no claim
        if paragraph:
            joined = squash(" ".join(paragraph))
            out.extend(s for s in _SENTENCE_END.split(joined) if len(s) > 1)
            paragraph.clear()

    for raw in text.splitlines():
        line = _MD_LINK.sub(r"\1", _MD_EMPHASIS.sub("", raw)).rstrip()
        if not line.lstrip().startswith("|"):
            header = None
        if not line.strip():
            flush()
        elif _HEADING.match(line):
            flush()
        elif line.lstrip().startswith("|"):
            flush()
            if _TABLE_RULE.match(line.strip().strip("|")):
                continue
            if header is None:
                # A table's first row is its header; row sentences are labelled with it.
                header = _cells(line)
                if header[0]:
                    continue
                header = []  # '| | Unlimited Max |': rows are 'label | value' pairs
                continue
            row = _table_row(line, header)
            if row:
                out.append(squash(row))
        elif _BULLET.match(line):
            flush()
            item = _BULLET.sub("", line)
            lead = next((o for o in reversed(out) if o.rstrip().endswith(":")), None)
            if item[:1].islower() and lead is not None and out and (
                out[-1] is lead or out[-1].startswith(lead)
            ):
                # "...made up of two parts:" + "- an access charge of £0.55 a minute": the
                # item means something only after its lead-in, so it carries it along.
                item = f"{lead} {item}"
            paragraph.append(item)
        else:
            paragraph.append(line)
    flush()
    return tuple(s.strip() for s in out if len(words(s)) >= 3)
