"""Compare two reports: metric deltas per suite, regressions flagged, cases that broke.

A regression is a metric that moved the wrong way by more than its tolerance: rates and scores
(0..1) by more than ``rate_tolerance``; a zero-tolerance counter or attack success by anything;
latency by more than ``latency_tolerance`` (relative) and 5 ms; tokens and cost by more than
``usage_tolerance`` (relative). A case that passed every trial before and fails now is a
regression too.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from eval.errors import EvalError
from eval.metrics import COUNTERS, direction
from eval.results import SCHEMA_VERSION, Report


@dataclass(frozen=True)
class Delta:
    """One metric in both reports."""

    suite: str
    metric: str
    old: float | None
    new: float | None
    regression: bool

    @property
    def change(self) -> float | None:
        """new - old, when both exist."""
        return None if self.old is None or self.new is None else self.new - self.old


@dataclass
class Comparison:
    """Everything ``compare`` found."""

    deltas: list[Delta] = field(default_factory=list)
    broken_cases: list[str] = field(default_factory=list)
    fixed_cases: list[str] = field(default_factory=list)

    @property
    def regressions(self) -> list[Delta]:
        """Deltas flagged as regressions."""
        return [d for d in self.deltas if d.regression]

    @property
    def regressed(self) -> bool:
        """True when anything got worse."""
        return bool(self.regressions or self.broken_cases)


def load_report(path: Path) -> Report:
    """Read a report.json (a directory means its report.json); refuse other schema versions."""
    path = path / "report.json" if path.is_dir() else path
    try:
        raw = json.loads(path.read_text("utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise EvalError(f"{path}: not a readable report ({exc})") from exc
    if raw.get("schema_version") != SCHEMA_VERSION:
        raise EvalError(
            f"{path}: report schema version {raw.get('schema_version')} "
            f"is not {SCHEMA_VERSION}; re-run the older side"
        )
    return Report.model_validate(raw)


def _worse(metric: str, old: float, new: float, tolerances: dict[str, float]) -> bool:
    way = direction(metric)
    if way is None:
        return False
    loss = (old - new) if way == "higher" else (new - old)
    if loss <= 0:
        return False
    if metric in COUNTERS or metric == "attack_success_rate":
        return True
    if "latency" in metric:
        return loss > max(5.0, abs(old) * tolerances["latency"])
    if "tokens" in metric or "cost" in metric:
        return loss > abs(old) * tolerances["usage"]
    return loss > tolerances["rate"]


def compare(
    old: Report,
    new: Report,
    *,
    rate_tolerance: float = 0.005,
    latency_tolerance: float = 0.25,
    usage_tolerance: float = 0.10,
) -> Comparison:
    """Deltas of every metric both reports have, and cases that changed verdict."""
    tolerances = {"rate": rate_tolerance, "latency": latency_tolerance, "usage": usage_tolerance}
    result = Comparison()
    for suite in sorted(set(old.suites) & set(new.suites)):
        a, b = old.suites[suite].metrics, new.suites[suite].metrics
        for metric in sorted(set(a) | set(b)):
            before, after = a.get(metric), b.get(metric)
            bad = (
                before is not None
                and after is not None
                and _worse(metric, before, after, tolerances)
            ) or (before is not None and after is None and direction(metric) == "higher")
            result.deltas.append(Delta(suite, metric, before, after, bool(bad)))
    passed_before = {(c.suite, c.id) for c in old.cases if c.successes == len(c.trials)}
    passed_now = {(c.suite, c.id) for c in new.cases if c.successes == len(c.trials)}
    in_new = {(c.suite, c.id) for c in new.cases}
    result.broken_cases = sorted(f"{s}/{i}" for s, i in (passed_before & in_new) - passed_now)
    in_old = {(c.suite, c.id) for c in old.cases}
    result.fixed_cases = sorted(f"{s}/{i}" for s, i in (passed_now & in_old) - passed_before)
    return result
