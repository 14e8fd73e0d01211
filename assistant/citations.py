"""Citation markers: renumber a reply's ``[n]`` markers 1..n in order of first appearance.

``search_knowledge`` numbers its passages 1..4 and the model (the offline engine or an LLM)
cites them with those numbers, so an answer may cite only "[2]" and "[4]". The customer should
see [1], [2], ... instead: the first passage cited is [1], the next new one [2], a passage cited
again keeps its number, and ``Reply.citations`` lists exactly those passages in that order.

What counts as a marker is what the SDK has always read: one or two digits in square brackets,
so "[1][3]" is two markers. "[1, 3]", "[sic]" and markdown links ("[1](https://...)") are not
markers and are left as written. A marker whose number names no passage of the turn's searches
is removed (with the spaces before it) and gives no citation: left in, it would point the
customer at a source the list does not have. A turn that found no passages is left
untouched: its brackets are not citations.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from assistant.replies import Citation, ToolCallRecord

SEARCH_TOOL = "search_knowledge"

#: A citation marker, with the horizontal space before it (dropped with an unknown marker).
#: Not followed by "(": "[1](https://...)" is a markdown link.
MARKER = re.compile(r"([ \t]*)\[(\d{1,2})\](?!\()")
#: The end of a streamed piece that may still become a marker once more text arrives.
_OPEN_TAIL = re.compile(r"[ \t]*(?:\[\d{0,2}\]?)?\Z")


def passages_of(calls: Sequence[ToolCallRecord]) -> dict[int, dict[str, Any]]:
    """The passages of the turn's searches by the number the search gave them.

    Every search numbers its passages from 1, so after two searches "[1]" is the later
    search's first passage; a number only the earlier search used still names its passage.
    """
    passages: dict[int, dict[str, Any]] = {}
    for call in calls:
        if call.name == SEARCH_TOOL and isinstance(call.result, dict):
            add_passages(passages, call.result)
    return passages


def add_passages(passages: dict[int, dict[str, Any]], result: Mapping[str, Any]) -> None:
    """Add one search result's passages to ``passages`` (the latest search's numbering wins)."""
    for p in result.get("passages") or []:
        passages[int(p["cite"])] = p


def citation(number: int, passage: Mapping[str, Any]) -> Citation:
    """The citation numbered ``number`` in the reply for a search passage."""
    return Citation(
        number=number,
        passage=int(passage["cite"]),
        doc_id=passage["doc_id"],
        title=passage["title"],
        section=passage["section"],
        section_id=passage.get("section_id", ""),
        version=int(passage.get("version", 1)),
        snippet=passage["snippet"],
    )


class Renumbering:
    """Rewrites markers for one text, possibly given piece by piece; numbers are kept across
    pieces, so a passage cited in the first piece keeps its number in the later ones."""

    def __init__(self, passages: Mapping[int, Mapping[str, Any]]) -> None:
        self.passages = passages
        self._new: dict[int, int] = {}  # the search's number -> the number shown

    def _marker(self, match: re.Match[str]) -> str:
        old = int(match.group(2))
        if old not in self.passages:
            return ""
        new = self._new.setdefault(old, len(self._new) + 1)
        return f"{match.group(1)}[{new}]"

    def rewrite(self, text: str) -> str:
        """``text`` with its markers renumbered and unknown markers removed."""
        if not self.passages:
            return text
        return MARKER.sub(self._marker, text)

    def citations(self) -> list[Citation]:
        """The passages cited so far, in the order of their new numbers."""
        return [citation(new, self.passages[old]) for old, new in self._new.items()]


def renumber(text: str, calls: Sequence[ToolCallRecord]) -> tuple[str, list[Citation]]:
    """The reply text with its markers numbered 1..n by first appearance, and its citations."""
    renumbering = Renumbering(passages_of(calls))
    return renumbering.rewrite(text), renumbering.citations()


class StreamedRenumbering:
    """``Renumbering`` for text that arrives in chunks: a chunk's end that may be the start
    of a marker ("... [", "... [1") is held back until the next chunk or ``flush``."""

    def __init__(self, passages: Mapping[int, Mapping[str, Any]]) -> None:
        self._renumbering = Renumbering(passages)
        self._held = ""

    def feed(self, chunk: str) -> str:
        """The part of the text so far that can be shown, renumbered."""
        text = self._held + chunk
        cut = _OPEN_TAIL.search(text)
        start = cut.start() if cut else len(text)
        self._held = text[start:]
        return self._renumbering.rewrite(text[:start])

    def flush(self) -> str:
        """The held-back end of the text, renumbered (the text is complete)."""
        text, self._held = self._held, ""
        return self._renumbering.rewrite(text)


class TurnStream:
    """Renumbers a turn's streamed model text as ``renumber`` numbers the final reply.

    Each model message is numbered on its own from [1], with the passages found before it;
    the last one is the reply's text, so its streamed pieces add up to ``Reply.text``.
    """

    def __init__(self) -> None:
        self._passages: dict[int, dict[str, Any]] = {}
        self._message: StreamedRenumbering | None = None
        self._message_id: str | None = None

    def tool_result(self, name: str | None, result: Any) -> str:
        """A tool finished (the model message before it is complete): what it held back."""
        if name == SEARCH_TOOL and isinstance(result, dict):
            add_passages(self._passages, result)
        return self.end()

    def text(self, message_id: str | None, chunk: str) -> str:
        """A piece of model text: what of it can be shown now, renumbered."""
        rest = ""
        if self._message is None or message_id != self._message_id:
            rest = self.end()
            self._message = StreamedRenumbering(dict(self._passages))
            self._message_id = message_id
        return rest + self._message.feed(chunk)

    def end(self) -> str:
        """The current model message is complete: the text it held back."""
        message, self._message = self._message, None
        return message.flush() if message is not None else ""
