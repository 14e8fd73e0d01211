"""The harness's own errors: bad suite files and unusable run options.

A ``SuiteError`` names the file, the case id and the field, so whoever wrote the case can fix
it without reading the harness. The CLI prints it and exits before any report is written.
"""

from __future__ import annotations


class EvalError(Exception):
    """Base of every error the evaluation harness raises on purpose."""


class SuiteError(EvalError):
    """A suite file is malformed: unreadable YAML/JSONL, or a case that fails its schema."""

    def __init__(self, path: str, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{path}: {len(problems)} problem(s)\n{lines}")


class RunOptionError(EvalError):
    """A command-line option cannot be honoured (unknown suite, unusable --model...)."""
