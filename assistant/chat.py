"""Terminal chat: the assistant in a shell, with rendered citations and consent/confirm prompts."""

from __future__ import annotations

from rich.console import Console
from rich.panel import Panel
from rich.prompt import Confirm, Prompt
from rich.table import Table

from assistant.replies import PendingConfirmation, PendingConsent, Reply
from assistant.sdk import Assistant, Session

HELP = (
    "Commands: /consents (show), /grant \\[purpose], /withdraw \\[purpose], "
    "/new (new conversation), /quit. Anything else is a message to the assistant."
)


def render(console: Console, reply: Reply) -> None:
    """Print a reply with its sources and tool activity."""
    console.print(Panel(reply.text or "…", title="Vela assistant (AI)", border_style="cyan"))
    for call in reply.tool_calls:
        console.print(
            f"  [dim]tool {call.name}({', '.join(f'{k}={v!r}' for k, v in call.args.items())})"
            f" → {call.outcome}[/dim]"
        )
    if reply.citations:
        table = Table(title="Sources", show_lines=False)
        for column in ("#", "document", "section", "snippet"):
            table.add_column(column)
        for c in reply.citations:
            table.add_row(str(c.number), f"{c.title} (v{c.version})", c.section, c.snippet[:120])
        console.print(table)


def resolve_pending(console: Console, session: Session, reply: Reply) -> Reply:
    """Ask the human about each pause until none is left."""
    while reply.pending is not None:
        pending = reply.pending
        if isinstance(pending, PendingConsent):
            console.print(
                Panel(
                    pending.notice,
                    title=f"{pending.title} — notice {pending.version}",
                    border_style="yellow",
                )
            )
            allowed = Confirm.ask("Allow the assistant to use your account data?", default=False)
            reply = session.confirm() if allowed else session.decline()
        elif isinstance(pending, PendingConfirmation):
            console.print_json(data=pending.quote)
            ok = Confirm.ask(f"Confirm {pending.action.replace('_', ' ')}?", default=False)
            reply = session.confirm() if ok else session.decline()
        render(console, reply)
    return reply


def run_chat(assistant: Assistant, customer_id: str | None) -> None:
    """Interactive loop until /quit or end of input."""
    console = Console()
    session = assistant.session(customer_id, channel="terminal")
    who = customer_id or "guest (general help only — sign in with --customer for account help)"
    console.print(f"[bold]Signed in as:[/bold] {who}\n{session.greeting()}\n[dim]{HELP}[/dim]")
    while True:
        try:
            text = Prompt.ask("[bold green]you[/bold green]")
        except (EOFError, KeyboardInterrupt):
            break
        command, _, arg = text.strip().partition(" ")
        if command == "/quit":
            break
        if command == "/new":
            session.close()
            session = assistant.session(customer_id, channel="terminal")
            console.print("[dim]New conversation.[/dim]")
            continue
        if command in ("/grant", "/withdraw", "/consents"):
            if customer_id is None:
                console.print("Sign in (--customer) to manage consent.")
                continue
            if command == "/grant":
                session.grant_consent(arg or "account_data")
            elif command == "/withdraw":
                session.withdraw_consent(arg or "account_data")
            for purpose, state in session.consents.items():
                console.print(f"  {purpose}: {'granted' if state.granted else 'not granted'}")
            continue
        if not text.strip():
            continue
        reply = session.ask(text)
        render(console, reply)
        resolve_pending(console, session, reply)
    session.close()
