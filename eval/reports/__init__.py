"""Write a run's reports: ``report.json`` (versioned), ``report.md`` and ``report.html``."""

from __future__ import annotations

from pathlib import Path

from eval.reports import html, markdown
from eval.results import Report


def write_reports(report: Report, out: Path) -> dict[str, Path]:
    """Write the three reports into ``out`` (created if needed); return their paths."""
    out.mkdir(parents=True, exist_ok=True)
    paths = {"json": out / "report.json", "md": out / "report.md", "html": out / "report.html"}
    paths["json"].write_text(report.model_dump_json(indent=1), "utf-8")
    paths["md"].write_text(markdown.render(report), "utf-8")
    paths["html"].write_text(html.render(report), "utf-8")
    return paths
