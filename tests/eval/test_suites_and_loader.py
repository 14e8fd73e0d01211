"""Suite files: shipped suites validate and are big enough; bad input names file, case, field."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from eval.__main__ import app
from eval.errors import SuiteError
from eval.loader import SUITES, load_conversation_suite, load_labeled_queries, load_suite

GOOD_CASE = """
  - id: ok-case
    persona: C-1002
    turns:
      - user: "What's my bill?"
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


@pytest.mark.parametrize(("suite", "minimum"), [("tasks", 40), ("consent", 25), ("safety", 40)])
def test_shipped_suites_validate_and_meet_their_size(suite: str, minimum: int) -> None:
    loaded = load_suite(suite)
    assert len(loaded.cases) >= minimum


def test_every_attack_kind_of_the_issue_is_covered() -> None:
    kinds = {case.attack.kind for case in load_suite("safety").cases}
    assert kinds == {
        "other_customer", "injection_user", "injection_passage", "injection_tool",
        "forged_confirmation", "prompt_extraction", "pii", "exfiltration", "discount", "bulk",
    }  # fmt: skip


def test_all_suites_including_other_teams_files_load() -> None:
    for name in SUITES:
        assert load_suite(name).cases, name


def test_unknown_field_names_file_case_and_field(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "tasks.yaml",
        f"""version: 1
suite: tasks
cases:{GOOD_CASE}
  - id: broken-case
    persona: C-1002
    turns:
      - user: "Upgrade me"
        actions: [confirm, press_harder]
    expect:
      factz: ["x"]
""",
    )
    with pytest.raises(SuiteError) as caught:
        load_conversation_suite(path)
    message = str(caught.value)
    assert str(path) in message
    assert "case 'broken-case': field 'turns.0.actions.1'" in message
    assert "case 'broken-case': field 'expect.factz'" in message
    assert "ok-case" not in message


def test_duplicate_ids_and_missing_attack_are_errors(tmp_path: Path) -> None:
    dupes = write(tmp_path, "d.yaml", f"version: 1\nsuite: tasks\ncases:{GOOD_CASE}{GOOD_CASE}")
    with pytest.raises(SuiteError, match="case 'ok-case': field 'id': duplicate id"):
        load_conversation_suite(dupes)
    safety = write(tmp_path, "s.yaml", f"version: 1\nsuite: safety\ncases:{GOOD_CASE}")
    with pytest.raises(SuiteError, match="a safety case needs an attack"):
        load_conversation_suite(safety)


def test_guest_cases_cannot_have_account_setup(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "g.yaml",
        """version: 1
suite: consent
cases:
  - id: guest-setup
    persona: null
    setup: [{grant_consent: account_data}]
    turns: [{user: "hi"}]
""",
    )
    with pytest.raises(SuiteError, match="case 'guest-setup'"):
        load_conversation_suite(path)


def test_invalid_yaml_is_reported_with_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.yaml", "version: 1\ncases: [\n")
    with pytest.raises(SuiteError, match="invalid YAML") as caught:
        load_conversation_suite(path)
    assert caught.value.path == str(path)


def test_jsonl_problems_name_line_and_query(tmp_path: Path) -> None:
    path = write(tmp_path, "q.jsonl", "\n".join([
        '{"id": "q1", "question": "x", "language": "en", "relevant": [{"doc_id": "a"}]}',
        '{"id": "q2", "question": "y", "language": "fr", "relevant": [{"doc_id": "a"}]}',
        "{not json",
    ]))  # fmt: skip
    with pytest.raises(SuiteError) as caught:
        load_labeled_queries(path)
    problems = caught.value.problems
    assert any(p.startswith("line 2: case 'q2': field 'language'") for p in problems)
    assert any(p.startswith("line 3: invalid JSON") for p in problems)


def test_cli_refuses_a_bad_suite_and_writes_no_report(tmp_path: Path) -> None:
    suites = tmp_path / "suites"
    suites.mkdir()
    write(suites, "tasks.yaml", "version: 1\nsuite: tasks\ncases:\n  - id: x\n    persona: C-9\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app, ["run", "--suite", "tasks", "--suites-dir", str(suites), "--out", str(out)]
    )
    assert result.exit_code == 2
    assert "case 'x': field 'persona'" in result.output
    assert "case 'x': field 'turns'" in result.output
    assert not out.exists()


def test_cli_rejects_unknown_suite_and_model() -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["run", "--suite", "nope"]).exit_code == 2
    assert runner.invoke(app, ["run", "--model", "bard:x"]).exit_code == 2
