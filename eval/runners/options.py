"""Options shared by every suite runner."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from eval.judge import Judge
    from eval.usersim import UserSimulator


@dataclass(frozen=True)
class RunOptions:
    """How many trials per case, and the optional LLM roles (only with a real model)."""

    trials: int = 1
    user_simulator: UserSimulator | None = None
    judge: Judge | None = None
