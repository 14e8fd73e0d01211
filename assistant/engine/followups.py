"""Where the conversation carries on: elliptical follow-ups, corrections and returns.

"and in the US?" after a roaming question, "what about October?" after a bill, "no, I meant
Plus 20GB" after a quote, "and abroad?" after usage, a bare "why?" after a bill, "back to my
data" two topics later: the message leans on the dialogue state (``memory.Memory``: the topic
each earlier turn's tools were about, its search query and bill period) for what it leaves
unsaid. ``FollowUps.continue_topic`` says which intent carries on, and for a documents
question the rewritten query.
"""

from __future__ import annotations

import re

from assistant.engine.catalog import Catalog
from assistant.engine.memory import Memory
from assistant.engine.referents import refers_back
from assistant.engine.slots import match_plans
from assistant.engine.text import content_words, fold, words
from assistant.nlu.entities import replace_country

_FOLLOW_UP = re.compile(
    r"^\W*(and|what about|how about|same for|and if|what if|y|e|que tal|y en|"
    r"and in|and for|y si|y para|y que|na|je)\b"
)
#: "no, I meant October", "not that one, the cheaper one", "perdona, quería decir la 203".
_CORRECTION = re.compile(
    r"^\W*(no|nope|sorry|actually|wait|oops|perdon|perdona|mejor|hapana)?\W*"
    r"(i meant|i mean|not that|rather|instead|quise decir|queria decir|"
    r"me referia|no esa|no ese|nilimaanisha)\b"
    r"|\b(i meant|quise decir|queria decir|me referia)\b"
)
_RETURN = re.compile(
    r"\b(back to|go(ing)? back to|return(ing)? to|about (the|my) \w+ again|"
    r"volviendo a|volvamos a|vuelvo a lo de|regresando a|turudi)\b"
)
_ADDED = re.compile(r"(\s*\([^()]*\))+\s*$")
_WHY = re.compile(r"^\W*(why|how come|por ?que|como es eso|mbona|kwa nini)\b")

#: Account requests a short follow-up can name by itself ("and my payments?").
ACCOUNT_REQUESTS = frozenset(
    {
        "bill",
        "explain_bill",
        "usage",
        "payments",
        "account_overview",
        "pay_bill",
        "list_plans",
        "addons",
    }
)

#: A follow-up inherits the topic unless the classifier is this sure of something else.
SURE = 0.85


class FollowUps:
    """Reads a message as the continuation of the conversation's topic, when it is one."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    def continue_topic(
        self, text: str, memory: Memory, predicted: str, confidence: float, has_slot: bool
    ) -> tuple[str, str | None] | None:
        """The intent (and rewritten query) of an elliptical follow-up or a correction.

        "and in the US?" after a roaming question, "what about October?" after a bill,
        "no, I meant Plus 20GB" after a quote, "and abroad?" after usage, a bare "why?" after
        a bill: the message names a new value for a slot of the conversation's topic, or is
        too short to carry a topic of its own, so the topic carries on.
        """
        topic = memory.topic
        if topic is None:
            return None
        folded = fold(text).strip()
        earlier = self._return_to(folded, memory)
        if earlier is not None:
            return earlier
        n_words = len(words(folded))
        # "is it free?" after a question about porting: a short question whose pronoun
        # stands for the topic is as much a follow-up as "and in the US?".
        pointing = n_words <= 4 and "?" in text and refers_back(folded)
        marked = bool(_FOLLOW_UP.search(folded) or _CORRECTION.search(folded) or pointing)
        if _WHY.match(folded) and topic in ("bill", "explain_bill") and n_words <= 4:
            return "explain_bill", None  # "why?" after a bill asks what made it so
        if not has_slot and not (marked and n_words <= 3):
            return None
        if (
            not has_slot
            and predicted != topic
            and predicted in ACCOUNT_REQUESTS
            and confidence >= 0.5
        ):
            return None  # "and my payments?" after a bill names a request of its own
        if not marked and n_words > 4:
            return None
        if predicted != topic and confidence >= SURE and (not marked or n_words > 4):
            # "October bill?" after usage, "and how much would Libre 50 cost me?" after a
            # bill: a new request the classifier knows well.
            return None
        if topic == "knowledge":
            return "knowledge", self._follow_up_query(memory.last_query or "", text, folded)
        if topic == "list_plans" and predicted in ("change_plan", "quote_plan"):
            return predicted, None  # "I'll take the cheapest one" after the list: that plan
        return topic, None

    @staticmethod
    def _return_to(folded: str, memory: Memory) -> tuple[str, str | None] | None:
        """ "Back to my data", "volviendo a la factura": the earlier topic the message names
        (by shared words with that turn), else the one before the current topic."""
        if not _RETURN.search(folded) or len(memory.topics) < 2:
            return None
        asked = content_words(folded)
        for topic, said, query in reversed(memory.topics[:-1]):
            if asked & content_words(said):
                return topic, query if topic == "knowledge" else None
        topic, _, query = memory.topics[-2]
        return topic, query if topic == "knowledge" else None

    def _follow_up_query(self, base: str, text: str, folded: str) -> str:
        """The last query with the follow-up's new country or plan in place of the old one."""
        # What the last search added to the customer's words (a region, a gloss, a plan
        # name) belonged to that question, not this one.
        base = _ADDED.sub("", base).strip()
        swapped = replace_country(base, text)
        if swapped:
            return swapped
        rest = _FOLLOW_UP.sub("", _CORRECTION.sub("", folded)).strip(" ,.?!¿")
        new_plans = match_plans(text, self.catalog.plans)
        old_plans = match_plans(base, self.catalog.plans)
        if new_plans and old_plans and new_plans[0].id != old_plans[0].id:
            # "how much is Unlimited Max?" + "and Plus 30?" -> "how much is plus 30"
            name = {w for p in old_plans[:1] for w in words(p.name)}
            kept = [w for w in re.findall(r"\S+", base) if fold(w).strip("?¿!.,") not in name]
            return f"{' '.join(kept)} {rest}".strip()
        return f"{base} {rest}".strip()
