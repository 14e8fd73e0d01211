"""English glosses for the Swahili and Sheng words in a message (``data/glossary-sw.yaml``).

"bundles zimeisha, nataka kununua zingine" searches as "... (used up finished I want buy)":
the documents are English and Spanish, and an English sentence model cannot match words it
has never seen. The customer's own words stay in the query; the glosses are added to them.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

import yaml

from knowledge.text import fold


@lru_cache(maxsize=1)
def _glossary() -> tuple[re.Pattern[str], dict[str, str]]:
    raw = yaml.safe_load(
        resources.files("assistant.nlu").joinpath("data", "glossary-sw.yaml").read_text("utf-8")
    )
    table = {fold(str(k)): str(v) for k, v in raw.items()}
    alternation = "|".join(re.escape(k) for k in sorted(table, key=len, reverse=True))
    return re.compile(rf"\b({alternation})\b"), table


def english_gloss(text: str) -> str | None:
    """The glosses of the Swahili words in ``text``, in order, once each; None if it has none."""
    pattern, table = _glossary()
    glosses = list(dict.fromkeys(table[m] for m in pattern.findall(fold(text))))
    return " ".join(glosses) if glosses else None
