"""The type checker passes over the packages (assistant, knowledge, eval, ui).

Packages and options live in ``[tool.mypy]`` of pyproject.toml, so this test, the command line
and an editor all check the same thing. A cold run takes about a minute (mypy reads the types
of langchain, langgraph, SQLAlchemy and pydantic); later runs reuse ``.mypy_cache``.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        importlib.util.find_spec("mypy") is None,
        reason="mypy is not installed; install the dev extra: pip install -e '.[dev]'",
    ),
]


def test_mypy_passes_over_the_packages():
    done = subprocess.run(
        [sys.executable, "-m", "mypy"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, f"mypy failed:\n{done.stdout}{done.stderr}"
