"""``python -m assistant db ...`` and ``python -m assistant customers``: the operator database.

Mounted by ``assistant.__main__``; nothing here runs at import time.
"""

from __future__ import annotations

import json

import typer

db_app = typer.Typer(add_completion=False, no_args_is_help=True, help="Operator database.")


@db_app.command("migrate")
def migrate_command() -> None:
    """Bring the database schema to the latest migration."""
    from assistant.records.db import migrate
    from assistant.settings import get_settings

    url = get_settings().resolved_database_url()
    migrate(url)
    typer.echo("schema is up to date")


@db_app.command("seed")
def seed_command(
    customers: int = typer.Option(200, min=1, help="Customers to create, personas included."),
    reset: bool = typer.Option(False, help="Drop every table first (destroys existing data)."),
    seed: int | None = typer.Option(None, help="Random seed (default: the demo world's)."),
) -> None:
    """Create the deterministic demo world: 7 personas plus generated customers."""
    from assistant.errors import UsageError
    from assistant.records.db import make_engine
    from assistant.records.seed import DEFAULT_SEED, seed_database
    from assistant.settings import get_settings

    settings = get_settings()
    if not settings.is_demo:
        typer.echo(
            "error: TELCO_PROFILE=production refuses the demo seed (its accounts have public "
            "passwords); load your own customers instead",
            err=True,
        )
        raise typer.Exit(1)
    engine = make_engine(settings.resolved_database_url())
    try:
        report = seed_database(
            engine,
            settings.now(),
            customers=customers,
            seed=DEFAULT_SEED if seed is None else seed,
            reset=reset,
        )
    except UsageError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from exc
    finally:
        engine.dispose()
    rows = ", ".join(f"{table} {count}" for table, count in report.rows.items())
    typer.echo(f"seeded {report.customers} customers in {report.seconds:.1f}s ({rows})")


def demo_customers() -> list[dict[str, str]]:
    """The demo personas with their sign-in credentials and situation."""
    from assistant.records.seed.personas import SITUATIONS, password_for, personas

    return [
        {
            "id": spec.id,
            "name": spec.name,
            "contact_name": spec.contact_name or "",
            "country": spec.country,
            "language": spec.language,
            "segment": spec.segment,
            "situation": SITUATIONS[spec.id],
            "email": spec.email,
            "password": password_for(spec.id),
        }
        for spec in personas()
    ]


def customers_command(
    as_json: bool = typer.Option(False, "--json", help="Print a JSON list instead of a table."),
) -> None:
    """Print the demo customers and their sign-in credentials."""
    people = demo_customers()
    if as_json:
        typer.echo(json.dumps(people, ensure_ascii=False, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Demo customers (sign in with e-mail + password)")
    for column in ("id", "name", "country", "email", "password", "situation"):
        table.add_column(column, overflow="fold")
    for person in people:
        table.add_row(
            *(person[c] for c in ("id", "name", "country", "email", "password", "situation"))
        )
    Console().print(table)
