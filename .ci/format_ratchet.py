"""The formatter ratchet: the list of modules not yet formatted only shrinks.

``[tool.ruff.format] exclude`` in pyproject.toml lists the modules that predate the formatter;
``ruff format --check`` checks every other one. This script fails when a listed module no
longer exists or is already formatted, so the list is trimmed in the same change that formats
a module, and never grows back silently. Run from the repository root:

    python .ci/format_ratchet.py
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def pending() -> list[str]:
    """The modules pyproject.toml still excludes from the formatter check."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return list(config["tool"]["ruff"]["format"]["exclude"])


def unformatted(paths: list[str]) -> set[str]:
    """Which of these files ``ruff format`` would change (named files bypass the exclude)."""
    done = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--check", "--no-force-exclude",
         "--output-format", "concise", *paths],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode not in (0, 1):
        raise SystemExit(f"ruff format failed:\n{done.stdout}{done.stderr}")
    return {line.split(":", 1)[0] for line in done.stdout.splitlines() if "unformatted" in line}


def main() -> int:
    """Report listed modules that are gone or already formatted; exit 1 if there are any."""
    listed = pending()
    missing = [p for p in listed if not (ROOT / p).is_file()]
    present = [p for p in listed if p not in missing]
    formatted = sorted(set(present) - unformatted(present)) if present else []
    for path in missing:
        print(f"{path}: listed in [tool.ruff.format] exclude but does not exist; delete its line")
    for path in formatted:
        print(f"{path}: already formatted; delete its line from [tool.ruff.format] exclude")
    if missing or formatted:
        return 1
    print(f"format ratchet: {len(listed)} modules still wait for the formatter")
    return 0


if __name__ == "__main__":
    sys.exit(main())
