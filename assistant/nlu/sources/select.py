"""Deterministic choice of rows: one home per utterance, class caps, spread over source labels."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from assistant.nlu.sources.rows import MappedRow, stable_hash

# An utterance that is in more than one split is kept in the first of these and removed from
# the others, so that held-out stays intact and nothing in it is ever trained on.
SPLIT_PRIORITY = ("heldout", "dev", "train")


def _order(row: MappedRow) -> str:
    return stable_hash(row.row.source, row.key)


def one_home(rows: Iterable[MappedRow]) -> tuple[dict[str, list[MappedRow]], dict[str, int]]:
    """Each normalised text once across every split; texts given two intents are dropped.

    Returns the rows per split and counts of what was removed.
    """
    by_key: dict[str, list[MappedRow]] = defaultdict(list)
    for row in rows:
        by_key[row.key].append(row)
    kept: dict[str, list[MappedRow]] = {split: [] for split in SPLIT_PRIORITY}
    removed = {"conflicting intents": 0, "duplicate text": 0, "empty text": 0}
    for key, group in sorted(by_key.items()):
        if not key:
            removed["empty text"] += len(group)
            continue
        if len({row.intent for row in group}) > 1:
            removed["conflicting intents"] += len(group)
            continue
        group.sort(key=lambda r: (SPLIT_PRIORITY.index(r.row.split), _order(r)))
        kept[group[0].row.split].append(group[0])
        removed["duplicate text"] += len(group) - 1
    return kept, removed


def spread(
    rows: list[MappedRow], n: int, weights: dict[str, int], per_label: int | None = None
) -> list[MappedRow]:
    """Up to `n` rows, taken round-robin over source labels so no label crowds out the others.

    A label named in `weights` ("source:label") gets that many picks per round (and that many
    times `per_label`). Labels and rows are visited in hash order, so the result is stable.
    """
    queues: dict[str, list[MappedRow]] = defaultdict(list)
    for row in sorted(rows, key=_order):
        queues[f"{row.row.source}:{row.row.label}"].append(row)
    labels = sorted(queues, key=lambda label: stable_hash(label))
    taken: dict[str, int] = defaultdict(int)
    chosen: list[MappedRow] = []
    while len(chosen) < n:
        progress = False
        for label in labels:
            weight = weights.get(label, 1)
            limit = None if per_label is None else per_label * weight
            for _ in range(weight):
                if len(chosen) >= n or not queues[label]:
                    break
                if limit is not None and taken[label] >= limit:
                    break
                chosen.append(queues[label].pop(0))
                taken[label] += 1
                progress = True
        if not progress:
            break
    return chosen


def cap_per_intent(rows: list[MappedRow], cap: int) -> list[MappedRow]:
    """At most `cap` rows of each intent, spread over the source labels that feed it."""
    by_intent: dict[str, list[MappedRow]] = defaultdict(list)
    for row in rows:
        by_intent[row.intent].append(row)
    chosen: list[MappedRow] = []
    for intent in sorted(by_intent):
        chosen.extend(spread(by_intent[intent], cap, weights={}))
    return chosen
