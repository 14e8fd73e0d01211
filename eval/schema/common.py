"""Field types shared by every suite schema."""

from __future__ import annotations

from typing import Annotated

from pydantic import ConfigDict, StringConstraints

#: Every case model forbids unknown fields (a typo is an error, not a silently ignored key).
STRICT = ConfigDict(extra="forbid", frozen=True)

CaseId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9._-]*$", max_length=80)]
CustomerId = Annotated[str, StringConstraints(pattern=r"^C-\d{4}$")]
DocId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")]
Text = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]

#: A fact that must be communicated: one phrase, or a list of acceptable alternatives.
Fact = Text | list[Text]
