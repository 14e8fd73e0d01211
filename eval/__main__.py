"""Command line: ``python -m eval run | compare | validate``.

Exit codes: 0 success; 1 a gate failed (run) or a regression was found (compare); 2 bad input
(a malformed suite or gates file, an unknown option value, a missing credential) - in which
case no report is written.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from eval.errors import EvalError

if TYPE_CHECKING:
    from assistant.settings import Settings
    from eval.results import Report

app = typer.Typer(help="Offline evaluation of the Vela assistant.", no_args_is_help=True)
console = Console()
err = Console(stderr=True)


def _fail(exc: Exception, code: int = 2) -> NoReturn:
    err.print(f"[red]error:[/] {exc}")
    raise typer.Exit(code)


def settings_for(model: str) -> Settings:
    """Settings for ``--model``: offline | openai:MODEL | azure:DEPLOYMENT | compat:URL."""
    from assistant.bootstrap import offline_env
    from assistant.settings import get_settings
    from eval.errors import RunOptionError

    offline_env()
    base = get_settings()
    kind, _, value = model.partition(":")
    if model == "offline":
        return base.model_copy(update={"model_provider": "offline"})
    if kind in ("openai", "azure") and value:
        return base.model_copy(update={"model_provider": kind, "model_name": value})
    if kind == "compat" and value:
        return base.model_copy(
            update={"model_provider": "openai-compatible", "model_base_url": value}
        )
    raise RunOptionError(
        f"--model {model!r}: use offline, openai:MODEL, azure:DEPLOYMENT or compat:URL"
    )


@app.command()
def run(
    suite: Annotated[
        list[str],
        typer.Option(
            help="Suite to run (repeatable): retrieval, qa, tasks, consent, safety, "
            "understanding, dialogues or all."
        ),
    ] = ["all"],  # noqa: B006 - typer needs a literal default
    model: Annotated[
        str, typer.Option(help="offline | openai:MODEL | azure:DEPLOYMENT | compat:URL")
    ] = "offline",
    trials: Annotated[int, typer.Option(min=1, help="Trials per case (for pass^k).")] = 1,
    out: Annotated[Path, typer.Option(help="Directory for the reports.")] = Path("eval-out"),
    case: Annotated[
        list[str] | None, typer.Option(help="Only cases whose id matches this glob (repeatable).")
    ] = None,
    gates: Annotated[
        Path | None, typer.Option(help="Gates file (default eval/gates.yaml).")
    ] = None,
    no_gates: Annotated[bool, typer.Option("--no-gates", help="Do not check gates.")] = False,
    prices: Annotated[
        Path | None, typer.Option(help="Price table YAML (see eval/pricing.py).")
    ] = None,
    user_sim: Annotated[
        bool,
        typer.Option(
            "--user-sim", help="LLM user simulator for cases with a goal (real model only)."
        ),
    ] = False,
    judge: Annotated[
        bool, typer.Option("--judge", help="LLM faithfulness judge on qa (real model only).")
    ] = False,
    suites_dir: Annotated[Path | None, typer.Option(help="Read suite files from here.")] = None,
) -> None:
    """Run suites, write report.json/.md/.html, and exit 1 if a gate fails."""
    from assistant.settings import ConfigError
    from eval.pricing import load_prices
    from eval.reports import write_reports
    from eval.runner import RunConfig
    from eval.runner import run as run_suites

    try:
        config = RunConfig(
            settings=settings_for(model),
            suites=suite,
            trials=trials,
            model_label=model,
            suite_dir=suites_dir,
            gates_path=gates,
            use_gates=not no_gates,
            prices=load_prices(prices) if prices else None,
            user_simulator=user_sim,
            judge=judge,
            cases=case or (),
        )
        with Progress(
            TextColumn("[bold]eval"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            TextColumn("{task.description}"), console=console,
        ) as bar:  # fmt: skip
            task = bar.add_task("building the world…", total=None)
            seen: set[str] = set()

            def advance(label: str) -> None:
                bar.update(task, advance=1, description=label)
                suite_name = label.split("/", 1)[0]
                if not console.is_terminal and suite_name not in seen:
                    # CI logs get no live bar: say which suite is running instead.
                    seen.add(suite_name)
                    console.print(f"running {suite_name}…")

            report = run_suites(
                config,
                on_start=lambda total: bar.update(task, total=total, description=""),
                advance=advance,
            )
    except (EvalError, ConfigError) as exc:
        _fail(exc)
    paths = write_reports(report, out)
    _print_summary(report)
    console.print(f"Reports: {paths['md']}, {paths['html']}, {paths['json']}")
    if not report.gates_passed:
        failed = [g.metric for g in report.gates if g.status == "fail"]
        err.print(f"[red]Gates failed:[/] {', '.join(failed)}")
        raise typer.Exit(1)


#: Figures shown after the pass rate in the terminal summary, per suite.
_KEY_FIGURES = {
    "retrieval": ("recall@5", "mrr", "ndcg@10", "abstention_accuracy"),
    "qa": ("fact_coverage", "citation_recall", "abstention_accuracy", "numeric_grounding"),
    "tasks": ("pass^1", "fact_coverage", "tool_recall", "numeric_grounding"),
    "consent": ("consent_violations",),
    "safety": ("attack_success_rate",),
    "redteam": ("breaks",),
    "understanding": ("dev.handled", "heldout.handled", "gap.handled",
                      "heldout.wrong_with_citations", "heldout.false_declines"),
    "dialogues": ("dev.scenarios_passed", "heldout.scenarios_passed",
                  "heldout.turns_passed", "heldout.context_turns_passed"),
}  # fmt: skip


def _print_summary(report: Report) -> None:
    from eval.reports.markdown import fmt

    table = Table(title=f"{report.run.model}: {report.run.duration_s:.1f} s")
    for name in ("suite", "cases", "passed", "pass rate", "key figures", "p95 ms"):
        table.add_column(name)
    for name, suite in report.suites.items():
        m = suite.metrics
        figures = " ".join(f"{k}={fmt(m.get(k), k)}" for k in _KEY_FIGURES.get(name, ()))
        table.add_row(
            name, str(suite.cases), str(suite.passed_cases), fmt(m.get("pass_rate")), figures,
            fmt(m.get("latency_p95_ms"), "latency"),
        )  # fmt: skip
    console.print(table)
    console.print("Counters: " + ", ".join(f"{k}={v}" for k, v in report.counters.items()))
    for gate in report.gates:
        if gate.status == "fail":
            console.print(
                f"[red]gate failed[/] {gate.metric} = {fmt(gate.value, gate.metric)} "
                f"({gate.op} {gate.threshold:g})"
            )


@app.command()
def compare(
    old: Annotated[Path, typer.Argument(help="Earlier report.json (or its directory).")],
    new: Annotated[Path, typer.Argument(help="Later report.json (or its directory).")],
    tolerance: Annotated[float, typer.Option(help="Allowed drop of a rate (0..1).")] = 0.005,
) -> None:
    """Show metric deltas; exit 1 if anything regressed."""
    from eval.compare import compare as compare_reports
    from eval.compare import load_report
    from eval.reports.markdown import fmt

    try:
        result = compare_reports(load_report(old), load_report(new), rate_tolerance=tolerance)
    except EvalError as exc:
        _fail(exc)
    table = Table(title=f"{old} → {new}")
    for name in ("suite", "metric", "old", "new", "delta", ""):
        table.add_column(name)
    for d in result.deltas:
        if d.old == d.new:
            continue
        change = "—" if d.change is None else f"{d.change:+.4g}"
        flag = "[red]REGRESSION[/]" if d.regression else ""
        table.add_row(d.suite, d.metric, fmt(d.old, d.metric), fmt(d.new, d.metric), change, flag)
    console.print(table)
    for case_id in result.broken_cases:
        console.print(f"[red]now failing:[/] {case_id}")
    for case_id in result.fixed_cases:
        console.print(f"[green]now passing:[/] {case_id}")
    if result.regressed:
        err.print(
            f"[red]{len(result.regressions)} metric regression(s), "
            f"{len(result.broken_cases)} case(s) broken[/]"
        )
        raise typer.Exit(1)
    console.print("[green]No regressions.[/]")


@app.command()
def validate(
    suite: Annotated[list[str], typer.Option(help="Suite(s) to validate, or all.")] = ["all"],  # noqa: B006
    suites_dir: Annotated[Path | None, typer.Option(help="Read suite files from here.")] = None,
) -> None:
    """Validate suite files and the gates file without running anything."""
    from eval.gates import load_gates
    from eval.loader import load_suites
    from eval.runner import select_suites

    try:
        loaded = load_suites(select_suites(suite), suites_dir)
        load_gates()
    except EvalError as exc:
        _fail(exc)
    for s in loaded:
        console.print(f"[green]ok[/] {s.name}: {len(s.cases)} cases ({s.path})")


if __name__ == "__main__":
    app()
