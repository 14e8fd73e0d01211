"""The consent ledger: purposes with notices, grant/withdraw at once, state = latest record."""

from __future__ import annotations

from assistant.records.api import Records


def test_purposes_have_plain_notices_and_versions(records: Records) -> None:
    purposes = {p.purpose: p for p in records.consent_purposes()}
    assert purposes["account_data"].version == "AD-2026.09"
    assert purposes["transcript_retention"].version == "TR-2026.09"
    assert all(len(p.notice) > 100 and p.title for p in purposes.values())


def test_never_opted_in_has_no_records_and_no_consent(records: Records) -> None:
    assert records.consent_history("C-1007") == []
    state = records.consent_state("C-1007")
    assert set(state) == {"account_data", "transcript_retention"}
    assert not any(s.granted for s in state.values())
    assert not records.has_consent("C-1007", "account_data")


def test_withdrawn_persona_must_be_asked_again(records: Records) -> None:
    history = records.consent_history("C-1002")
    assert [h.action for h in history] == ["granted", "withdrawn"]
    assert not records.has_consent("C-1002", "account_data")
    assert records.has_consent("C-1001", "account_data")


def test_grant_then_withdraw_takes_effect_at_once(records: Records, clock) -> None:
    granted = records.grant_consent("C-1007", "account_data", "AD-2026.09", "chat")
    assert granted.granted and records.has_consent("C-1007", "account_data")
    clock.advance(minutes=5)
    withdrawn = records.withdraw_consent("C-1007", "account_data", "chat")
    assert not withdrawn.granted and not records.has_consent("C-1007", "account_data")
    assert withdrawn.since is not None and withdrawn.since > granted.since
    history = records.consent_history("C-1007")
    assert [(h.purpose, h.action) for h in history] == [
        ("account_data", "granted"),
        ("account_data", "withdrawn"),
    ]
    assert not records.consent_state("C-1007")["transcript_retention"].granted
    actions = [e.action for e in records.audit_events("C-1007")]
    assert actions == ["consent.granted", "consent.withdrawn"]


def test_state_is_the_last_record_in_ledger_order_however_long_the_ledger(
    records: Records, clock
) -> None:
    """The ranked query equals folding the whole history, even when the clock steps back."""
    import random

    rng = random.Random(7)
    for _ in range(60):
        key = rng.choice(["account_data", "transcript_retention"])
        version = {"account_data": "AD-2026.09", "transcript_retention": "TR-2026.09"}[key]
        if rng.random() < 0.5:
            records.grant_consent("C-1007", key, version, "chat")
        else:
            records.withdraw_consent("C-1007", key, "chat")
        clock.advance(minutes=rng.choice([-30, 0, 0, 1, 5]))  # equal and earlier times too
        folded = {}
        for record in records.consent_history("C-1007"):
            folded[record.purpose] = record
        state = records.consent_state("C-1007")
        for purpose, last in folded.items():
            assert state[purpose].granted == (last.action == "granted")
            assert state[purpose].since == last.at
