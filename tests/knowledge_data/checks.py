"""Consistency checks for the labeled queries and the qa suite, against the corpus.

Each check returns a list of problems (empty when the record is sound), so the tests can report
every bad record at once and can also prove, on planted faults, that the checks really fail.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from knowledge.chunking import chunk_document
from knowledge.corpus import SourceDocument, load_corpus

QUERY_KEYS = frozenset({"id", "question", "language", "country", "relevant", "answerable", "tags"})
QA_KEYS = frozenset(
    {
        "id",
        "question",
        "persona",
        "language",
        "must_include",
        "must_cite",
        "must_not_include",
        "answerable",
        "tags",
    }
)
LANGUAGES = frozenset({"en", "es"})
COUNTRIES = frozenset({"GB", "ES", "KE"})
QUERY_ID = re.compile(r"^q\d{3,}$")
QA_ID = re.compile(r"^qa\d{3,}$")
PERSONA_ID = re.compile(r"^C-\d{4}$")
_MARKUP = re.compile(r"\*\*|`")
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Corpus text as a reader sees it: no bold/code markers, whitespace collapsed."""
    return _SPACE.sub(" ", _MARKUP.sub("", text)).strip()


@dataclass(frozen=True)
class DocFacts:
    """What the checks need to know about one document id (its version in force)."""

    doc_id: str
    countries: frozenset[str]
    sections: frozenset[str]
    text: str


def corpus_facts(day: date, corpus_dir: Path | None = None) -> dict[str, DocFacts]:
    """Doc id -> facts of the version in force on ``day``; superseded versions are ignored."""
    current: dict[str, SourceDocument] = {
        doc.meta.id: doc for doc in load_corpus(corpus_dir) if doc.meta.effective_on(day)
    }
    return {
        doc_id: DocFacts(
            doc_id=doc_id,
            countries=frozenset(doc.meta.countries),
            sections=frozenset(chunk.section_id for chunk in chunk_document(doc)),
            text=normalise(f"{doc.meta.title}\n{doc.body}"),
        )
        for doc_id, doc in current.items()
    }


def _common(
    record: Mapping[str, Any], keys: frozenset[str], id_pattern: re.Pattern[str]
) -> list[str]:
    problems = []
    if set(record) != keys:
        missing, extra = sorted(keys - set(record)), sorted(set(record) - keys)
        problems.append(f"keys: missing {missing}, unexpected {extra}")
    if not id_pattern.match(str(record.get("id", ""))):
        problems.append(f"id {record.get('id')!r} does not match {id_pattern.pattern}")
    question = record.get("question")
    if not isinstance(question, str) or len(question.strip()) < 8:
        problems.append("question must be a non-trivial string")
    if record.get("language") not in LANGUAGES:
        problems.append(f"language {record.get('language')!r} not in {sorted(LANGUAGES)}")
    if not isinstance(record.get("answerable"), bool):
        problems.append("answerable must be true or false")
    tags = record.get("tags")
    if not isinstance(tags, list) or not tags or not all(isinstance(t, str) and t for t in tags):
        problems.append("tags must be a non-empty list of strings")
    return problems


def query_problems(record: Mapping[str, Any], corpus: Mapping[str, DocFacts]) -> list[str]:
    """Why one labeled query is malformed or disagrees with the corpus (empty if it is sound)."""
    problems = _common(record, QUERY_KEYS, QUERY_ID)
    country = record.get("country")
    if country is not None and country not in COUNTRIES:
        problems.append(f"country {country!r} not in {sorted(COUNTRIES)} or null")
    if record.get("language") == "es" and country != "ES":
        problems.append("Spanish questions are about the ES market: country must be ES")
    relevant = record.get("relevant")
    if not isinstance(relevant, list):
        return [*problems, "relevant must be a list"]
    tags = record.get("tags") or []
    if record.get("answerable") is True and not relevant:
        problems.append("an answerable question needs at least one relevant document")
    if record.get("answerable") is False:
        if relevant:
            problems.append("an unanswerable question must have relevant: []")
        if "unanswerable" not in tags:
            problems.append("an unanswerable question must be tagged 'unanswerable'")
    doc_ids = [item.get("doc_id") for item in relevant if isinstance(item, dict)]
    if len(doc_ids) != len(relevant):
        problems.append("each relevant entry must be an object {doc_id, section_id}")
    if len(set(doc_ids)) != len(doc_ids):
        problems.append("relevant lists a document twice (one entry per document)")
    if ("multi-doc" in tags) != (len(set(doc_ids)) > 1):
        problems.append(
            "tag 'multi-doc' must be present exactly when two or more docs are relevant"
        )
    if (record.get("language") == "es") != ("spanish" in tags):
        problems.append("tag 'spanish' must be present exactly on Spanish questions")
    for item in relevant:
        if isinstance(item, dict):
            problems.extend(_relevant_problems(item, country, corpus))
    return problems


def _relevant_problems(
    item: Mapping[str, Any], country: str | None, corpus: Mapping[str, DocFacts]
) -> list[str]:
    if set(item) != {"doc_id", "section_id"}:
        return [f"relevant entry {dict(item)} must have exactly doc_id and section_id"]
    doc = corpus.get(item["doc_id"])
    if doc is None:
        return [f"unknown doc_id {item['doc_id']!r}"]
    problems = []
    section = item["section_id"]
    if section is not None and section not in doc.sections:
        problems.append(
            f"section {section!r} is not a section of the current {doc.doc_id} "
            f"(has: {', '.join(sorted(s.partition('#')[2] for s in doc.sections))})"
        )
    if country is not None and country not in doc.countries:
        problems.append(
            f"{doc.doc_id} does not apply to {country} (it covers {sorted(doc.countries)})"
        )
    return problems


def qa_case_problems(
    case: Mapping[str, Any], corpus: Mapping[str, DocFacts], personas: Iterable[str]
) -> list[str]:
    """Why one qa case is malformed or unfair against the corpus (empty if it is sound)."""
    problems = _common(case, QA_KEYS, QA_ID)
    lists: dict[str, list[Any]] = {}
    for key in ("must_include", "must_cite", "must_not_include"):
        value = case.get(key)
        # A must_include fact may be a list of alternative wordings.
        allow = (str, list) if key == "must_include" else (str,)
        if not isinstance(value, list) or not all(
            isinstance(v, allow) and _words(v) for v in value
        ):
            problems.append(f"{key} must be a list of non-empty strings")
            value = []
        lists[key] = value
    persona = case.get("persona")
    if persona is not None and (not PERSONA_ID.match(str(persona)) or persona not in set(personas)):
        problems.append(f"persona {persona!r} is not a seeded customer id")
    if case.get("answerable") is True and not (lists["must_include"] and lists["must_cite"]):
        problems.append("an answerable case needs must_include facts and must_cite documents")
    if case.get("answerable") is False and (lists["must_include"] or lists["must_cite"]):
        problems.append("an unanswerable case must have empty must_include and must_cite")
    cited = [corpus.get(doc_id) for doc_id in lists["must_cite"]]
    problems += [
        f"unknown doc id {d!r}" for d, c in zip(lists["must_cite"], cited, strict=True) if c is None
    ]
    texts = [c.text for c in cited if c is not None]
    for fact in lists["must_include"]:
        # The first wording is the document's own; the others are rewrites of it.
        wording = fact if isinstance(fact, str) else fact[0]
        if texts and not any(wording in text for text in texts):
            problems.append(f"fact {wording!r} is not written in any cited document")
    for banned in lists["must_not_include"]:
        clash = [
            fact for fact in lists["must_include"] for w in _words(fact) if banned.casefold() in w
        ]
        if clash:
            problems.append(f"must_not_include {banned!r} is contained in must_include {clash}")
    return problems


def _words(fact: str | list[Any]) -> list[str]:
    """The wordings of a fact; empty when it is blank or not made of strings."""
    options = [fact] if isinstance(fact, str) else fact
    if not options or not all(isinstance(o, str) and o.strip() for o in options):
        return []
    return [o.casefold() for o in options]
