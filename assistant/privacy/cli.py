"""``python -m assistant privacy purge | export CUSTOMER_ID``: retention and subject access.

Mounted by ``assistant.__main__``; nothing here runs at import time. Both commands open only
the records database and the conversation store, never the model or the knowledge index.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

import typer

privacy_app = typer.Typer(
    add_completion=False, no_args_is_help=True, help="Retention purge and subject-access export."
)


@contextmanager
def _stores() -> Iterator[tuple[Any, Any, Any]]:
    from assistant.checkpoints import open_checkpointer
    from assistant.records.api import Records
    from assistant.settings import get_settings

    settings = get_settings()
    with ExitStack() as stack:
        records = Records.from_settings(settings)
        stack.callback(records.engine.dispose)
        saver = open_checkpointer(settings, stack)
        yield settings, records, saver


@privacy_app.command("purge")
def purge_command() -> None:
    """Delete kept transcripts past the retention period, abandoned conversations without
    retention consent, and conversations with no recorded owner."""
    from assistant.privacy.retention import Privacy

    with _stores() as (settings, records, saver):
        report = Privacy(records, saver, settings).purge()
    typer.echo(
        f"deleted {report.deleted} conversation(s): {report.expired} past "
        f"{settings.transcript_retention_days} days, {report.abandoned} abandoned without "
        f"retention consent, {report.orphans} without an owner; {len(report.kept)} abandoned "
        "but kept under retention consent"
    )


@privacy_app.command("export")
def export_command(
    customer_id: str = typer.Argument(..., help="The customer, e.g. C-1003."),
) -> None:
    """Print one customer's consents, audit events, tickets and kept conversations as JSON."""
    from assistant.errors import NotFound
    from assistant.privacy.export import export_customer, to_json

    with _stores() as (_settings, records, saver):
        try:
            data = export_customer(records, saver, customer_id)
        except NotFound as exc:
            typer.echo(f"error: {exc.message}", err=True)
            raise typer.Exit(1) from exc
    typer.echo(to_json(data))
