"""Conversation state: a LangGraph checkpointer next to the system of record.

SQLite (a file in the data directory) by default; PostgreSQL when the database is PostgreSQL.
"""

from __future__ import annotations

import sqlite3
from contextlib import ExitStack

from langgraph.checkpoint.base import BaseCheckpointSaver

from assistant.errors import StorageError
from assistant.settings import Settings


def open_checkpointer(settings: Settings, stack: ExitStack) -> BaseCheckpointSaver:
    """Open the checkpointer for these settings; ``stack`` closes it with the Assistant."""
    url = settings.resolved_database_url()
    if url.startswith("postgresql"):
        from langgraph.checkpoint.postgres import PostgresSaver

        conn_url = url.replace("postgresql+psycopg://", "postgresql://", 1)
        saver = stack.enter_context(PostgresSaver.from_conn_string(conn_url))
        saver.setup()
        return saver
    from langgraph.checkpoint.sqlite import SqliteSaver

    path = settings.resolved_data_dir() / "conversations.sqlite"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        conn = sqlite3.connect(str(path), check_same_thread=False)
        stack.callback(conn.close)
        conn.execute("PRAGMA journal_mode=WAL")
        # With WAL, NORMAL syncs at checkpoints rather than at every commit: a crash of the
        # process loses nothing, a power cut at most the last turns, and the file stays
        # consistent. Sessions share this connection behind the saver's lock, and a per-commit
        # fsync held that lock long enough to serialise concurrent conversations.
        conn.execute("PRAGMA synchronous=NORMAL")
        # Deleted transcripts are overwritten, not left in free pages (the retention promise;
        # assistant.privacy.storage also truncates the WAL after each deletion).
        conn.execute("PRAGMA secure_delete=ON")
        sqlite_saver = SqliteSaver(conn)
        sqlite_saver.setup()
    except sqlite3.DatabaseError as exc:
        raise StorageError(
            f"the conversation store {path} cannot be opened ({exc}); if it is corrupt, move "
            "it aside (conversations in it are lost, the records are not) and start again"
        ) from exc
    return sqlite_saver
