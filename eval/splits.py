"""Dev and held-out side by side, for the suites that judge understanding (docs/eval.md).

``understanding``, ``dialogues`` and ``tasks`` keep a held-out split nobody tunes on. Their
figures are reported per split (``dev.*``, ``heldout.*``) with ``gap.*`` = |dev - held-out|:
a large gap means the dev split has been tuned on (or is easier) and no longer predicts real
wording. Each trial's ``details`` carries its split (and, for understanding, audience, intent
and language).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence

from eval.results import CaseResult, TrialResult

SPLITS = ("dev", "heldout")
#: Per-trial flags of the understanding suite (rates over trials).
FLAGS = ("handled", "wrong_with_citations", "false_declines", "accidental_tickets")
#: Pooled fractions of the dialogues suite: (name, numerator key, denominator key).
DIALOGUE_FIGURES = (
    ("scenarios_passed", "passed", "scenarios"),
    ("turns_passed", "turns_passed", "turns"),
    ("context_turns_passed", "context_turns_passed", "context_turns"),
)

Breakdown = dict[str, dict[str, dict[str, float | None]]]


def _rate(trials: Sequence[TrialResult], flag: str) -> float | None:
    values = [t.metrics[flag] for t in trials if t.metrics.get(flag) is not None]
    return sum(values) / len(values) if values else None  # type: ignore[arg-type]


def _by(trials: Sequence[TrialResult], key: str) -> dict[str, list[TrialResult]]:
    groups: dict[str, list[TrialResult]] = defaultdict(list)
    for trial in trials:
        groups[str(trial.details.get(key))].append(trial)
    return groups


def _gap(dev: float | None, heldout: float | None) -> float | None:
    return None if dev is None or heldout is None else abs(dev - heldout)


def _side_by_side(
    trials: Sequence[TrialResult],
    key: str,
    figure: Callable[[Sequence[TrialResult]], float | None],
    column: str = "handled",
) -> dict[str, dict[str, float | None]]:
    """One row per value of ``key``: n and ``column`` for dev and held-out, and the gap."""
    rows: dict[str, dict[str, float | None]] = {}
    for value, group in sorted(_by(trials, key).items()):
        splits = _by(group, "split")
        row: dict[str, float | None] = {}
        for split in SPLITS:
            row[f"{split}.n"] = float(len(splits.get(split, [])))
            row[f"{split}.{column}"] = figure(splits[split]) if split in splits else None
        row["gap"] = _gap(row[f"dev.{column}"], row[f"heldout.{column}"])
        rows[value] = row
    return rows


def understanding(cases: Sequence[CaseResult]) -> tuple[dict[str, float | None], Breakdown]:
    """Split, split x audience and gap figures, and per-intent/language/audience tables."""
    trials = [t for c in cases for t in c.trials]
    metrics: dict[str, float | None] = {}
    splits = _by(trials, "split")
    for split in SPLITS:
        group = splits.get(split, [])
        metrics[f"{split}.cases"] = float(len(group))
        for flag in FLAGS:
            metrics[f"{split}.{flag}"] = _rate(group, flag)
        for who, sub in sorted(_by(group, "as").items()):
            for flag in FLAGS:
                metrics[f"{split}.{who}.{flag}"] = _rate(sub, flag)
    for flag in FLAGS:
        metrics[f"gap.{flag}"] = _gap(metrics["dev." + flag], metrics["heldout." + flag])
    handled = lambda group: _rate(group, "handled")  # noqa: E731
    breakdown: Breakdown = {
        "by intent": _side_by_side(trials, "intent", handled),
        "by language": _side_by_side(trials, "lang", handled),
        "by audience": _side_by_side(trials, "as", handled),
    }
    return metrics, breakdown


def _pooled(trials: Sequence[TrialResult], numerator: str, denominator: str) -> float | None:
    total = sum(float(t.details.get(denominator, 0)) for t in trials)
    part = sum(float(t.details.get(numerator, 0)) for t in trials)
    return part / total if total else None


def dialogues(cases: Sequence[CaseResult]) -> tuple[dict[str, float | None], Breakdown]:
    """Scenarios, turns and context turns passed per split, and the gaps."""
    trials = [t for c in cases for t in c.trials]
    metrics: dict[str, float | None] = {}
    splits = _by(trials, "split")
    for split in SPLITS:
        group = splits.get(split, [])
        metrics[f"{split}.scenarios"] = float(len(group))
        for name, numerator, denominator in DIALOGUE_FIGURES:
            metrics[f"{split}.{name}"] = _pooled(group, numerator, denominator)
    for name, _, _ in DIALOGUE_FIGURES:
        metrics[f"gap.{name}"] = _gap(metrics[f"dev.{name}"], metrics[f"heldout.{name}"])
    by_language = _side_by_side(
        trials, "language", lambda group: _pooled(group, "passed", "scenarios"), "passed"
    )
    return metrics, {"scenarios passed by language": by_language}


def tasks(cases: Sequence[CaseResult]) -> tuple[dict[str, float | None], Breakdown]:
    """Tasks passed per split (every trial), and the gap."""
    trials = [t for c in cases for t in c.trials]
    metrics: dict[str, float | None] = {}
    splits = _by(trials, "split")
    passed = lambda group: sum(t.passed for t in group) / len(group) if group else None  # noqa: E731
    for split in SPLITS:
        group = splits.get(split, [])
        metrics[f"{split}.tasks"] = float(len(group))
        metrics[f"{split}.pass_rate"] = passed(group)
    metrics["gap.pass_rate"] = _gap(metrics["dev.pass_rate"], metrics["heldout.pass_rate"])
    return metrics, {}


#: The suites reported per split, and their figures.
SPLIT_FIGURES = {"understanding": understanding, "dialogues": dialogues, "tasks": tasks}
