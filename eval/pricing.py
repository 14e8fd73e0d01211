"""Optional price table: turns token counts into money when a run is given one.

    # prices.yaml
    version: 1
    currency: USD
    prompt_per_million: 0.15       # price of 1M prompt tokens
    completion_per_million: 0.60   # price of 1M completion tokens

Nothing is priced unless ``--prices FILE`` is passed: the offline engine costs nothing, and a
guessed price would be worse than none.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from eval.errors import RunOptionError


class Prices(BaseModel):
    """Price per million tokens, in ``currency``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: Literal[1]
    currency: str = Field(min_length=3, max_length=3)
    prompt_per_million: float = Field(ge=0)
    completion_per_million: float = Field(ge=0)

    def cost(self, prompt_tokens: int, completion_tokens: int) -> float:
        """The price of one call's (or one turn's) tokens."""
        return (
            prompt_tokens * self.prompt_per_million
            + completion_tokens * self.completion_per_million
        ) / 1_000_000


def load_prices(path: Path) -> Prices:
    """Read a price table; an unreadable or invalid one is an option error naming the file."""
    try:
        return Prices.model_validate(yaml.safe_load(path.read_text("utf-8")))
    except (OSError, yaml.YAMLError, ValidationError) as exc:
        raise RunOptionError(f"--prices {path}: {exc}") from exc
