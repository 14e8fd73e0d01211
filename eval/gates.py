"""Release gates: thresholds from the versioned ``eval/gates.yaml``, checked against a report.

A gate names a metric as ``<suite>.<metric>`` (``all.<counter>`` for the zero-tolerance
counters summed over every suite) and exactly one of ``min`` / ``max``. A gate whose suite was
not run is skipped; a gate whose metric is missing or undefined in a run suite fails.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from eval.errors import SuiteError
from eval.results import GateResult, GateStatus, Report


class Gate(BaseModel):
    """One threshold."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    metric: str = Field(pattern=r"^[a-z_]+\.[A-Za-z0-9_@^.]+$")
    min: float | None = None
    max: float | None = None
    why: str = ""

    @model_validator(mode="after")
    def _one_bound(self) -> Gate:
        if (self.min is None) == (self.max is None):
            raise ValueError("give exactly one of min or max")
        return self


class GateFile(BaseModel):
    """The gates file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: Literal[1]
    gates: list[Gate] = Field(min_length=1)


def default_gates_path() -> Path:
    """``eval/gates.yaml`` inside the package."""
    return Path(str(resources.files("eval") / "gates.yaml"))


def load_gates(path: Path | None = None) -> GateFile:
    """Read and validate the gates file."""
    path = path or default_gates_path()
    try:
        return GateFile.model_validate(yaml.safe_load(path.read_text("utf-8")))
    except (OSError, yaml.YAMLError) as exc:
        raise SuiteError(str(path), [f"unreadable: {exc}"]) from exc
    except ValidationError as exc:
        problems = [f"field {'.'.join(map(str, e['loc']))!r}: {e['msg']}" for e in exc.errors()]
        raise SuiteError(str(path), problems) from exc


def _value(report: Report, metric: str) -> tuple[bool, float | None]:
    """(suite was run, value) for ``suite.metric``."""
    suite, name = metric.split(".", 1)
    if suite == "all":
        return bool(report.suites), (
            float(report.counters[name]) if name in report.counters else None
        )
    if suite not in report.suites:
        return False, None
    return True, report.suites[suite].metrics.get(name)


def check(report: Report, gates: GateFile) -> list[GateResult]:
    """Every gate's verdict on the report."""
    results = []
    for gate in gates.gates:
        op: Literal["min", "max"] = "min" if gate.min is not None else "max"
        threshold = gate.min if gate.min is not None else gate.max
        assert threshold is not None  # guaranteed by Gate._one_bound
        ran, value = _value(report, gate.metric)
        status: GateStatus
        if not ran:
            status, why = "skipped", "suite not run"
        elif value is None:
            status, why = "fail", "metric missing or undefined in this run"
        elif (op == "min" and value >= threshold) or (op == "max" and value <= threshold):
            status, why = "pass", gate.why
        else:
            status, why = "fail", gate.why
        results.append(
            GateResult(
                metric=gate.metric, op=op, threshold=threshold, value=value, status=status, why=why
            )
        )
    return results
