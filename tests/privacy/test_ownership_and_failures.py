"""Conversations belong to their owner; failed turns say what really happened."""

from __future__ import annotations

import sqlite3

import pytest
from langchain_core.messages import AIMessage

from assistant.errors import ConversationNotYours, UsageError
from tests.scripted import call, say


def test_another_customer_cannot_resume_a_conversation(make_bot):
    bot, _ = make_bot([say("Hello Oliver."), say("Hello again.")])
    victim = bot.session("C-1002")
    victim.ask("hi")
    with pytest.raises(ConversationNotYours, match="belongs to another customer"):
        bot.session(customer_id="C-1003", session_id=victim.session_id)
    with pytest.raises(ConversationNotYours):
        bot.session(session_id=victim.session_id)  # a guest holding the id
    again = bot.session("C-1002 ", session_id=victim.session_id)  # the owner, padded id
    assert again.customer_id == "C-1002"
    assert "Hello again." in again.ask("still there?").text


def test_a_customer_cannot_take_over_a_guest_conversation(make_bot):
    bot, _ = make_bot([say("Hi guest.")])
    guest = bot.session()
    guest.ask("hi")
    with pytest.raises(ConversationNotYours):
        bot.session("C-1003", session_id=guest.session_id)


def test_a_thread_with_no_recorded_owner_is_refused(make_bot):
    from langgraph.checkpoint.base import empty_checkpoint

    bot, _ = make_bot([])
    config = {"configurable": {"thread_id": "legacy-thread", "checkpoint_ns": ""}}
    bot.checkpointer.put(config, empty_checkpoint(), {}, {})
    with pytest.raises(ConversationNotYours, match="no recorded owner"):
        bot.session("C-1003", session_id="legacy-thread")


def test_bad_input_is_a_clear_usage_error(make_bot):
    bot, _ = make_bot([say("ok")])
    s = bot.session("C-1003 ")  # a trailing space is the same customer
    assert s.customer_id == "C-1003"
    s.grant_consent("account_data")
    assert s.consents["account_data"].granted
    assert bot.records.consent_state("C-1003 ")["account_data"].granted
    with pytest.raises(UsageError, match="lone surrogate U\\+D83D"):
        s.ask("hola \ud83d")
    with pytest.raises(UsageError, match="not a valid customer id"):
        bot.session("C-1003\n; drop")


def test_a_tool_loop_is_a_clear_localised_reply_not_an_exception(make_bot, caplog):
    loop = [call("search_knowledge", call_id=f"c{i}", query="roaming") for i in range(30)]
    bot, _ = make_bot(loop)
    s = bot.session("C-1003")  # Spanish-speaking customer
    with caplog.at_level("ERROR", logger="assistant.failures"):
        reply = s.ask("¿Cómo funciona el roaming en Francia?")
    assert reply.error == "tool_loop"
    assert "vueltas" in reply.text and "servicio de lenguaje" not in reply.text
    assert any(r.getMessage() == "turn_failed" and r.failure == "tool_loop" for r in caplog.records)


def _failing(exc: Exception):
    def step(messages) -> AIMessage:
        raise exc

    return step


@pytest.mark.parametrize(
    ("exc", "kind", "words"),
    [
        (ConnectionError("endpoint went away"), "provider_unavailable", "language service"),
        (
            sqlite3.OperationalError("database or disk is full"),
            "storage_unavailable",
            "records are not available",
        ),
        (KeyError("bug"), "internal_error", "something went wrong on our side"),
    ],
)
def test_only_a_provider_failure_blames_the_language_service(make_bot, exc, kind, words):
    bot, _ = make_bot([_failing(exc)])
    s = bot.session()
    reply = s.ask("hello")
    assert reply.error == kind
    assert words in reply.text
    if kind != "provider_unavailable":
        assert "language service" not in reply.text


def test_corrupt_store_files_are_named(tmp_path):
    from assistant.bootstrap import ensure_database
    from assistant.errors import StorageError
    from assistant.settings import Settings

    (tmp_path / "telco.db").write_bytes(b"this is not a database" * 100)
    settings = Settings(data_dir=tmp_path, _env_file=None)
    with pytest.raises(StorageError, match=r"telco\.db cannot be used"):
        ensure_database(settings)
    from contextlib import ExitStack

    from assistant.checkpoints import open_checkpointer

    (tmp_path / "conversations.sqlite").write_bytes(b"garbage" * 1000)
    with ExitStack() as stack, pytest.raises(StorageError, match=r"conversations\.sqlite"):
        open_checkpointer(settings, stack)
    assert (tmp_path / "conversations.sqlite").read_bytes() == b"garbage" * 1000  # untouched
