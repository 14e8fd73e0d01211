"""Retention as the notice promises: redacted before storage, deleted when due, gone from disk."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from assistant.settings import Settings
from tests.scripted import call, say

CUSTOMER = "C-1003"
CARD = "4111.1111.1111.1111"
IBAN = "ES91 2100 0418 4502 0005 1332"
PHONE = "+34 612-345-678"
EMAIL = "lucia.private@example.org"
MESSAGE = (
    f"My card {CARD} was charged twice; refund it to IBAN {IBAN}. "
    f"Call me on {PHONE} or write to {EMAIL}."
)
RAW = [CARD, "4111111111111111", IBAN, "ES9121000418450200051332", PHONE, "612-345-678", EMAIL]


def _raw_on_disk(data_dir: Path) -> list[tuple[str, str]]:
    """Every (file, value) where a raw PII value is found, WAL and journal files included."""
    found = []
    for path in data_dir.rglob("*"):
        if path.is_file():
            blob = path.read_bytes()
            found += [(path.name, v) for v in RAW if v.encode() in blob]
    return found


def _grant(bot, purpose: str) -> None:
    version = next(p.version for p in bot.records.consent_purposes() if p.purpose == purpose)
    bot.records.grant_consent(CUSTOMER, purpose, version, "test")


def _script():
    return [
        call(
            "hand_off_to_human",
            topic="billing dispute",
            summary=f"Double charge on card {CARD}; refund to {IBAN}; phone {PHONE}, {EMAIL}.",
        ),
        say(f"I've opened a ticket. We'll call you on {PHONE} and write to {EMAIL}."),
    ]


def test_kept_transcript_and_ticket_hold_no_raw_pii_anywhere_on_disk(make_bot, settings):
    bot, model = make_bot(_script())
    _grant(bot, "transcript_retention")
    session = bot.session(CUSTOMER)
    reply = session.ask(MESSAGE)
    assert PHONE in reply.text  # the customer reads their own reply as it was written
    session.close()
    model.assert_consumed()
    from assistant.privacy.export import export_customer

    data = export_customer(bot.records, bot.checkpointer, CUSTOMER)
    kept = data["conversations"]
    assert [c["session_id"] for c in kept] == [session.session_id]  # kept under consent
    text = str(kept[0]["messages"])
    assert "[CARD]" in text and "[IBAN]" in text and "[PHONE]" in text and "[EMAIL]" in text
    ticket = data["tickets"][-1]["summary"]
    assert "[CARD]" in ticket and "[IBAN]" in ticket and "[PHONE]" in ticket
    assert _raw_on_disk(settings.resolved_data_dir()) == []


def test_withdrawing_retention_deletes_the_kept_conversation(make_bot, settings):
    bot, _ = make_bot(_script())
    _grant(bot, "transcript_retention")
    session = bot.session(CUSTOMER)
    session.ask(MESSAGE)
    session.close()
    assert bot.privacy.has_state(session.session_id)
    session.withdraw_consent("transcript_retention")
    assert not bot.privacy.has_state(session.session_id)
    assert bot.privacy.registry.get(session.session_id) is None
    assert _raw_on_disk(settings.resolved_data_dir()) == []


def test_without_retention_consent_close_deletes_and_the_file_keeps_nothing(make_bot, settings):
    bot, _ = make_bot([say(f"Noted: {PHONE}.")])
    session = bot.session(CUSTOMER)
    session.ask("hello, just a question")
    assert bot.privacy.has_state(session.session_id)
    session.close()
    assert not bot.privacy.has_state(session.session_id)
    # secure_delete and the truncated WAL: the reply's text is not in any file either.
    needle = b"Noted:"
    assert not any(
        needle in p.read_bytes() for p in settings.resolved_data_dir().rglob("*") if p.is_file()
    )


def test_a_session_never_closed_ends_with_the_assistant(make_bot, settings):
    bot, _ = make_bot([say("Hi.")])
    session = bot.session(CUSTOMER)
    session.ask("hello")
    bot.close()
    again, _ = make_bot([])
    assert not again.privacy.has_state(session.session_id)


def _clocked(settings: Settings, moment: datetime):
    from assistant.privacy.retention import Privacy
    from assistant.records.api import Records

    records = Records.from_settings(settings)
    from contextlib import ExitStack

    from assistant.checkpoints import open_checkpointer

    stack = ExitStack()
    saver = open_checkpointer(settings, stack)
    from assistant.privacy.redacted_checkpoints import redact_checkpoints

    redact_checkpoints(saver)
    return Privacy(records, saver, settings, clock=lambda: moment), stack


def test_purge_after_the_notice_period_and_abandoned_sessions_of_a_dead_process(settings):
    from langgraph.checkpoint.base import empty_checkpoint

    start = datetime(2026, 12, 1, tzinfo=UTC)
    first, stack = _clocked(settings, start)
    version = next(
        p.version for p in first.records.consent_purposes() if p.purpose == "transcript_retention"
    )
    first.records.grant_consent(CUSTOMER, "transcript_retention", version, "test")

    def open_one(privacy, owner):
        import uuid

        sid = uuid.uuid4().hex
        privacy.claim(sid, owner, "test")
        privacy.saver.put(
            {"configurable": {"thread_id": sid, "checkpoint_ns": ""}}, empty_checkpoint(), {}, {}
        )
        return sid

    kept = open_one(first, CUSTOMER)
    assert first.close(kept) is True
    abandoned_guest = open_one(first, None)  # the process "crashes": never closed
    orphan = "orphan-thread"
    first.saver.put(
        {"configurable": {"thread_id": orphan, "checkpoint_ns": ""}}, empty_checkpoint(), {}, {}
    )

    day_89, s2 = _clocked(settings, start + timedelta(days=89))
    report = day_89.purge()
    assert (report.expired, report.abandoned, report.orphans) == (0, 1, 1)
    assert day_89.has_state(kept) and not day_89.has_state(abandoned_guest)
    day_91, s3 = _clocked(settings, start + timedelta(days=91))
    assert day_91.purge().expired == 1
    assert not day_91.has_state(kept)
    for s in (stack, s2, s3):
        s.close()


def test_purge_and_export_commands(make_bot, settings, monkeypatch: pytest.MonkeyPatch):
    import json

    from typer.testing import CliRunner

    from assistant.__main__ import _mount_records_cli, app
    from assistant.settings import get_settings

    bot, _ = make_bot(_script())
    _grant(bot, "transcript_retention")
    s = bot.session(CUSTOMER)
    s.ask(MESSAGE)
    s.close()
    bot.close()
    monkeypatch.setenv("TELCO_DATA_DIR", str(settings.resolved_data_dir()))
    get_settings.cache_clear()
    try:
        _mount_records_cli()
        runner = CliRunner()
        out = runner.invoke(app, ["privacy", "export", "C-1003 "])
        assert out.exit_code == 0, out.output
        data = json.loads(out.output)
        assert set(data) == {
            "customer",
            "consents",
            "consent_history",
            "audit_events",
            "tickets",
            "conversations",
        }
        assert data["consents"]["transcript_retention"]["granted"] is True
        assert data["conversations"][0]["session_id"] == s.session_id
        assert any(e["action"] == "ticket.opened" for e in data["audit_events"])
        assert not any(v in out.output for v in RAW)
        missing = runner.invoke(app, ["privacy", "export", "C-9999"])
        assert missing.exit_code == 1 and "C-9999" in missing.output
        purged = runner.invoke(app, ["privacy", "purge"])
        assert purged.exit_code == 0 and "deleted 0 conversation(s)" in purged.output
    finally:
        get_settings.cache_clear()
