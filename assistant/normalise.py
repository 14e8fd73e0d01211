"""One text normaliser for every safety filter: invisible characters out, then NFKC.

A planted instruction can hide from a pattern behind characters a reader never sees: zero-width
spaces and joiners ("ign\u200bore previous instructions"), bidi embeddings and isolates, a BOM,
a soft hyphen (all Unicode category Cf), or behind full-width and other compatibility forms
("ｉｇｎｏｒｅ"). The filters (``assistant.planted``, ``assistant.claims``, the offline engine's
``safety``) read ``normalise(text)``; text shown to people keeps its visible characters.
"""

from __future__ import annotations

import unicodedata


def strip_invisible(text: str) -> str:
    """``text`` without invisible format characters (zero-width, bidi controls, BOM, soft
    hyphen); every visible character is left as it was."""
    if text.isascii():
        return text
    return "".join(c for c in text if unicodedata.category(c) != "Cf")


def normalise(text: str) -> str:
    """What the safety filters read: invisible characters removed, then NFKC (full-width and
    compatibility forms folded to their plain letters and digits)."""
    return unicodedata.normalize("NFKC", strip_invisible(text))
