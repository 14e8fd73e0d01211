"""The session line of the system prompt: what a model is told about the conversation.

Every model, a hosted LLM or the offline engine, learns the same facts the same way: whether a
customer is signed in, their market and segment, and the preferred language, in one line
appended to the system prompt for each model call (``assistant.agent``). Never the customer's
identity: tools take that from the session, not from the model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_LINE = re.compile(
    r"^Session: (?P<who>signed-in customer|guest, not signed in); market (?P<market>[A-Z]{2}|"
    r"unknown); segment (?P<segment>\w+|unknown); preferred language (?P<language>[a-z]{2})\.$",
    re.MULTILINE,
)


@dataclass(frozen=True)
class SessionNote:
    """What the session line says."""

    signed_in: bool
    country: str | None = None
    segment: str | None = None
    language: str = "en"

    def render(self) -> str:
        """The line, as appended to the system prompt."""
        who = "signed-in customer" if self.signed_in else "guest, not signed in"
        return (
            f"Session: {who}; market {self.country or 'unknown'}; segment "
            f"{self.segment or 'unknown'}; preferred language {self.language}."
        )


def parse(system_text: str) -> SessionNote | None:
    """The session line of a system prompt, or None when it has none."""
    match = _LINE.search(system_text)
    if match is None:
        return None
    unknown = ("unknown",)
    return SessionNote(
        signed_in=match["who"] == "signed-in customer",
        country=None if match["market"] in unknown else match["market"],
        segment=None if match["segment"] in unknown else match["segment"],
        language=match["language"],
    )
