"""Load suite files and turn every schema problem into an error naming file, case and field.

All suites are loaded (and every problem in a file collected) before anything runs, so a bad
case stops the run with a precise message and no partial report.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import ValidationError

from eval.errors import SuiteError
from eval.schema import ConversationSuite, LabeledQuery, QaSuite
from eval.schema.conversation import ConversationCase
from eval.schema.dialogue import DialogueSuite, Scenario
from eval.schema.understanding import UnderstandingCase

#: Every suite, in the order ``--suite all`` runs them.
SUITES: tuple[str, ...] = (
    "retrieval", "qa", "tasks", "consent", "safety", "understanding", "dialogues", "redteam",
)  # fmt: skip
CONVERSATION_SUITES = ("tasks", "consent", "safety")
#: Suites kept in a folder of split files (``dev*`` / ``heldout*``) rather than one file.
SPLIT_SUITES = ("understanding", "dialogues")
SPLITS = ("dev", "heldout")


@dataclass(frozen=True)
class LoadedSuite:
    """A validated suite: its name, the file it came from and its cases."""

    name: str
    path: Path
    cases: Sequence[Any]


def default_suite_dir() -> Path:
    """``eval/suites`` inside the package."""
    return Path(str(resources.files("eval") / "suites"))


def labeled_queries_path() -> Path:
    """The knowledge base's labeled queries (``knowledge/data/labeled_queries.jsonl``)."""
    return Path(str(resources.files("knowledge") / "data" / "labeled_queries.jsonl"))


def suite_path(name: str, directory: Path | None = None) -> Path:
    """Where suite ``name`` lives (``directory`` overrides ``eval/suites`` for YAML suites)."""
    if name == "retrieval":
        return (directory / "retrieval.jsonl") if directory else labeled_queries_path()
    if name in SPLIT_SUITES:
        return (directory or default_suite_dir()) / name
    return (directory or default_suite_dir()) / f"{name}.yaml"


def _field(loc: Sequence[Any]) -> str:
    return ".".join(str(part) for part in loc) or "(top level)"


def _case_id(raw_cases: Any, index: Any) -> str:
    if isinstance(raw_cases, list) and isinstance(index, int) and index < len(raw_cases):
        case = raw_cases[index]
        if isinstance(case, dict) and isinstance(case.get("id"), str):
            return case["id"]
    return f"#{index}"


def _problems(error: ValidationError, raw: Any, key: str = "cases") -> list[str]:
    """One line per pydantic error: ``case 'id': field 'turns.0.user': message``."""
    raw_cases = raw.get(key) if isinstance(raw, dict) else None
    lines = []
    for item in error.errors():
        loc = list(item["loc"])
        if len(loc) >= 2 and loc[0] == key and isinstance(loc[1], int):
            where = f"case {_case_id(raw_cases, loc[1])!r}: field {_field(loc[2:])!r}"
        else:
            where = f"field {_field(loc)!r}"
        lines.append(f"{where}: {item['msg']}")
    return lines


def _duplicates(ids: list[str]) -> list[str]:
    seen: set[str] = set()
    twice = []
    for i in ids:
        if i in seen:
            twice.append(i)
        seen.add(i)
    return [f"case {i!r}: field 'id': duplicate id" for i in dict.fromkeys(twice)]


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text("utf-8"))
    except FileNotFoundError as exc:
        raise SuiteError(str(path), ["file not found"]) from exc
    except yaml.YAMLError as exc:
        raise SuiteError(str(path), [f"invalid YAML: {exc}"]) from exc


_Suite = TypeVar("_Suite", ConversationSuite, QaSuite, DialogueSuite)


def _validate(path: Path, model: type[_Suite], raw: Any) -> _Suite:
    try:
        suite = model.model_validate(raw)
    except ValidationError as exc:
        raise SuiteError(str(path), _problems(exc, raw)) from exc
    items = suite.scenarios if isinstance(suite, DialogueSuite) else suite.cases
    dupes = _duplicates([c.id for c in items])
    if dupes:
        raise SuiteError(str(path), dupes)
    return suite


def load_conversation_suite(path: Path, expected: str | None = None) -> ConversationSuite:
    """Load and validate a tasks/consent/safety file."""
    suite = _validate(path, ConversationSuite, _read_yaml(path))
    if expected is not None and suite.suite != expected:
        raise SuiteError(str(path), [f"field 'suite': expected {expected!r}, got {suite.suite!r}"])
    return suite


def load_conversation_cases(path: Path, expected: str) -> list[ConversationCase]:
    """A conversation suite's cases, each with its file's split.

    ``tasks.yaml`` is the dev split; a sibling ``tasks-heldout.yaml`` (``split: heldout``), when
    present, holds cases nobody tunes on (reported side by side, see ``eval/splits.py``).
    """
    files = [("dev", path)]
    heldout = path.with_name(f"{path.stem}-heldout{path.suffix}")
    if heldout.exists():
        files.append(("heldout", heldout))
    cases: list[ConversationCase] = []
    problems: list[str] = []
    for split, file in files:
        suite = load_conversation_suite(file, expected=expected)
        if suite.split != split:
            problems.append(f"{file.name}: field 'split': {suite.split!r} in a {split} file")
        if any(c.split is not None for c in suite.cases):
            problems.append(f"{file.name}: 'split' is set per file, not per case")
        cases += [c.model_copy(update={"split": split}) for c in suite.cases]
    problems += _duplicates([c.id for c in cases])
    if problems:
        raise SuiteError(str(path), problems)
    return cases


def load_qa_suite(path: Path) -> QaSuite:
    """Load and validate the qa file."""
    return _validate(path, QaSuite, _read_yaml(path))


def load_labeled_queries(path: Path) -> list[LabeledQuery]:
    """Load the JSONL labeled queries; problems name the line and the query id."""
    try:
        lines = path.read_text("utf-8").splitlines()
    except FileNotFoundError as exc:
        raise SuiteError(str(path), ["file not found"]) from exc
    queries, problems = [], []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"line {number}: invalid JSON: {exc.msg}")
            continue
        try:
            queries.append(LabeledQuery.model_validate(raw))
        except ValidationError as exc:
            qid = raw.get("id", "?") if isinstance(raw, dict) else "?"
            problems += [
                f"line {number}: case {qid!r}: field {_field(e['loc'])!r}: {e['msg']}"
                for e in exc.errors()
            ]
    problems += _duplicates([q.id for q in queries])
    if not queries and not problems:
        problems.append("no queries")
    if problems:
        raise SuiteError(str(path), problems)
    return queries


def _split_files(folder: Path, suffix: str) -> list[tuple[str, Path]]:
    """``(split, path)`` for every ``dev*``/``heldout*`` file with ``suffix`` in ``folder``."""
    if not folder.is_dir():
        raise SuiteError(str(folder), ["folder not found"])
    found = [
        (split, path)
        for path in sorted(folder.glob(f"*{suffix}"))
        for split in SPLITS
        if path.name.startswith(f"{split}-") or path.name == f"{split}{suffix}"
    ]
    if not found:
        raise SuiteError(str(folder), [f"no dev-*{suffix} or heldout-*{suffix} files"])
    return found


def load_understanding(folder: Path) -> list[UnderstandingCase]:
    """Every ``{dev,heldout}-*.jsonl`` of the understanding folder, the split from the name."""
    cases, problems = [], []
    for split, path in _split_files(folder, ".jsonl"):
        for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            where = f"{path.name}: line {number}"
            try:
                raw = json.loads(line)
            except json.JSONDecodeError as exc:
                problems.append(f"{where}: invalid JSON: {exc.msg}")
                continue
            if isinstance(raw, dict) and "split" in raw:
                problems.append(f"{where}: field 'split': comes from the file name, not the case")
                continue
            try:
                case = UnderstandingCase.model_validate(raw)
            except ValidationError as exc:
                cid = raw.get("id", "?") if isinstance(raw, dict) else "?"
                problems += [
                    f"{where}: case {cid!r}: field {_field(e['loc'])!r}: {e['msg']}"
                    for e in exc.errors()
                ]
                continue
            cases.append(case.model_copy(update={"split": split}))
    problems += _duplicates([c.id for c in cases])
    if problems:
        raise SuiteError(str(folder), problems)
    return cases


def load_dialogues(folder: Path) -> list[Scenario]:
    """Every ``{dev,heldout}*.yaml`` of the dialogues folder; the file's split must match."""
    scenarios, problems = [], []
    for split, path in _split_files(folder, ".yaml"):
        raw = _read_yaml(path)
        try:
            suite = DialogueSuite.model_validate(raw)
        except ValidationError as exc:
            problems += [f"{path.name}: {p}" for p in _problems(exc, raw, key="scenarios")]
            continue
        if suite.split != split:
            problems.append(f"{path.name}: field 'split': {suite.split!r} in a {split} file")
        if any(s.split is not None for s in suite.scenarios):
            problems.append(f"{path.name}: 'split' is set per file, not per scenario")
        scenarios += [s.model_copy(update={"split": split}) for s in suite.scenarios]
    problems += _duplicates([s.id for s in scenarios])
    if problems:
        raise SuiteError(str(folder), problems)
    return scenarios


def load_redteam(path: Path) -> list[Any]:
    """Validate the red-team table and expand it over the tool registry (``eval.redteam``)."""
    from eval.redteam.table import expand
    from eval.schema.redteam import RedteamTable

    raw = _read_yaml(path)
    try:
        table = RedteamTable.model_validate(raw)
    except ValidationError as exc:
        raise SuiteError(str(path), [f"field {_field(e['loc'])!r}: {e['msg']}"
                                     for e in exc.errors()]) from exc  # fmt: skip
    try:
        cases = expand(table)
    except ValueError as exc:
        raise SuiteError(str(path), [str(exc)]) from exc
    dupes = _duplicates([c.id for c in cases])
    if dupes:
        raise SuiteError(str(path), dupes)
    return cases


def load_suite(name: str, directory: Path | None = None) -> LoadedSuite:
    """Load suite ``name`` (one of ``SUITES``)."""
    path = suite_path(name, directory)
    if name == "retrieval":
        return LoadedSuite(name, path, load_labeled_queries(path))
    if name == "qa":
        return LoadedSuite(name, path, load_qa_suite(path).cases)
    if name in CONVERSATION_SUITES:
        return LoadedSuite(name, path, load_conversation_cases(path, expected=name))
    if name == "understanding":
        return LoadedSuite(name, path, load_understanding(path))
    if name == "dialogues":
        return LoadedSuite(name, path, load_dialogues(path))
    if name == "redteam":
        return LoadedSuite(name, path, load_redteam(path))
    raise SuiteError(str(path), [f"unknown suite {name!r}; choose from {', '.join(SUITES)}"])


def load_suites(names: Sequence[str], directory: Path | None = None) -> list[LoadedSuite]:
    """Load every named suite, collecting all files' problems into one error."""
    loaded, errors = [], []
    for name in names:
        try:
            loaded.append(load_suite(name, directory))
        except SuiteError as exc:
            errors.append(exc)
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise SuiteError(
            "several suite files", [f"{e.path}: {p}" for e in errors for p in e.problems]
        )
    return loaded
