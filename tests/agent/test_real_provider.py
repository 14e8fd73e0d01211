"""The agent on a real hosted LLM, through the SDK as any caller uses it.

Opt in with TELCO_TEST_REAL_PROVIDER=1 plus the provider's own variables, exactly as in
production (docs/llm-providers.md), e.g. TELCO_MODEL_PROVIDER=openai TELCO_OPENAI_API_KEY=...
Skipped otherwise, before the index is built (tests/conftest.py). The wire path itself is
tested on every run against a loopback server (tests/wire/); these tests check what only a real
model can show: that it uses the tools as their contracts ask, and that the guard still holds.
"""

from __future__ import annotations

import pytest

from assistant.replies import PendingConsent
from assistant.sdk import Assistant
from assistant.settings import Settings
from tests.conftest import copy_built_data

pytestmark = [pytest.mark.real_provider, pytest.mark.slow]


@pytest.fixture()
def hosted(built_data_template, tmp_path):
    settings = Settings(data_dir=copy_built_data(built_data_template, tmp_path / "data"))
    assert settings.model_provider != "offline", (
        "TELCO_TEST_REAL_PROVIDER=1 needs a hosted model: set TELCO_MODEL_PROVIDER and its key"
    )
    bot = Assistant(settings)
    yield bot
    bot.close()


def test_a_hosted_model_answers_a_plan_question_from_the_documents(hosted):
    reply = hosted.session().ask("How much does the Unlimited Max plan cost per month in the UK?")
    assert any(c.name == "search_knowledge" and c.outcome == "ok" for c in reply.tool_calls)
    assert reply.citations, reply.text
    assert not reply.replaced, reply.replaced  # the verifier found every figure grounded


def test_a_hosted_model_reads_no_account_without_consent(hosted):
    # C-1002 withdrew consent: whatever the model tries, no account tool may run.
    reply = hosted.session(customer_id="C-1002").ask("How much was my last bill?")
    ran = [c.name for c in reply.tool_calls if c.outcome == "ok" and c.name != "search_knowledge"]
    assert ran == [], ran
    if reply.pending is not None:
        assert isinstance(reply.pending, PendingConsent)
