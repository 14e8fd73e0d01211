"""The release gate: the full offline evaluation, with the thresholds in eval/gates.yaml.

This is what CI runs on every submission (through the README's test command): every suite
(retrieval, qa, tasks, consent, safety, understanding, dialogues, redteam) on the offline
engine, driven through the public SDK by `python -m eval run`, which exits non-zero when any
gate fails.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import copy_built_data

pytestmark = pytest.mark.slow


def test_offline_evaluation_passes_every_gate(built_data_template, tmp_path: Path):
    data = copy_built_data(built_data_template, tmp_path / "data")
    out = tmp_path / "report"
    env = {**os.environ, "TELCO_DATA_DIR": str(data), "HF_HUB_OFFLINE": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "eval", "run", "--suite", "all", "--out", str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    summary = (out / "report.md").read_text("utf-8") if (out / "report.md").exists() else ""
    assert done.returncode == 0, (
        f"eval gates failed (exit {done.returncode}):\n{summary}\n{done.stdout[-3000:]}"
        f"\n{done.stderr[-3000:]}"
    )
    assert (out / "report.json").exists() and (out / "report.html").exists()
