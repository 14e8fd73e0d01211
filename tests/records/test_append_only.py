"""Consent records and audit events can only be appended: ORM, bulk and raw SQL all refused."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import DBAPIError

from assistant.errors import UsageError
from assistant.records.db import unit_of_work
from assistant.records.models import AuditEvent, ConsentRecord


@pytest.mark.parametrize("model", [ConsentRecord, AuditEvent])
def test_orm_update_is_refused(engine, model) -> None:
    with pytest.raises(UsageError, match="append-only"):
        with unit_of_work(engine, write=True) as session:
            row = session.scalars(select(model).limit(1)).one()
            row.at = row.at.replace(year=2020)


@pytest.mark.parametrize("model", [ConsentRecord, AuditEvent])
def test_orm_delete_is_refused(engine, model) -> None:
    with pytest.raises(UsageError, match="append-only"):
        with unit_of_work(engine, write=True) as session:
            session.delete(session.scalars(select(model).limit(1)).one())


@pytest.mark.parametrize("statement", [update(ConsentRecord).values(action="granted"),
                                       delete(AuditEvent)])  # fmt: skip
def test_bulk_statements_are_refused(engine, statement) -> None:
    with pytest.raises(UsageError, match="append-only"):
        with unit_of_work(engine, write=True) as session:
            session.execute(statement)


@pytest.mark.parametrize(
    "sql",
    ["UPDATE consent_records SET action = 'granted'", "DELETE FROM audit_events"],
)
def test_the_database_refuses_raw_sql_too(engine, sql) -> None:
    with pytest.raises(DBAPIError, match="append-only"):
        with engine.begin() as connection:
            connection.execute(text(sql))
    with engine.connect() as connection:
        assert connection.scalar(text("SELECT COUNT(*) FROM audit_events")) >= 1


def test_appending_still_works(records) -> None:
    before = len(records.consent_history("C-1007"))
    records.grant_consent("C-1007", "account_data", "AD-2026.09", "chat")
    assert len(records.consent_history("C-1007")) == before + 1
