"""The consent ledger: append-only grants and withdrawals; state = latest record per purpose."""

from __future__ import annotations

import re
from datetime import datetime
from functools import lru_cache
from importlib import resources

import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assistant.errors import InvalidInput
from assistant.records.models import ConsentRecord
from assistant.records.services import audit, lookups
from assistant.records.views import ConsentPurpose, ConsentRecordView, ConsentState

_CHANNEL = re.compile(r"^[a-z][a-z0-9_-]{0,15}$")


@lru_cache(maxsize=1)
def purposes() -> tuple[ConsentPurpose, ...]:
    """Every purpose with its current notice (package data consent_purposes.yaml)."""
    text = (resources.files("assistant.records") / "data" / "consent_purposes.yaml").read_text(
        "utf-8"
    )
    return tuple(ConsentPurpose(**item) for item in yaml.safe_load(text)["purposes"])


def purpose(key: str) -> ConsentPurpose:
    """The purpose named ``key``, or InvalidInput naming it."""
    for item in purposes():
        if item.purpose == key:
            return item
    known = ", ".join(p.purpose for p in purposes())
    raise InvalidInput(f"unknown consent purpose {key!r}; known: {known}", purpose=key)


def _check_channel(channel: str) -> str:
    # Free-form but tame: it is stored and shown back (chat, web, app, phone, store, test...).
    if not isinstance(channel, str) or not _CHANNEL.match(channel):
        raise InvalidInput(
            f"consent channel {channel!r} must be a short lowercase word, e.g. chat", channel="?"
        )
    return channel


def _append(
    session: Session,
    now: datetime,
    customer_id: str,
    key: str,
    action: str,
    version: str,
    channel: str,
    actor: str,
) -> None:
    session.add(
        ConsentRecord(
            customer_id=customer_id,
            purpose=key,
            action=action,
            notice_version=version,
            channel=channel,
            at=now,
        )
    )
    audit.record(
        session,
        now,
        actor,
        f"consent.{action}",
        customer_id,
        purpose=key,
        notice_version=version,
        channel=channel,
    )


def grant(
    session: Session,
    now: datetime,
    customer_id: str,
    key: str,
    notice_version: str,
    channel: str,
    actor: str,
) -> ConsentState:
    """Record a grant; the notice version must be the one currently shown."""
    # The stored id, not the caller's spelling ("C-1003 " finds C-1003; the ledger's
    # foreign key and later reads need exactly C-1003).
    customer_id = lookups.customer(session, customer_id).id
    current = purpose(key)
    if notice_version != current.version:
        raise InvalidInput(
            f"notice version {notice_version!r} is not the current notice for {key} "
            f"({current.version}); show the current notice and ask again",
            notice_version=notice_version,
        )
    _append(
        session, now, customer_id, key, "granted", current.version, _check_channel(channel), actor
    )
    return states(session, customer_id)[key]


def withdraw(
    session: Session, now: datetime, customer_id: str, key: str, channel: str, actor: str
) -> ConsentState:
    """Record a withdrawal; it takes effect at once."""
    # The stored id, not the caller's spelling ("C-1003 " finds C-1003; the ledger's
    # foreign key and later reads need exactly C-1003).
    customer_id = lookups.customer(session, customer_id).id
    current = purpose(key)
    _append(
        session, now, customer_id, key, "withdrawn", current.version, _check_channel(channel), actor
    )
    return states(session, customer_id)[key]


def history(session: Session, customer_id: str) -> list[ConsentRecordView]:
    """Every record, oldest first."""
    customer_id = lookups.customer(session, customer_id).id
    rows = session.scalars(
        select(ConsentRecord)
        .where(ConsentRecord.customer_id == customer_id)
        .order_by(ConsentRecord.at, ConsentRecord.id)
    )
    return [
        ConsentRecordView(
            purpose=row.purpose,
            action=row.action,  # type: ignore[arg-type]
            notice_version=row.notice_version,
            channel=row.channel,
            at=row.at,
        )
        for row in rows
    ]


def latest_records(session: Session, customer_id: str) -> dict[str, ConsentRecord]:
    """The last record of each purpose, in the ledger's order (time, then insertion).

    One ranked query: the guard asks before every account tool call, and a customer's ledger
    only grows, so folding the whole history there would cost more with every grant.
    """
    rank = (
        func.row_number()
        .over(
            partition_by=ConsentRecord.purpose,
            order_by=(ConsentRecord.at.desc(), ConsentRecord.id.desc()),
        )
        .label("rank")
    )
    ranked = (
        select(ConsentRecord.id, rank)
        .where(ConsentRecord.customer_id == customer_id)
        .subquery()
    )
    last = select(ConsentRecord).join(ranked, ConsentRecord.id == ranked.c.id)
    rows = session.scalars(last.where(ranked.c.rank == 1))
    return {row.purpose: row for row in rows}


def states(session: Session, customer_id: str) -> dict[str, ConsentState]:
    """Current state of every purpose (not granted when there is no record)."""
    # Ids are stored trimmed; a padded id must read the same ledger, not an empty one.
    latest = latest_records(session, customer_id.strip() if isinstance(customer_id, str) else "")
    result = {}
    for item in purposes():
        last = latest.get(item.purpose)
        result[item.purpose] = ConsentState(
            purpose=item.purpose,
            granted=last is not None and last.action == "granted",
            notice_version=last.notice_version if last else None,
            channel=last.channel if last else None,
            since=last.at if last else None,
        )
    return result
