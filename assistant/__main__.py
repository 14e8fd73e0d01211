"""Command line: ``python -m assistant [up|serve|chat|db|privacy|customers]``."""

from __future__ import annotations

import typer

from assistant.bootstrap import offline_env

app = typer.Typer(
    add_completion=False, no_args_is_help=True, help="Vela Telecom customer assistant."
)


def _mount_records_cli() -> None:
    from assistant.cli_db import customers_command, db_app
    from assistant.privacy.cli import privacy_app

    app.add_typer(db_app, name="db", help="Operator database: migrate, seed.")
    app.add_typer(privacy_app, name="privacy", help="Retention purge and subject-access export.")
    app.command("customers", help="Print the demo customers and their sign-in credentials.")(
        customers_command
    )


@app.command()
def chat(
    customer: str | None = typer.Option(None, help="Customer id to sign in as (see `customers`)."),
) -> None:
    """Chat in the terminal, as a guest or as a signed-in demo customer."""
    from assistant.chat import run_chat
    from assistant.observability import configure_logging
    from assistant.sdk import Assistant
    from assistant.settings import get_settings

    offline_env()
    configure_logging("WARNING")
    with Assistant(get_settings()) as bot:
        run_chat(bot, customer)


@app.command()
def up(
    terminal: bool = typer.Option(False, help="Chat in the terminal instead of the web UI."),
) -> None:
    """Set up the embedded default (database, demo data, index) and start the assistant."""
    from assistant.observability import configure_logging
    from assistant.settings import get_settings

    offline_env()
    settings = get_settings()
    configure_logging(settings.log_level)
    if terminal:
        chat(customer=None)
        return
    from ui.app import serve

    serve(settings)


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Interface to bind."),
    port: int = typer.Option(8080, min=1, max=65535, help="Port to listen on."),
    workers: int = typer.Option(1, min=1, help="Worker processes (any serves any turn)."),
    factory: str = typer.Option(
        "assistant.api.server:app_from_settings",
        help="module:function returning the ASGI app (to serve an assistant you build).",
    ),
) -> None:
    """Serve the HTTP API (OpenAPI at /openapi.json) under uvicorn."""
    from assistant.api.server import serve as run_server
    from assistant.bootstrap import offline_env

    offline_env()
    run_server(host, port, workers, factory)


def main() -> None:
    """Entry point for ``python -m assistant``."""
    _mount_records_cli()
    app()


if __name__ == "__main__":
    main()
