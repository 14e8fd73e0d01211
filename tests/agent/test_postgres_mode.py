"""The assistant on PostgreSQL: records and conversation checkpoints both live there.

Runs when TEST_DATABASE_URL points at a PostgreSQL server (CI sets it whenever one answers on
127.0.0.1:5432); otherwise skipped with the reason. Uses its own schema so it never touches
other tests' tables.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.replies import PendingConfirmation, PendingConsent
from assistant.settings import Settings
from tests.agent.conftest import FakeKnowledge
from tests.pg import fresh_schema_url
from tests.scripted import ScriptedModel, call, call_with_last_quote, say

pytestmark = pytest.mark.postgres
SCHEMA = "assistant_pg_mode"


@pytest.fixture()
def pg_settings(tmp_path: Path) -> Settings:
    scoped = fresh_schema_url(SCHEMA, "PostgreSQL mode")
    return Settings(data_dir=tmp_path, database_url=scoped, model_max_retries=0, _env_file=None)


def test_consent_confirmation_and_resume_by_id_on_postgres(pg_settings: Settings):
    from assistant.bootstrap import ensure_database
    from assistant.sdk import Assistant

    ensure_database(pg_settings)
    model = ScriptedModel(
        steps=[
            call("quote_plan_change", plan_id="GB-UNLIMITED-MAX"),
            call_with_last_quote("change_plan"),
            say("Done."),
        ]
    )
    bot = Assistant(pg_settings, model=model, knowledge=FakeKnowledge(), auto_setup=False)
    try:
        assert type(bot.checkpointer).__name__ == "PostgresSaver"
        s = bot.session("C-1002")
        assert isinstance(s.ask("switch me to Unlimited Max").pending, PendingConsent)
        paused = s.confirm()  # consent granted; the quote runs, then the change pauses
        assert isinstance(paused.pending, PendingConfirmation)
        # Resume the same conversation by id, through a new Session object.
        resumed = bot.session("C-1002", session_id=s.session_id)
        assert isinstance(resumed.pending, PendingConfirmation)
        done = resumed.confirm()
        result = done.tool_calls[-1].result
        assert result["reference"].startswith("PC-")
        lines = bot.records.account_overview("C-1002").lines
        assert lines[0].plan_id == "GB-UNLIMITED-MAX"
        model.assert_consumed()
    finally:
        bot.close()
