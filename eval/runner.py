"""Run suites end to end: validate every input, build the world once, run, aggregate, gate.

All suite files (and the gates file) are validated before anything runs, so a malformed case
stops the run with no report at all rather than a partial one.
"""

from __future__ import annotations

import fnmatch
import platform
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from assistant.settings import Settings
from eval import gates as gating
from eval.errors import RunOptionError
from eval.loader import SUITES, LoadedSuite, load_suites
from eval.metrics import summarise, totals
from eval.pricing import Prices
from eval.results import CaseResult, Report, RunInfo
from eval.runners import conversations, dialogues, qa, redteam, retrieval, understanding
from eval.runners.options import RunOptions
from eval.world import World

Advance = Callable[[str], None]


@dataclass
class RunConfig:
    """What to run and how."""

    settings: Settings
    suites: Sequence[str] = SUITES
    trials: int = 1
    model_label: str = "offline"
    suite_dir: Path | None = None
    gates_path: Path | None = None
    use_gates: bool = True
    prices: Prices | None = None
    user_simulator: bool = False
    judge: bool = False
    cases: Sequence[str] = field(default_factory=tuple)


def select_suites(names: Sequence[str]) -> list[str]:
    """Expand 'all' and check the names, keeping the canonical order."""
    wanted = set(SUITES) if not names or "all" in names else set(names)
    unknown = sorted(wanted - set(SUITES))
    if unknown:
        raise RunOptionError(f"unknown suite(s) {unknown}; choose from {', '.join(SUITES)} or all")
    return [s for s in SUITES if s in wanted]


def _filter(suite: LoadedSuite, patterns: Sequence[str]) -> LoadedSuite:
    if not patterns:
        return suite
    kept = [c for c in suite.cases if any(fnmatch.fnmatchcase(c.id, p) for p in patterns)]
    return LoadedSuite(suite.name, suite.path, kept)


def _commit() -> str | None:
    try:
        done = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    return done.stdout.strip() or None


def _llm_roles(config: RunConfig) -> tuple[Any, Any]:
    """The optional user simulator and judge; both need a real model."""
    if not (config.user_simulator or config.judge):
        return None, None
    if config.settings.model_provider == "offline":
        raise RunOptionError("--user-sim and --judge need a real model (--model openai:...)")
    from assistant.providers import build_chat_model
    from eval.judge import Judge
    from eval.usersim import UserSimulator

    simulator = UserSimulator(build_chat_model(config.settings)) if config.user_simulator else None
    judge = Judge(build_chat_model(config.settings)) if config.judge else None
    return simulator, judge


def count_work(loaded: Sequence[LoadedSuite], trials: int) -> int:
    """Units of progress: one per retrieval query, one per trial of other cases (an
    understanding case runs once per audience)."""
    total = 0
    for suite in loaded:
        if suite.name == "retrieval":
            total += len(suite.cases)
        elif suite.name == "understanding":
            total += sum(len(c.audiences()) for c in suite.cases) * trials
        else:
            total += len(suite.cases) * trials
    return total


def run_suite(
    world: World, suite: LoadedSuite, options: RunOptions, advance: Advance
) -> list[CaseResult]:
    """Run every case of one loaded suite."""
    results = []
    for case in suite.cases:
        if suite.name == "retrieval":
            results.append(retrieval.run_case(world.knowledge, case))
            advance(f"retrieval/{case.id}")
            continue
        if suite.name == "understanding":
            for result in understanding.run_case(world, case, options):
                results.append(result)
                for _ in range(options.trials):
                    advance(f"{suite.name}/{result.id}")
            continue
        if suite.name == "qa":
            result = qa.run_case(world, case, options)
        elif suite.name == "dialogues":
            result = dialogues.run_case(world, case, options)
        elif suite.name == "redteam":
            result = redteam.run_case(world, case, options)
        else:
            result = conversations.run_case(world, case, suite.name, options)
        results.append(result)
        for _ in range(options.trials):
            advance(f"{suite.name}/{case.id}")
    return results


def load(config: RunConfig) -> tuple[list[LoadedSuite], gating.GateFile | None]:
    """Validate every input of the run (suites, gates) before anything is built."""
    if config.trials < 1:
        raise RunOptionError("--trials must be at least 1")
    names = select_suites(config.suites)
    loaded = [_filter(s, config.cases) for s in load_suites(names, config.suite_dir)]
    gate_file = gating.load_gates(config.gates_path) if config.use_gates else None
    return loaded, gate_file


def run(
    config: RunConfig,
    *,
    world: World | None = None,
    advance: Advance | None = None,
    on_start: Callable[[int], None] | None = None,
) -> Report:
    """Run the configured suites and return the report (gates already checked)."""
    loaded, gate_file = load(config)
    simulator, judge = _llm_roles(config)
    options = RunOptions(trials=config.trials, user_simulator=simulator, judge=judge)
    started_at = datetime.now(UTC)
    started = time.perf_counter()
    workdir = Path(tempfile.mkdtemp(prefix="vela-eval-"))
    own_world = world is None
    try:
        world = world or World.open(config.settings, workdir)
        if on_start:
            on_start(count_work(loaded, config.trials))
        results = {
            s.name: run_suite(world, s, options, advance or (lambda _: None)) for s in loaded
        }
    finally:
        if own_world and world is not None:
            world.close()
        shutil.rmtree(workdir, ignore_errors=True)
    summaries = {name: summarise(name, cases, config.prices) for name, cases in results.items()}
    report = Report(
        run=RunInfo(
            model=config.model_label,
            provider=config.settings.model_provider,
            trials=config.trials,
            suites=[s.name for s in loaded],
            started_at=started_at.isoformat(timespec="seconds"),
            duration_s=round(time.perf_counter() - started, 2),
            commit=_commit(),
            python=platform.python_version(),
            platform=platform.platform(terse=True),
            user_simulator=simulator is not None,
            judge=judge is not None,
            prices=config.prices.model_dump() if config.prices else None,
        ),
        suites=summaries,
        counters=totals(summaries.values()),
        cases=[c for cases in results.values() for c in cases],
    )
    if gate_file is not None:
        report.gates = gating.check(report, gate_file)
        report.gates_version = gate_file.version
    return report
