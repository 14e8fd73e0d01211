"""Front matter validation: every bad input names the file and the line."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from knowledge.corpus import load_corpus, parse_document
from knowledge.errors import CorpusError
from tests.knowledge.docs import PLAN, front_matter, write_doc


def test_tiny_corpus_loads_with_typed_fields(corpus: Path) -> None:
    docs = {(d.meta.id, d.meta.version): d for d in load_corpus(corpus)}
    assert set(docs) == {
        ("policy-roaming", 1),
        ("policy-roaming", 2),
        ("plan-gb-test-plus", 1),
        ("politica-portabilidad", 1),
        ("guide-business", 1),
    }
    old = docs[("policy-roaming", 1)].meta
    assert old.effective_to == date(2025, 12, 31)
    assert old.effective_on(date(2025, 6, 1)) and not old.effective_on(date(2026, 1, 1))
    assert docs[("guide-business", 1)].meta.countries == ["GB", "KE"]


def _error(path: Path) -> CorpusError:
    with pytest.raises(CorpusError) as info:
        parse_document(path)
    assert info.value.path == path
    return info.value


@pytest.mark.parametrize(
    ("override", "line", "words"),
    [
        # line 1 is '---'; fields follow in the order id, title, kind, countries, segment,
        # language, effective_from, version, then any extra field.
        ({"surprise": "yes"}, 10, "surprise"),  # unknown field, on its own line
        ({"version": "two"}, 9, "version"),  # wrong type
        ({"version": 0}, 9, "version"),  # out of range
        ({"kind": "leaflet"}, 4, "kind"),  # not in the enum
        ({"countries": "[FR]"}, 5, "countries"),
        ({"countries": "[]"}, 5, "countries"),
        ({"id": "Plan_GB"}, 2, "id"),  # not lowercase-hyphen
        ({"effective_from": "'1st April'"}, 8, "effective_from"),
        ({"id": None}, 1, "id"),  # missing field: the front matter start
    ],
)
def test_bad_field_names_file_and_line(
    tmp_path: Path, override: dict[str, object], line: int, words: str
) -> None:
    path = write_doc(tmp_path, "doc.md", PLAN, **override)
    error = _error(path)
    assert error.line == line, str(error)
    assert words in error.problem
    assert f"{path}:{line}:" in str(error)


def test_malformed_yaml_points_at_the_broken_line(tmp_path: Path) -> None:
    path = write_doc(tmp_path, "doc.md", PLAN, title="Business bundles: connectivity and cloud")
    error = _error(path)
    assert error.line == 3
    assert "malformed YAML" in error.problem


def test_field_given_twice_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "doc.md"
    text = front_matter(id="a", title="T", kind="faq", countries="[GB]", segment="all")
    path.write_text(text.replace("segment: all", "segment: all\nsegment: consumer") + "Body\n")
    assert _error(path).line == 7


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("No front matter here.\n", "must start"),
        ("---\nid: a\n", "never closed"),
        ("---\n- a\n- b\n---\nbody\n", "mapping"),
    ],
)
def test_broken_front_matter_block(tmp_path: Path, text: str, problem: str) -> None:
    path = tmp_path / "doc.md"
    path.write_text(text)
    assert problem in _error(path).problem


def test_effective_to_before_from_is_rejected(tmp_path: Path) -> None:
    path = write_doc(tmp_path, "doc.md", PLAN, effective_to="2024-01-01")
    assert "effective_to" in _error(path).problem


def test_plan_id_only_on_plans(tmp_path: Path) -> None:
    path = write_doc(tmp_path, "doc.md", PLAN, kind="faq", plan_id="GB-PLUS-30")
    assert "plan_id" in _error(path).problem


def test_duplicate_id_and_version_names_both_files(tmp_path: Path) -> None:
    first = write_doc(tmp_path, "a.md", PLAN, id="same-doc")
    second = write_doc(tmp_path, "b.md", PLAN, id="same-doc", effective_from="2026-01-01")
    with pytest.raises(CorpusError) as info:
        load_corpus(tmp_path)
    message = str(info.value)
    assert str(first) in message and str(second) in message
    assert "duplicate" in message
    assert info.value.line == 9  # the version field


def test_overlapping_versions_name_both_files(tmp_path: Path) -> None:
    first = write_doc(tmp_path, "a.v1.md", PLAN, id="same-doc", effective_to="2026-06-30")
    second = write_doc(
        tmp_path, "a.md", PLAN, id="same-doc", version=2, effective_from="2026-06-01"
    )
    with pytest.raises(CorpusError) as info:
        load_corpus(tmp_path)
    assert info.value.path == second
    assert str(first) in str(info.value) and "overlaps" in str(info.value)


def test_two_open_ended_versions_overlap(tmp_path: Path) -> None:
    write_doc(tmp_path, "a.v1.md", PLAN, id="same-doc")
    write_doc(tmp_path, "a.md", PLAN, id="same-doc", version=2, effective_from="2026-01-01")
    with pytest.raises(CorpusError, match="overlaps"):
        load_corpus(tmp_path)


def test_readme_and_underscore_files_are_not_documents(corpus: Path) -> None:
    (corpus / "README.md").write_text("# Notes for writers\n")
    (corpus / "_draft.md").write_text("not ready\n")
    assert len(load_corpus(corpus)) == 5


def test_real_corpus_is_valid() -> None:
    docs = load_corpus()
    assert len(docs) >= 40
    assert sum(d.meta.language == "es" for d in docs) >= 8
