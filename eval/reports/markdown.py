"""``report.md``: the summary a reviewer reads first (suites, counters, gates, failures)."""

from __future__ import annotations

from eval.results import Report

#: Metrics shown per suite in the summary table, in order, when the suite has them.
HEADLINE = (
    "pass_rate", "pass^1", "fact_coverage", "citation_recall", "abstention_accuracy",
    "numeric_grounding", "tool_recall", "attack_success_rate", "recall@5", "mrr", "ndcg@10",
    "latency_p50_ms", "latency_p95_ms", "prompt_tokens_per_turn", "completion_tokens_per_turn",
)  # fmt: skip


def fmt(value: float | None, metric: str = "") -> str:
    """A metric value for tables: rates with 3 decimals, the rest rounded."""
    if value is None:
        return "—"
    # "turns" is a count; "turns_passed" and "context_turns_passed" are rates.
    if any(word in metric for word in ("latency", "tokens")) or metric.endswith("turns"):
        return f"{value:.1f}"
    if "cost" in metric:
        return f"{value:.4f}"
    if metric in ("writes_without_confirmation", "unauthorised_access", "consent_violations"):
        return str(int(value))
    return f"{value:.3f}"


def render(report: Report, failures_per_suite: int = 15) -> str:
    """The whole Markdown report."""
    run = report.run
    lines = [
        "# Vela assistant evaluation",
        "",
        f"Model **{run.model}** ({run.provider}) · {run.trials} trial(s) per case · "
        f"suites {', '.join(run.suites)} · {run.duration_s:.1f} s · commit {run.commit or '?'} · "
        f"started {run.started_at}",
        "",
        "## Suites",
        "",
        "| suite | cases | passed cases | " + " | ".join(columns(report)) + " |",
        "|---|---|---|" + "---|" * len(columns(report)),
    ]
    for name, suite in report.suites.items():
        cells = [fmt(suite.metrics.get(m), m) for m in columns(report)]
        lines.append(
            f"| {name} | {suite.cases} | {suite.passed_cases} | " + " | ".join(cells) + " |"
        )
    lines += ["", "## Zero-tolerance counters", "", "| counter | value |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in report.counters.items()]
    pass_k = _pass_k_rows(report)
    if pass_k:
        lines += ["", "## pass^k", "", "| suite | " + " | ".join(pass_k[0][1]) + " |",
                  "|---|" + "---|" * len(pass_k[0][1])]  # fmt: skip
        lines += [f"| {name} | " + " | ".join(values) + " |" for name, _, values in pass_k]
    safety = report.suites.get("safety")
    if safety and safety.by_kind:
        lines += ["", "## Attacks by kind", "", "| kind | trials | pass rate | attack success |",
                  "|---|---|---|---|"]  # fmt: skip
        for kind, figures in safety.by_kind.items():
            lines.append(
                f"| {kind} | {int(figures['trials'])} | {fmt(figures['pass_rate'])} | "
                f"{fmt(figures['attack_success_rate'])} |"
            )
    redteam = report.suites.get("redteam")
    if redteam and redteam.by_kind:
        lines += ["", "## Red team: breaks by category", "", "| category | cases | breaks |",
                  "|---|---|---|"]  # fmt: skip
        for kind, figures in redteam.by_kind.items():
            breaks = redteam.metrics.get(f"breaks.{kind}") or 0
            lines.append(f"| {kind} | {int(figures['trials'])} | {int(breaks)} |")
    lines += split_sections(report)
    if report.gates:
        verdict = "PASSED" if report.gates_passed else "FAILED"
        lines += ["", f"## Gates: {verdict}", "", "| gate | value | status |", "|---|---|---|"]
        for gate in report.gates:
            bound = "≥" if gate.op == "min" else "≤"
            lines.append(
                f"| {gate.metric} {bound} {gate.threshold:g} | {fmt(gate.value, gate.metric)} | "
                f"{gate.status} |"
            )
    lines += _failures(report, failures_per_suite)
    return "\n".join(lines) + "\n"


def split_sections(report: Report) -> list[str]:
    """Dev and held-out side by side (with the gap) and the breakdown tables, per split suite."""
    lines: list[str] = []
    for name, suite in report.suites.items():
        figures = sorted(
            {m.split(".", 1)[1] for m in suite.metrics if m.startswith("heldout.")}
            - {"cases", "scenarios"},
            key=lambda m: (m.count("."), m),
        )
        if not figures:
            continue
        m = suite.metrics
        lines += ["", f"## {name}: dev vs held-out", "", "| metric | dev | held-out | gap |",
                  "|---|---|---|---|"]  # fmt: skip
        for figure in figures:
            gap = m.get(f"gap.{figure}")
            lines.append(
                f"| {figure} | {fmt(m.get(f'dev.{figure}'))} | {fmt(m.get(f'heldout.{figure}'))} "
                f"| {fmt(gap) if gap is not None else ''} |"
            )
        for title, rows in suite.breakdown.items():
            cols = list(next(iter(rows.values()), {}))
            lines += ["", f"### {name} {title}", "", f"| {title.split()[-1]} | " +
                      " | ".join(cols) + " |", "|---|" + "---|" * len(cols)]  # fmt: skip
            for row, values in rows.items():
                cells = [
                    str(int(v)) if c.endswith(".n") and (v := values[c]) is not None
                    else fmt(values[c])
                    for c in cols
                ]  # fmt: skip
                lines.append(f"| {row} | " + " | ".join(cells) + " |")
    return lines


def columns(report: Report) -> list[str]:
    present = {m for s in report.suites.values() for m in s.metrics}
    return [m for m in HEADLINE if m in present]


def _pass_k_rows(report: Report) -> list[tuple[str, list[str], list[str]]]:
    rows = []
    for name, suite in report.suites.items():
        ks = sorted((m for m in suite.metrics if m.startswith("pass^")), key=lambda m: int(m[5:]))
        if len(ks) > 1:
            rows.append((name, ks, [fmt(suite.metrics[k]) for k in ks]))
    return rows


def _failures(report: Report, limit: int) -> list[str]:
    lines = ["", "## Failed cases", ""]
    any_failed = False
    for name in report.suites:
        failed = [c for c in report.cases if c.suite == name and c.successes < len(c.trials)]
        if not failed:
            continue
        any_failed = True
        lines.append(f"### {name} ({len(failed)})")
        lines.append("")
        for case in failed[:limit]:
            first = next(t for t in case.trials if not t.passed)
            why = "; ".join(first.failures[:3]) or "failed"
            lines.append(f"- `{case.id}` ({case.successes}/{len(case.trials)}): {why}")
        if len(failed) > limit:
            lines.append(f"- … {len(failed) - limit} more in report.html")
        lines.append("")
    if not any_failed:
        lines.append("None.")
    return lines
