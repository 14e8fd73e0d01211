"""Aggregation, gates, compare and the three reports, on hand-made results."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from typer.testing import CliRunner

from eval.__main__ import app
from eval.compare import compare, load_report
from eval.errors import EvalError, SuiteError
from eval.gates import Gate, GateFile, check, load_gates
from eval.metrics import direction, pass_hat_k, percentile, summarise, totals
from eval.pricing import Prices
from eval.reports import write_reports
from eval.results import CaseResult, Report, RunInfo, StepRecord, TrialResult


def trial(passed: bool, **fields: object) -> TrialResult:
    return TrialResult(passed=passed, **fields)


def case(suite: str, cid: str, *outcomes: bool, **fields: object) -> CaseResult:
    return CaseResult(suite=suite, id=cid, trials=[trial(o, **fields) for o in outcomes])


def test_pass_hat_k_is_the_mean_of_c_choose_k_over_n_choose_k() -> None:
    outcomes = [(4, 4), (4, 2), (4, 0)]
    assert pass_hat_k(outcomes, 1) == pytest.approx((1 + 0.5 + 0) / 3)
    assert pass_hat_k(outcomes, 2) == pytest.approx((1 + 1 / 6 + 0) / 3)
    assert pass_hat_k(outcomes, 4) == pytest.approx(1 / 3)
    assert pass_hat_k([(1, 1)], 2) is None
    assert math.comb(4, 2) == 6


def test_percentile_interpolates() -> None:
    assert percentile([10.0, 20.0, 30.0, 40.0], 50) == 25.0
    assert percentile([5.0], 95) == 5.0
    assert percentile([], 50) is None


def test_directions() -> None:
    assert direction("tasks.pass^4") == "higher"
    assert direction("retrieval.ndcg@10") == "higher"
    assert direction("safety.attack_success_rate") == "lower"
    assert direction("consent_violations") == "lower"
    assert direction("turns") is None


def test_summarise_a_conversation_suite() -> None:
    step = StepRecord(kind="say", latency_ms=100, model_calls=1, prompt_tokens=1000,
                      completion_tokens=100)  # fmt: skip
    cases = [
        case("tasks", "a", True, True, steps=[step],
             metrics={"numbers": 2.0, "grounded_numbers": 2.0, "fact_coverage": 1.0}),
        case("tasks", "b", True, False, steps=[step], counters={"consent_violations": 1},
             metrics={"numbers": 2.0, "grounded_numbers": 1.0, "fact_coverage": 0.5}),
    ]  # fmt: skip
    prices = Prices(version=1, currency="USD", prompt_per_million=1.0, completion_per_million=10.0)
    suite = summarise("tasks", cases, prices)
    m = suite.metrics
    assert (m["pass_rate"], m["pass^1"], m["pass^2"]) == (0.75, 0.75, 0.5)
    assert suite.passed_cases == 1
    assert m["fact_coverage"] == 0.75
    assert m["numeric_grounding"] == 0.75
    assert m["consent_violations"] == 2.0  # two trials of case b carry the counter
    assert m["prompt_tokens_per_turn"] == 1000
    assert m["cost_per_turn"] == pytest.approx((1000 * 1.0 + 100 * 10.0) / 1e6)
    assert totals([suite])["consent_violations"] == 2


def report(**metrics: float) -> Report:
    cases = [case("tasks", "a", True), case("tasks", "b", False)]
    suites = {"tasks": summarise("tasks", cases)}
    suites["tasks"].metrics.update(metrics)
    return Report(
        run=RunInfo(model="offline", provider="offline", trials=1, suites=["tasks"],
                    started_at="2026-11-20T10:00:00+00:00", duration_s=1.0),
        suites=suites, counters=totals(suites.values()), cases=cases,
    )  # fmt: skip


def test_gates_pass_fail_and_skip() -> None:
    gates = GateFile(version=1, gates=[
        Gate(metric="tasks.pass_rate", min=0.9), Gate(metric="tasks.latency_p95_ms", max=1.0),
        Gate(metric="qa.pass_rate", min=0.9), Gate(metric="all.consent_violations", max=0),
        Gate(metric="tasks.no_such_metric", min=0),
    ])  # fmt: skip
    statuses = [g.status for g in check(report(pass_rate=0.95, latency_p95_ms=5.0), gates)]
    assert statuses == ["pass", "fail", "skipped", "pass", "fail"]


def test_shipped_gates_file_is_valid_and_a_bad_one_names_the_field(tmp_path: Path) -> None:
    assert load_gates().version == 1
    bad = tmp_path / "gates.yaml"
    bad.write_text("version: 1\ngates:\n  - {metric: tasks.pass_rate, min: 1, max: 2}\n")
    with pytest.raises(SuiteError, match="gates.0"):
        load_gates(bad)


def test_compare_flags_regressions_and_broken_cases() -> None:
    old, new = report(pass_rate=1.0), report(pass_rate=0.9, latency_p50_ms=1.0)
    old.cases = [case("tasks", "a", True), case("tasks", "b", True)]
    result = compare(old, new)
    assert [d.metric for d in result.regressions] == ["pass_rate"]
    assert result.broken_cases == ["tasks/b"]
    assert result.regressed
    assert not compare(old, old).regressed


def test_compare_cli_exit_codes(tmp_path: Path) -> None:
    good, worse = tmp_path / "good", tmp_path / "worse"
    write_reports(report(pass_rate=1.0), good)
    write_reports(report(pass_rate=0.5), worse)
    runner = CliRunner()
    assert runner.invoke(app, ["compare", str(good), str(good)]).exit_code == 0
    regressed = runner.invoke(app, ["compare", str(good), str(worse / "report.json")])
    assert regressed.exit_code == 1
    assert "REGRESSION" in regressed.output


def test_compare_refuses_another_schema_version(tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    path.write_text(json.dumps({"schema_version": 999}))
    with pytest.raises(EvalError, match="schema version 999"):
        load_report(path)


def test_reports_are_self_contained_and_explain_failures(tmp_path: Path) -> None:
    rep = report()
    rep.cases[1].trials[0].failures.append("fact not communicated: 48.60")
    rep.cases[1].trials[0].steps.append(StepRecord(kind="say", user="bill?", reply="<b>hi</b>"))
    rep.gates = check(rep, GateFile(version=1, gates=[Gate(metric="tasks.pass_rate", min=1)]))
    paths = write_reports(rep, tmp_path)
    html = paths["html"].read_text()
    assert "<svg" in html and "fact not communicated: 48.60" in html
    assert "&lt;b&gt;hi&lt;/b&gt;" in html  # transcripts are escaped
    assert "<script" not in html and 'src="http' not in html and 'href="http' not in html
    md = paths["md"].read_text()
    assert "## Gates: FAILED" in md and "`b`" in md
    assert json.loads(paths["json"].read_text())["schema_version"] == 1
