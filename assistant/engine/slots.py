"""Slot filling: plans and add-ons by fuzzy name, data sizes, amounts, and references.

Plan names are matched with rapidfuzz against aliases built from the catalog ("Unlimited
Max", "unlimited", "the 30 gig plan", "tarifa ilimitada"); a data size in the text must agree
with the plan's allowance. References ("that one", "the cheaper one", "esa") are recorded
here and resolved against the conversation's memory by the policy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from rapidfuzz import fuzz

from assistant.engine.catalog import Product
from assistant.engine.text import fold

_SIZE = re.compile(r"\b(\d+(?:[.,]\d+)?)\s*(?:gb|gigs?|gigas?|gigabytes?|g|gbs)\b")
_UNLIMITED = re.compile(r"\b(unlimited|unlimted|unlimitted|ilimitad[ao]s?|sin limite)\b")
_AMOUNT = re.compile(
    r"(?:[£€$]\s?(\d+(?:[.,]\d{1,2})?))|(?:\b(\d+(?:[.,]\d{1,2})?)\s?(?:€|eur|euros?|pounds?|"
    r"gbp|kes|ksh|shillings?)\b)"
)
_THAT_ONE = re.compile(
    r"\b(that|this|the same)\s+(one|plan|tariff|option|pass|add-?on|bundle)\b|\bthat one\b|"
    # "esta" is also a folded "está" (is), so only "ese/esa" and "aquel/aquella" count.
    r"\b(es[ae]|aquell[ao]|aquel)\b(?!\s+(mes|ano|dia|semana))|\bla misma\b"
)
_CHEAPER = re.compile(
    r"\b(cheaper|cheapest|less expensive|lower priced|mas barat[ao]s?|la barata|economic[ao])\b"
)
_DEARER = re.compile(
    r"\b(more expensive|dearer|priciest|most expensive|bigger one|biggest|mas car[ao]s?)\b"
)
_FIRST = re.compile(r"\b(first|primer[ao]?)\b")
_SECOND = re.compile(r"\b(second|segund[ao])\b")
_ZONES = {
    "EU": re.compile(
        r"\b(eu|europe|european|europa|france|francia|spain|espana|italy|italia|germany|"
        r"alemania|portugal|greece|grecia|ireland|irlanda|netherlands|holanda|paris|rome)\b"
    ),
    "Z1": re.compile(
        r"\b(usa|us|america|states|eeuu|estados unidos|canada|switzerland|suiza|turkey|"
        r"turquia|australia|world|mundo|worldwide|new york|nueva york)\b"
    ),
}
_ROAMING = re.compile(r"\b(roam\w*|abroad|travel\w*|trip|holiday|itineran\w*|viaj\w*|"
                      r"extranjero|day pass|pase|week)\b")
_ADDON_WORDS = re.compile(r"\b(extra|add-?ons?|bundle|bono|bonos|pass|pase|top.?up|more data|"
                          r"mas datos|anade|anademe)\b")
_ADDON_GENERIC = frozenset({"pass", "day", "roaming", "extra", "bono", "data", "bundle", "gb",
                            "dia", "week"})
_DATA = re.compile(r"\b(data|datos|extra|more gb|gigas?|megas|bono extra|top.?up)\b")


@dataclass
class Slots:
    """What a message names, before references are resolved."""

    plans: list[Product] = field(default_factory=list)
    addon: Product | None = None
    size_gb: Decimal | None = None
    amount: str | None = None
    reference: str | None = None
    """'that' (last plan mentioned), 'cheaper', 'dearer', 'first' or 'second'."""


_DESCRIPTOR = re.compile(r"\(.*?\)|\b\d+(?:[.,]\d+)?\s*(?:gb|mb)\b|\b\d+-day\b|\b\d+\b|\+")
_PREFIXES = ("tarifa ", "business ", "empresa ")
_GENERIC = frozenset({"business", "monthly", "tarifa"})
_NUMBER = re.compile(r"\b\d+(?:[.,]\d+)?")


@lru_cache(maxsize=1024)
def _name_words(plan: Product) -> tuple[tuple[str, ...], ...]:
    """The words that identify a plan by name, without sizes: ("unlimited", "max"), ...

    A plan may be named with or without its prefix: "Tarifa Ilimitada" or "la ilimitada".
    """
    core = " ".join(_DESCRIPTOR.sub(" ", fold(plan.name)).split())
    variants = {core}
    for prefix in _PREFIXES:
        if core.startswith(prefix):
            variants.add(core[len(prefix):])
    # "Biashara Business", "Prepaid Monthly": the generic word may be left out.
    plain = " ".join(w for w in core.split() if w not in _GENERIC)
    variants.add(plain)
    return tuple(tuple(v.split()) for v in sorted(variants) if v)


def _name_score(plan: Product, tokens: list[str]) -> float:
    """How well the text names the plan: every name word must appear (fuzzily, for typos)."""
    best = 0.0
    for name in _name_words(plan):
        ratios = [max((fuzz.ratio(word, t) for t in tokens), default=0.0) for word in name]
        # Short words must be exact ("pls" is not "plus"); longer ones may carry a typo.
        needed = [100 if len(w) <= 4 else 85 if len(w) <= 6 else 80 for w in name]
        if ratios and all(r >= n for r, n in zip(ratios, needed, strict=True)):
            best = max(best, sum(ratios) / len(ratios))
    return best


def _size_in(text: str) -> Decimal | None:
    match = _SIZE.search(text)
    return Decimal(match.group(1).replace(",", ".")) if match else None


def match_plans(text: str, plans: list[Product], *, business: bool = False) -> list[Product]:
    """Plans named in ``text``, best first; empty when nothing matches well enough."""
    folded = fold(text)
    tokens = re.findall(r"[a-z0-9]+", folded)
    size = _size_in(folded)
    numbers = set(_NUMBER.findall(folded))
    unlimited = bool(_UNLIMITED.search(folded))
    # "Add Extra 5GB" names a size, not the Essential 5GB plan: with add-on words in the
    # text, only a plan named outright counts.
    addon_talk = bool(_ADDON_WORDS.search(folded))
    scored: list[tuple[float, str, Product]] = []
    for plan in plans:
        score = _name_score(plan, tokens)
        if addon_talk and not score:
            continue
        own_numbers = set(_NUMBER.findall(fold(plan.name)))
        if score and numbers & own_numbers:
            score += 25  # "smart 20" is Smart 20GB...
        elif score and numbers and own_numbers:
            score -= 30  # ...and not Smart 5GB
        if size is not None and plan.data_gb is not None:
            score = score + 25 if plan.data_gb == size else score - 40
        elif size is not None and plan.data_gb is None:
            score -= 40
        if unlimited and plan.unlimited:
            score += 20 + (10 if fold(plan.name).startswith(("unlimited", "tarifa")) else 0)
        if score <= 0:
            continue
        if plan.segment == ("business" if business else "consumer"):
            score += 15  # outweighs the name bonus: "unlimited" means the segment's own plan
        if plan.on_sale:
            score += 2
        scored.append((score, plan.id, plan))
    scored.sort(key=lambda item: (-item[0], item[1]))
    if not scored:
        return []
    top = scored[0][0]
    # Keep every plan named outright ("compare Plus 30GB and Unlimited Max"), not near-misses.
    return [p for s, _, p in scored if s >= 100 or s == top]


def match_addon(text: str, addons: list[Product]) -> Product | None:
    """The add-on ``text`` asks for (by name, zone, or data size), or None."""
    folded = fold(text)
    size = _size_in(folded)
    roaming = bool(_ROAMING.search(folded))
    zone = next((z for z, rx in _ZONES.items() if rx.search(folded)), None)
    best: tuple[float, str, Product] | None = None
    tokens = re.findall(r"[a-z0-9]+", folded)
    for addon in addons:
        # Named outright only by its distinctive words ("world", "europe", "mundo").
        words_ = [w for w in re.findall(r"[a-z]+", fold(addon.name)) if w not in _ADDON_GENERIC]
        ratios = [max((fuzz.ratio(w, t) for t in tokens), default=0.0) for w in words_]
        score = 100.0 if ratios and min(ratios) >= 85 else 0.0
        if addon.kind == "data":
            if size is not None and addon.data_gb == size:
                score += 40
            if _DATA.search(folded) and not roaming:
                score += 30
        else:
            if roaming:
                score += 30
            if zone is not None:
                score += 30 if addon.zone == zone else -30
            if "week" in folded or "semana" in folded:
                score += 10 if addon.kind == "roaming_bundle" else 0
        if score > 0 and (best is None or (score, addon.id) > (best[0], best[1])):
            best = (score, addon.id, addon)
    return best[2] if best else None


def reference_in(text: str) -> str | None:
    """Which earlier item the text points at, if any."""
    folded = fold(text)
    if _CHEAPER.search(folded):
        return "cheaper"
    if _DEARER.search(folded):
        return "dearer"
    if re.search(r"\b(the|la|el)\s+(first|primer[ao]?)\b", folded) or (
        _FIRST.search(folded) and "one" in folded
    ):
        return "first"
    if re.search(r"\b(the|la|el)\s+(second|segund[ao])\b", folded) or (
        _SECOND.search(folded) and "one" in folded
    ):
        return "second"
    if _THAT_ONE.search(folded) or re.search(r"\b(it|that)\b\??\s*$", folded):
        return "that"
    return None


def amount_in(text: str) -> str | None:
    """The first money amount in ``text``, as written (digits only), or None."""
    match = _AMOUNT.search(text.lower())
    return (match.group(1) or match.group(2)) if match else None


def extract_slots(
    text: str, plans: list[Product], addons: list[Product], *, business: bool = False
) -> Slots:
    """Everything ``text`` names; plans and add-ons restricted to the lists given."""
    return Slots(
        plans=match_plans(text, plans, business=business),
        addon=match_addon(text, addons),
        size_gb=_size_in(fold(text)),
        amount=amount_in(text),
        reference=reference_in(text),
    )
