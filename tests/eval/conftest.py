"""Fixtures for the evaluation harness tests.

Fast tests build transcripts and reports by hand, or run the harness on a scripted model and a
fixed-passage knowledge base. The eval power tests (``test_power.py``, marked slow) run the real
offline engine on a quickly built index, plant one fault at a time and check the gates go red.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from assistant.settings import Settings

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def seeded_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One seeded SQLite file for the whole session; worlds copy it."""
    from assistant.bootstrap import ensure_database

    data = tmp_path_factory.mktemp("eval-seed")
    ensure_database(Settings(data_dir=data, _env_file=None))
    return data / "telco.db"


class FixedKnowledge:
    """A knowledge base that always returns the same two passages."""

    embeddings = None

    def search(self, query: str, **filters: Any) -> Any:
        passages = [
            SimpleNamespace(
                doc_id="plan-gb-unlimited-max", title="Unlimited Max", section="Price",
                section_id="plan-gb-unlimited-max#price", version=2, language="en",
                snippet="Unlimited Max costs £30.00 a month.",
                text="Unlimited Max costs £30.00 a month + VAT (£36.00 including VAT).",
            ),
            SimpleNamespace(
                doc_id="policy-roaming-gb", title="Roaming", section="Zones",
                section_id="policy-roaming-gb#zones", version=1, language="en",
                snippet="Plus 30GB includes the EU.", text="Plus 30GB includes the EU zone.",
            ),
        ]  # fmt: skip
        return SimpleNamespace(answerable=True, confidence=0.9, passages=passages)


@pytest.fixture()
def settings(tmp_path: Path) -> Settings:
    """Isolated settings (nothing from the developer's environment or ./var)."""
    return Settings(data_dir=tmp_path / "data", model_max_retries=0, _env_file=None)
