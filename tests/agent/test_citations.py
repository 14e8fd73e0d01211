"""Citation markers are renumbered 1..n by first appearance, and citations follow suit."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.citations import StreamedRenumbering, TurnStream, passages_of, renumber
from assistant.replies import ToolCallRecord


def passage(cite: int, doc: str) -> dict[str, Any]:
    return {
        "cite": cite,
        "doc_id": doc,
        "title": f"Title of {doc}",
        "section": "Section",
        "section_id": f"{doc}#section",
        "version": 2,
        "snippet": f"Snippet of {doc}.",
        "text": f"Text of {doc}.",
    }


def search(*docs: str, first: int = 1) -> ToolCallRecord:
    """A search whose passages are numbered from ``first`` (the tool always starts at 1)."""
    passages = [passage(n, doc) for n, doc in enumerate(docs, start=first)]
    return ToolCallRecord(
        name="search_knowledge",
        args={"query": "q"},
        outcome="ok",
        result={"answerable": True, "passages": passages},
    )


FIVE = [search("a", "b", "c", "d", "e")]


def numbered(citations: list[Any]) -> list[tuple[int, int | None, str]]:
    return [(c.number, c.passage, c.doc_id) for c in citations]


def test_gaps_are_closed() -> None:
    text, citations = renumber("Roaming is free [2]. Day passes cost £2 [5].", FIVE)
    assert text == "Roaming is free [1]. Day passes cost £2 [2]."
    assert numbered(citations) == [(1, 2, "b"), (2, 5, "e")]


def test_numbers_follow_first_appearance_not_the_search_order() -> None:
    text, citations = renumber("First [4]. Then [1]. Then [3].", FIVE)
    assert text == "First [1]. Then [2]. Then [3]."
    assert [c.doc_id for c in citations] == ["d", "a", "c"]


def test_a_passage_cited_again_keeps_its_number() -> None:
    text, citations = renumber("A [3]. B [5]. A again [3]. Both [5][3].", FIVE)
    assert text == "A [1]. B [2]. A again [1]. Both [2][1]."
    assert numbered(citations) == [(1, 3, "c"), (2, 5, "e")]


def test_citations_carry_the_passage_fields() -> None:
    _, [cited] = renumber("Fact [2].", FIVE)
    assert cited.model_dump() == {
        "number": 1,
        "passage": 2,
        "doc_id": "b",
        "title": "Title of b",
        "section": "Section",
        "section_id": "b#section",
        "version": 2,
        "snippet": "Snippet of b.",
    }


def test_unknown_numbers_are_removed_and_not_cited() -> None:
    # Left in, "[3]" would send the customer to a fourth source that the list does not have.
    text, citations = renumber("Known [2]. Unknown [3] and [9]. End [7].", [search("x", "y")])
    assert text == "Known [1]. Unknown and. End."
    assert numbered(citations) == [(1, 2, "y")]


def test_a_turn_without_passages_is_left_untouched() -> None:
    plain = "Press [1] then [2]."
    assert renumber(plain, []) == (plain, [])
    empty = ToolCallRecord(name="search_knowledge", args={}, outcome="ok",
                           result={"answerable": False, "passages": []})
    assert renumber(plain, [empty]) == (plain, [])


def test_other_tools_results_are_not_passages() -> None:
    bill = ToolCallRecord(name="get_bill", args={}, outcome="ok",
                          result={"passages": [passage(1, "fake")]})
    assert renumber("Fact [1].", [bill]) == ("Fact [1].", [])


def test_two_searches_the_later_numbering_wins() -> None:
    calls = [search("old1", "old2", "old3"), search("new1", "new2")]
    assert set(passages_of(calls)) == {1, 2, 3}
    text, citations = renumber("From the second [2]. From the first [3]. Again [1].", calls)
    assert text == "From the second [1]. From the first [2]. Again [3]."
    assert [c.doc_id for c in citations] == ["new2", "old3", "new1"]


@pytest.mark.parametrize(
    "text",
    [
        "As written [sic].",
        "See [the guide](https://example.com/guide).",
        "Open [1](https://example.com/1) and ![2](https://example.com/2.png).",
        "Grouped [1, 3] and ranged [1-3] forms are not markers.",
        "Three digits [100] and empty [] brackets.",
        "A footnote[^2].",
    ],
)
def test_brackets_that_are_not_markers_are_left_alone(text: str) -> None:
    assert renumber(text, FIVE) == (text, [])


def test_markers_next_to_non_markers() -> None:
    text, citations = renumber("Fare [sic] [4]; see [docs](https://x.y) [2].", FIVE)
    assert text == "Fare [sic] [1]; see [docs](https://x.y) [2]."
    assert [c.doc_id for c in citations] == ["d", "b"]


def test_markers_are_numbered_consistently_across_lines() -> None:
    text, _ = renumber("- one [3]\n[4] starts a line\n- again [3]", FIVE)
    assert text == "- one [1]\n[2] starts a line\n- again [1]"


def stream(chunks: list[str], passages: dict[int, dict[str, Any]]) -> list[str]:
    renumbering = StreamedRenumbering(passages)
    return [renumbering.feed(c) for c in chunks] + [renumbering.flush()]


@pytest.mark.parametrize("size", [1, 2, 3, 5, 1000])
def test_streamed_text_is_renumbered_like_the_whole_text(size: int) -> None:
    whole = "Free [2]. Not [9] cited [sic]. See [1](https://x.y) and [5][2]. End [4]"
    chunks = [whole[i : i + size] for i in range(0, len(whole), size)]
    expected, _ = renumber(whole, FIVE)
    assert "".join(stream(chunks, passages_of(FIVE))) == expected


def test_a_chunk_ending_in_a_possible_marker_is_held_back() -> None:
    pieces = stream(["Roaming is free [", "2", "]. Next"], passages_of(FIVE))
    assert pieces == ["Roaming is free", "", " [1]. Next", ""]


def test_turn_stream_numbers_each_model_message_with_the_passages_found_before_it() -> None:
    turn = TurnStream()
    shown = [
        turn.text("m1", "Let me look [3]"),
        turn.tool_result("search_knowledge", FIVE[0].result),
        turn.text("m2", "It is free [4]."),
        turn.text("m2", " Also [2]"),
        turn.end(),
    ]
    # Before the search nothing is citable, so "[3]" is left as written.
    assert "".join(shown) == "Let me look [3]It is free [1]. Also [2]"
