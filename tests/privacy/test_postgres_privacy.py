"""Ownership, redaction and retention on PostgreSQL (records and checkpoints both there)."""

from __future__ import annotations

import pytest

from assistant.errors import ConversationNotYours
from tests.agent.conftest import FakeKnowledge
from tests.agent.test_postgres_mode import pg_settings
from tests.scripted import ScriptedModel, say

pytestmark = pytest.mark.postgres
__all__ = ["pg_settings"]


def test_owner_redaction_and_withdrawal_on_postgres(pg_settings):
    from assistant.bootstrap import ensure_database
    from assistant.privacy.export import export_customer
    from assistant.sdk import Assistant

    ensure_database(pg_settings)
    bot = Assistant(
        pg_settings,
        model=ScriptedModel(steps=[say("Noted.")]),
        knowledge=FakeKnowledge(),
        auto_setup=False,
    )
    try:
        version = next(
            p.version for p in bot.records.consent_purposes() if p.purpose == "transcript_retention"
        )
        bot.records.grant_consent("C-1003", "transcript_retention", version, "test")
        s = bot.session("C-1003")
        s.ask("my card is 4111 1111 1111 1111 and my phone +34 612 345 678")
        with pytest.raises(ConversationNotYours):
            bot.session("C-1002", session_id=s.session_id)
        s.close()
        [kept] = export_customer(bot.records, bot.checkpointer, "C-1003")["conversations"]
        text = str(kept["messages"])
        assert "[CARD]" in text and "[PHONE]" in text and "4111" not in text
        s.withdraw_consent("transcript_retention")
        assert not bot.privacy.has_state(s.session_id)
    finally:
        bot.close()
