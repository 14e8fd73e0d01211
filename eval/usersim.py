"""An LLM-driven user simulator (opt-in, only with a real model configured).

tau2-bench style: the simulator gets the case's ``goal`` and the conversation so far, and
answers with the customer's next message or a button press. It drives the same
``Conversation`` the scripted turns drive, so every check applies unchanged. The offline
engine cannot play a customer, so CI never uses this.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from typing import Literal

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

from eval.conversation import Conversation
from eval.schema.conversation import Action

#: Control words the simulator may answer with, and the button each one presses.
CONTROLS: dict[str, Action | None] = {
    "CONFIRM": "confirm",
    "DECLINE": "decline",
    "ALLOW": "grant_consent",
    "STOP": None,
}
_CONTROL = re.compile(r"###\s*(CONFIRM|DECLINE|ALLOW|STOP)\s*###")
_LANGUAGES = {"en": "English", "es": "Spanish"}


@dataclass(frozen=True)
class Move:
    """What the simulated customer does next."""

    kind: Literal["message", "stop"] | Action  # a message, a button press, or stop
    text: str = ""


def parse_move(text: str) -> Move:
    """Read a control word if there is one, else treat the output as the next message."""
    match = _CONTROL.search(text)
    if match:
        button = CONTROLS[match.group(1)]
        return Move("stop") if button is None else Move(button)
    cleaned = text.strip().strip('"').strip()
    return Move("message", cleaned) if cleaned else Move("stop")


class UserSimulator:
    """Plays the customer from a goal, for at most ``max_turns`` moves."""

    def __init__(self, model: BaseChatModel, max_turns: int = 8) -> None:
        self.model = model
        self.max_turns = max_turns

    def _prompt(self, goal: str, language: str) -> str:
        template = resources.files("eval").joinpath("data/usersim.md").read_text("utf-8")
        return template.format(goal=goal, language_name=_LANGUAGES.get(language, "English"))

    def next_move(self, goal: str, language: str, history: list[tuple[str, str]]) -> Move:
        """Ask the model for the customer's next move."""
        # Roles are swapped: the simulator is the "assistant" answering the bot's messages.
        messages: list = [SystemMessage(self._prompt(goal, language))]
        for speaker, text in history:
            messages.append(AIMessage(text) if speaker == "customer" else HumanMessage(text))
        if not history:
            messages.append(HumanMessage("(The chat opens. Write your first message.)"))
        output = self.model.invoke(messages)
        return parse_move(output.text if hasattr(output, "text") else str(output.content))

    def play(self, talk: Conversation, goal: str, language: str = "en") -> None:
        """Hold the conversation until the simulator stops or the move budget is spent."""
        history: list[tuple[str, str]] = []
        for _ in range(self.max_turns):
            move = self.next_move(goal, language, history)
            if move.kind == "stop":
                return
            if move.kind == "message":
                step = talk.say(move.text)
                history.append(("customer", move.text))
            else:
                step = talk.press(move.kind)
                history.append(("customer", f"[presses {move.kind}]"))
            history.append(("assistant", step.reply or step.problem or "(no reply)"))
