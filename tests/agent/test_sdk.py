"""SDK behaviour: disclosure, validation, streaming, transcripts, budget, logs without PII."""

from __future__ import annotations

import io
import json
import re

import pytest
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

from assistant.budget import fit_to_budget, message_tokens
from assistant.errors import UsageError
from tests.scripted import call, say


def test_first_reply_discloses_ai_and_later_ones_do_not(make_bot):
    bot, model = make_bot([say("Hello!"), say("Again.")])
    s = bot.session()
    assert "AI" in s.ask("hi").text
    assert "AI" not in s.ask("hi again").text
    model.assert_consumed()


def test_spanish_message_gets_spanish_disclosure(make_bot):
    bot, _ = make_bot([say("¡Hola!")])
    assert "Soy una IA" in bot.session().ask("¿Hola, qué tal?").text


@pytest.mark.parametrize(
    ("message", "error"),
    [("", "empty"), ("   \x00 ", "empty"), (42, "must be a str"), ("x" * 5000, "limit is 4000")],
)
def test_bad_messages_are_rejected_with_a_clear_error(make_bot, message, error):
    bot, _ = make_bot([])
    with pytest.raises(UsageError, match=error):
        bot.session().ask(message)


def test_confirm_with_nothing_pending_is_a_usage_error(make_bot):
    bot, _ = make_bot([])
    with pytest.raises(UsageError, match="nothing is pending"):
        bot.session().confirm()


def test_stream_yields_pieces_then_sets_last_reply(make_bot):
    bot, _ = make_bot([say("one two three four five six seven eight nine ten")])
    s = bot.session()
    pieces = list(s.stream("count"))
    assert len(pieces) > 2
    assert "one two three" in "".join(pieces)
    assert s.last_reply is not None and s.last_reply.text.endswith("ten")


def test_resume_by_session_id_keeps_history(make_bot):
    bot, model = make_bot([say("first"), say("second")])
    s = bot.session("C-1002")
    s.ask("hello")
    again = bot.session("C-1002", session_id=s.session_id)
    again.ask("still there?")
    assert [m.content for m in model.seen[1] if isinstance(m, HumanMessage)] == [
        "hello",
        "still there?",
    ]


def test_transcript_deleted_at_close_unless_retention_consent(make_bot):
    bot, _ = make_bot([say("a"), say("b")])
    plain = bot.session("C-1007")
    plain.ask("hello")
    plain.close()
    assert bot.graph.get_state(plain._config).values == {}

    kept = bot.session("C-1007")
    kept.grant_consent("transcript_retention")
    kept.ask("hello")
    kept.close()
    assert bot.graph.get_state(kept._config).values["messages"]


def test_unknown_customer_cannot_open_a_session(make_bot):
    from assistant.errors import NotFound

    bot, _ = make_bot([])
    with pytest.raises(NotFound):
        bot.session("C-9999999")


def test_budget_keeps_current_turn_and_drops_oldest_whole_turns():
    old = [HumanMessage("old question " * 200), AIMessage("old answer " * 200)]
    current = [
        HumanMessage("new question"),
        AIMessage("", tool_calls=[{"name": "t", "args": {}, "id": "1", "type": "tool_call"}]),
        ToolMessage("passage " * 3000, tool_call_id="1"),
    ]
    kept = fit_to_budget(old + current, budget=800)
    assert kept[0].content == "new question"
    assert sum(message_tokens(m) for m in kept) <= 800 + 50
    assert "truncated" in kept[-1].content
    roomy = fit_to_budget(old + current[:1], budget=100_000)
    assert len(roomy) == 3


def test_logs_never_hold_raw_pii(make_bot):
    from assistant.observability import configure_logging

    stream = io.StringIO()
    handler = configure_logging("DEBUG", stream=stream)
    bot, _ = make_bot(
        [call("hand_off_to_human", topic="billing", summary="x"), say("Ticket opened.")]
    )
    s = bot.session("C-1004")
    s.ask(
        "Call me on +44 7700 900123 or mail priya.shah@northwind.example, card 4111 1111 1111 1111,"
        " IBAN GB29 NWBK 6016 1331 9268 19"
    )
    import logging

    logging.getLogger("assistant").info(
        "probe", extra={"note": "reach me at 07700900123 or priya.shah@northwind.example"}
    )
    logging.getLogger("assistant").removeHandler(handler)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert lines, "expected structured log lines"
    text = stream.getvalue()
    for pii in (r"7700\s?900\s?123", r"priya\.shah@", r"4111 1111", r"GB29 NWBK"):
        assert not re.search(pii, text), pii
    assert "[PHONE]" in text and "[EMAIL]" in text


def test_close_releases_the_records_pool_it_opened(make_bot):
    bot, _ = make_bot([say("hi")])
    bot.session("C-1007").ask("hello")
    assert bot.records.engine.pool.checkedin() > 0
    bot.close()
    # On PostgreSQL, connections left in the pool are reported open when collected.
    assert bot.records.engine.pool.checkedin() == 0


def test_a_failed_start_releases_the_records_pool_it_opened(settings, monkeypatch):
    from assistant.records.api import Records
    from assistant.sdk import Assistant
    from knowledge.retrieval import IndexMissing

    disposed = []
    real = Records.from_settings

    def tracked(s):
        records = real(s)
        dispose = records.engine.dispose
        monkeypatch.setattr(records.engine, "dispose", lambda *a, **k: (
            disposed.append(records), dispose(*a, **k))[1])
        return records

    monkeypatch.setattr(Records, "from_settings", tracked)
    with pytest.raises(IndexMissing):
        Assistant(settings, auto_setup=False)  # this data dir has a database but no index
    assert len(disposed) == 1


def _free_slots(gate) -> int:
    """How many times ``gate`` can be entered right now (then released again)."""
    taken = 0
    while taken < 64 and gate.acquire(blocking=False):
        taken += 1
    for _ in range(taken):
        gate.release()
    return taken


def test_turn_gate_defaults_to_the_cores_for_the_offline_engine_only(tmp_path):
    import os

    from assistant.sdk import turn_gate
    from assistant.settings import Settings

    def gate(**fields):
        return turn_gate(Settings(data_dir=tmp_path, _env_file=None, **fields))

    assert _free_slots(gate()) == (os.cpu_count() or 2)
    assert _free_slots(gate(max_concurrent_turns=3)) == 3
    assert not hasattr(gate(model_provider="openai"), "acquire")  # no limit: network-bound
    assert not hasattr(gate(max_concurrent_turns=0), "acquire")


def test_gated_streams_never_hold_the_gate_while_the_reader_has_an_item():
    import threading

    from assistant.sdk import gated

    gate = threading.BoundedSemaphore(1)
    seen = []
    for item in gated(iter([1, 2, 3]), gate):
        seen.append((item, _free_slots(gate)))
    assert seen == [(1, 1), (2, 1), (3, 1)]


def test_a_gate_of_one_runs_one_turn_at_a_time(make_bot, settings):
    import threading
    import time

    from assistant.sdk import turn_gate

    running, peak, lock = [0], [0], threading.Lock()

    def slow_answer(messages):
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        time.sleep(0.05)
        with lock:
            running[0] -= 1
        return AIMessage("done")

    bot, model = make_bot([slow_answer] * 4)
    bot.turns = turn_gate(settings.model_copy(update={"max_concurrent_turns": 1}))
    threads = [threading.Thread(target=bot.session().ask, args=("hi",)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert peak[0] == 1
    model.assert_consumed()
