"""Applies mapping.yaml to raw rows: source label -> our intent, with filters and overrides."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import yaml

from assistant.nlu.sources.rows import MappedRow, SourceRow


class MappingError(ValueError):
    """The raw data has a label mapping.yaml does not decide on, or the YAML is malformed."""


def load_mapping() -> dict[str, Any]:
    """mapping.yaml, the package data file beside this module."""
    text = resources.files("assistant.nlu.sources").joinpath("mapping.yaml").read_text("utf-8")
    mapping: dict[str, Any] = yaml.safe_load(text)
    return mapping


def _regex(pattern: str | None) -> re.Pattern[str] | None:
    return re.compile(pattern, re.IGNORECASE) if pattern else None


def words_pattern(terms: list[str]) -> re.Pattern[str]:
    """One regex matching any of `terms` (regex fragments) as whole words."""
    return re.compile(r"\b(" + "|".join(terms) + r")\b", re.IGNORECASE)


@dataclass
class Mapper:
    """Maps one source's rows; counts what it drops and why, for SOURCES.md."""

    name: str
    spec: dict[str, Any]
    guard: re.Pattern[str]
    overrides: dict[str, dict[str, Any]]
    dropped: Counter[str] = field(default_factory=Counter)

    @classmethod
    def for_source(cls, mapping: dict[str, Any], name: str) -> Mapper:
        """The mapper for `name`, a key of mapping.yaml's `sources`."""
        guard = words_pattern(mapping["telecom_guard"])
        return cls(name, mapping["sources"][name], guard, mapping["overrides"].get(name, {}))

    def map(self, row: SourceRow) -> MappedRow | None:
        """Our intent for `row`, or None (counted in `dropped`) when it is not used."""
        tag = f"{self.name}:{row.label}"
        override = self.overrides.get(row.text)
        if override is not None:
            return MappedRow(
                row,
                override["intent"],
                docs=tuple(override.get("docs", ())),
                answerable=override.get("answerable", True),
                tags=(tag, "override"),
            )
        labels: dict[str, str] = self.spec["labels"]
        if row.label in self.spec["dropped"]:
            self.dropped[f"label {row.label}"] += 1
            return None
        if row.label not in labels:
            raise MappingError(f"{self.name}: label {row.label!r} is neither mapped nor dropped")
        rules = (self.spec.get("filters") or {}).get(row.label, {})
        keep_if, drop_if = _regex(rules.get("keep_if")), _regex(rules.get("drop_if"))
        if keep_if is not None and not keep_if.search(row.text):
            self.dropped[f"filter {row.label} (keep_if)"] += 1
            return None
        if drop_if is not None and drop_if.search(row.text):
            self.dropped[f"filter {row.label} (drop_if)"] += 1
            return None
        intent: str = labels[row.label]
        tags: tuple[str, ...] = (tag,)
        for pattern, relabelled in (self.spec.get("relabel") or {}).get(row.label, []):
            regex = _regex(pattern)
            if regex is not None and regex.search(row.text):
                intent, tags = relabelled, (tag, "relabel")
                break
        if intent == "out_of_scope" and self.guard.search(row.text):
            self.dropped["telecom_guard (out_of_scope row that may be in scope)"] += 1
            return None
        return MappedRow(row, intent, tags=tags)
