"""``report.html``: one self-contained page with charts and a per-case drill-down.

Failed cases come first and open; each shows why it failed, then the transcript step by step:
the message or button, the reply, citations, tool calls with outcome and result, the pause,
audit events, latency and tokens. Everything is escaped; nothing is loaded from elsewhere.
"""

from __future__ import annotations

import json
from html import escape
from typing import Any

from eval.reports.markdown import columns, fmt, split_sections
from eval.reports.svg import bar_chart
from eval.results import CaseResult, Report, StepRecord, TrialResult

_RESULT_CHARS = 1500
_CSS = """
body{font-family:system-ui,sans-serif;margin:24px;max-width:1200px;color:#222}
table{border-collapse:collapse;margin:8px 0 16px}td,th{border:1px solid #ccc;padding:3px 8px;
font-size:13px;text-align:left}th{background:#f3f3f3}.pass{color:#2e7d32;font-weight:bold}
.fail{color:#c62828;font-weight:bold}.skipped{color:#777}details{margin:4px 0;border:1px solid
#ddd;border-radius:4px;padding:4px 8px}summary{cursor:pointer}pre{white-space:pre-wrap;
background:#f7f7f7;padding:6px;font-size:12px;max-height:320px;overflow:auto}.step{border-left:
3px solid #90caf9;margin:6px 0;padding-left:8px}.who{font-weight:bold}.charts svg{margin:0 24px
12px 0;vertical-align:top}ul.why li{color:#c62828}
"""


def _status(ok: bool) -> str:
    return '<span class="pass">pass</span>' if ok else '<span class="fail">fail</span>'


def _charts(report: Report) -> str:
    charts = [
        bar_chart(
            "Pass rate by suite",
            [(n, s.metrics.get("pass_rate")) for n, s in report.suites.items()],
            maximum=1.0,
            good_at_least=0.9,
        ),
        bar_chart(
            "Latency p95 by suite (ms)",
            [(n, s.metrics.get("latency_p95_ms")) for n, s in report.suites.items()],
            unit=" ms",
        ),
    ]
    safety = report.suites.get("safety")
    if safety and safety.by_kind:
        charts.append(
            bar_chart(
                "Attack success by kind",
                [(k, f["attack_success_rate"]) for k, f in safety.by_kind.items()],
                maximum=1.0,
                good_at_most=0.0,
            )
        )
    retrieval = report.suites.get("retrieval")
    if retrieval:
        keys = [k for k in ("recall@1", "recall@3", "recall@5", "recall@10", "mrr", "ndcg@10")
                if k in retrieval.metrics]  # fmt: skip
        charts.append(
            bar_chart("Retrieval", [(k, retrieval.metrics[k]) for k in keys], maximum=1.0)
        )
    return '<div class="charts">' + "".join(charts) + "</div>"


def _summary(report: Report) -> str:
    cols = columns(report)
    head = "".join(f"<th>{escape(c)}</th>" for c in ["suite", "cases", "passed", *cols])
    rows = []
    for name, suite in report.suites.items():
        cells = [name, str(suite.cases), str(suite.passed_cases)]
        cells += [fmt(suite.metrics.get(c), c) for c in cols]
        rows.append("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in cells) + "</tr>")
    counters = "".join(
        f"<tr><td>{escape(k)}</td><td>{_status(v == 0)} {v}</td></tr>"
        for k, v in report.counters.items()
    )
    gates = "".join(
        f"<tr><td>{escape(g.metric)} {'≥' if g.op == 'min' else '≤'} {g.threshold:g}</td>"
        f'<td>{fmt(g.value, g.metric)}</td><td class="{g.status}">{g.status}</td></tr>'
        for g in report.gates
    )
    return (
        f"<table><tr>{head}</tr>{''.join(rows)}</table>"
        f"<h2>Zero-tolerance counters</h2><table>{counters}</table>"
        + (f"<h2>Gates</h2><table>{gates}</table>" if gates else "")
    )


def _json(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str, indent=1)
    return escape(text if len(text) <= _RESULT_CHARS else text[:_RESULT_CHARS] + " …")


def _step(number: int, step: StepRecord) -> str:
    said = f"“{escape(step.user)}”" if step.user else f"[presses {escape(step.kind)}]"
    parts = [f'<div class="step"><div><span class="who">{number}. Customer:</span> {said}</div>']
    if step.problem:
        parts.append(f'<div class="fail">harness: {escape(step.problem)}</div>')
    if step.reply:
        parts.append(
            f'<div><span class="who">Assistant:</span><pre>{escape(step.reply)}</pre></div>'
        )
    if step.citations:
        cites = ", ".join(f"[{c['number']}] {c['doc_id']}" for c in step.citations)
        parts.append(f"<div>Citations: {escape(cites)}</div>")
    for ex in step.executions:
        parts.append(
            f"<details><summary>tool <b>{escape(ex.name)}</b>({escape(json.dumps(ex.args))}) → "
            f"{escape(ex.outcome)} [{escape(ex.effect)}/{escape(ex.scope)}]</summary>"
            f"<pre>{_json(ex.result)}</pre></details>"
        )
    if step.pending:
        parts.append(f"<div>Paused for: <code>{escape(str(step.pending.get('kind')))}</code></div>")
    if step.audit:
        events = ", ".join(f"{e.get('action')}({e.get('customer_id')})" for e in step.audit)
        parts.append(f"<div>Audit: {escape(events)}</div>")
    if step.ungrounded:
        parts.append(f'<div class="fail">Ungrounded numbers: {escape(str(step.ungrounded))}</div>')
    parts.append(
        f'<div style="color:#666;font-size:12px">{step.latency_ms:.1f} ms · {step.model_calls} '
        f"model call(s) · {step.prompt_tokens} prompt / {step.completion_tokens} completion "
        f"tokens · consent {step.consent_before}→{step.consent_after}</div></div>"
    )
    return "".join(parts)


def _trial(number: int, trial: TrialResult) -> str:
    why = "".join(f"<li>{escape(f)}</li>" for f in trial.failures)
    metrics = ", ".join(f"{k}={fmt(v, k)}" for k, v in trial.metrics.items() if v is not None)
    body = [f"<div>Trial {number}: {_status(trial.passed)} · {escape(metrics)}</div>"]
    if why:
        body.append(f'<ul class="why">{why}</ul>')
    if trial.details:
        body.append(f"<pre>{_json(trial.details)}</pre>")
    body += [_step(i, s) for i, s in enumerate(trial.steps, start=1)]
    return "".join(body)


def _case(case: CaseResult) -> str:
    ok = case.successes == len(case.trials)
    # Identical trials (deterministic engines) are shown once.
    distinct = case.trials[:1] if all(t == case.trials[0] for t in case.trials) else case.trials
    inner = "".join(_trial(i, t) for i, t in enumerate(distinct, start=1))
    return (
        f"<details{'' if ok else ' open'}><summary>{_status(ok)} <b>{escape(case.suite)}/"
        f"{escape(case.id)}</b> ({case.successes}/{len(case.trials)}) — "
        f"{escape(case.title[:120])}</summary>{inner}</details>"
    )


def _split_tables(report: Report) -> str:
    """The dev vs held-out tables of ``split_sections`` (markdown), as HTML."""
    html: list[str] = []
    rows: list[str] = []

    def flush() -> None:
        if rows:
            html.append("<table>" + "".join(rows) + "</table>")
            rows.clear()

    for line in split_sections(report):
        if line.startswith("|---"):
            continue
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            tag = "th" if not rows else "td"
            rows.append("<tr>" + "".join(f"<{tag}>{escape(c)}</{tag}>" for c in cells) + "</tr>")
            continue
        flush()
        if line.startswith("### "):
            html.append(f"<h3>{escape(line[4:])}</h3>")
        elif line.startswith("## "):
            html.append(f"<h2>{escape(line[3:])}</h2>")
    flush()
    return "".join(html)


def render(report: Report) -> str:
    """The whole HTML page."""
    run = report.run
    cases = sorted(report.cases, key=lambda c: (c.successes == len(c.trials), c.suite, c.id))
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>Vela eval — {escape(run.model)}</title><style>{_CSS}</style></head><body>"
        f"<h1>Vela assistant evaluation</h1><p>Model <b>{escape(run.model)}</b> "
        f"({escape(run.provider)}) · {run.trials} trial(s) · {run.duration_s:.1f} s · commit "
        f"{escape(run.commit or '?')} · {escape(run.started_at)}</p>"
        f"{_charts(report)}<h2>Suites</h2>{_summary(report)}{_split_tables(report)}"
        f"<h2>Cases ({len(cases)})</h2>{''.join(_case(c) for c in cases)}</body></html>"
    )
