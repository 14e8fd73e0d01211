"""Consent notices in the customer's language, matched to the exact notice version.

A grant quotes a notice version; the customer must read that version's text. So a
translation (``data/consent_notices.yaml``) is keyed by version and used only for it: a
notice bumped in English shows in English until its translation is written for the new
version, never an out-of-date translation.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import yaml


@cache
def _table() -> dict[str, dict[str, dict[str, str]]]:
    source = resources.files("assistant.i18n").joinpath("data", "consent_notices.yaml")
    return yaml.safe_load(source.read_text("utf-8")) or {}


def consent_notice(version: str, lang: str, title: str, notice: str) -> tuple[str, str]:
    """(title, notice) of notice ``version`` in ``lang``; the English ones given otherwise."""
    entry = (_table().get(lang) or {}).get(version)
    if not entry:
        return title, notice
    return str(entry.get("title") or title), str(entry.get("notice") or notice)
