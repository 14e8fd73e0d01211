"""The seed is deterministic (byte-identical), complete, and its personas are as documented."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from assistant.errors import UsageError
from assistant.records.api import Records
from assistant.records.db import make_engine
from assistant.records.seed import is_seeded, seed_database
from assistant.records.snapshot import database_digest
from assistant.settings import DEMO_CLOCK


def _seeded(path: Path, **kwargs) -> str:
    engine = make_engine(f"sqlite:///{path}")
    seed_database(engine, DEMO_CLOCK, customers=40, **kwargs)
    digest = database_digest(engine)
    engine.dispose()
    return digest


def test_same_seed_gives_byte_identical_data(tmp_path: Path) -> None:
    first = _seeded(tmp_path / "a.db")
    assert first == _seeded(tmp_path / "b.db")
    assert first != _seeded(tmp_path / "c.db", seed=7)  # the digest does see the data


def test_seed_covers_three_currencies_and_six_periods(records: Records, engine) -> None:
    with engine.connect() as connection:
        currencies = connection.scalars(text("SELECT DISTINCT currency FROM accounts")).all()
        periods = connection.scalars(text("SELECT DISTINCT period FROM bills ORDER BY 1")).all()
        cycles = connection.scalars(text("SELECT DISTINCT cycle FROM usage")).all()
    assert sorted(currencies) == ["EUR", "GBP", "KES"]
    assert periods == ["2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10"]
    assert cycles == ["2026-11"]


def test_snapshot_is_json_and_stable(records: Records) -> None:
    first = records.snapshot()
    text_form = json.dumps(first, sort_keys=True)
    assert json.loads(text_form) == first and first == records.snapshot()
    assert {"subscriptions", "plan_changes", "addon_purchases", "tickets", "consent_records",
            "bills", "payments"} <= set(first)  # fmt: skip
    records.open_ticket("C-1001", "billing", "Wants to discuss the overdue bill")
    assert records.snapshot()["tickets"] != first["tickets"]


def test_seed_refuses_to_run_twice_without_reset(engine) -> None:
    assert is_seeded(engine)
    with pytest.raises(UsageError, match="--reset"):
        seed_database(engine, DEMO_CLOCK, customers=10)


def test_reset_replaces_the_world(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'r.db'}")
    seed_database(engine, DEMO_CLOCK, customers=30)
    seed_database(engine, DEMO_CLOCK, customers=12, reset=True)
    with engine.connect() as connection:
        assert connection.scalar(text("SELECT COUNT(*) FROM customers")) == 12
    engine.dispose()


PERSONAS = {
    "C-1001": ("amelia@demo.vela", "vela-demo-1001"),
    "C-1002": ("oliver@demo.vela", "vela-demo-1002"),
    "C-1003": ("lucia@demo.vela", "vela-demo-1003"),
    "C-1004": ("priya@demo.vela", "vela-demo-1004"),
    "C-1005": ("wanjiru@demo.vela", "vela-demo-1005"),
    "C-1006": ("daniel@demo.vela", "vela-demo-1006"),
    "C-1007": ("javier@demo.vela", "vela-demo-1007"),
}


@pytest.mark.parametrize(("customer_id", "credentials"), PERSONAS.items())
def test_personas_sign_in_with_documented_credentials(
    records: Records, customer_id, credentials
) -> None:
    email, password = credentials
    assert records.authenticate(email, password).id == customer_id
    assert records.authenticate(email.upper(), password).id == customer_id
    assert records.authenticate(email, password + "x") is None


def test_unknown_email_and_generated_customers_cannot_sign_in(records: Records) -> None:
    assert records.authenticate("nobody@demo.vela", "vela-demo-1001") is None
    with records.engine.connect() as connection:
        email = connection.scalar(text("SELECT email FROM customers WHERE id = 'C-1008'"))
    assert records.authenticate(email, "") is None


def test_personas_situations(records: Records) -> None:
    assert records.get_customer("C-1003").language == "es"
    assert records.get_customer("C-1004").contact_name == "Priya Shah"
    overview = records.account_overview("C-1005")
    assert overview.billing_type == "prepaid" and str(overview.prepaid_balance) == "320.00"
    assert records.list_bills("C-1005") == []
    daniel = records.account_overview("C-1006").lines[0]
    assert daniel.status == "suspended" and daniel.suspension_reason == "lost phone / fraud hold"
    oliver = records.account_overview("C-1002").lines[0]
    assert str(oliver.contract_end) == "2027-08-31" and oliver.in_minimum_term


def test_customers_command_prints_personas_as_json() -> None:
    import typer

    from assistant.cli_db import customers_command

    app = typer.Typer()
    app.command()(customers_command)
    result = CliRunner().invoke(app, ["--json"])
    assert result.exit_code == 0, result.output
    people = json.loads(result.output)
    assert [p["id"] for p in people] == list(PERSONAS)
    for person in people:
        assert (person["email"], person["password"]) == PERSONAS[person["id"]]
        assert person["name"] and person["country"] in {"GB", "ES", "KE"} and person["situation"]


def test_db_seed_command_uses_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant.cli_db import db_app
    from assistant.settings import get_settings

    monkeypatch.setenv("TELCO_DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(db_app, ["seed", "--customers", "9"])
        again = CliRunner().invoke(db_app, ["seed", "--customers", "9"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0 and "seeded 9 customers" in result.output
    assert again.exit_code == 1 and "--reset" in again.output
    assert (tmp_path / "telco.db").exists()
