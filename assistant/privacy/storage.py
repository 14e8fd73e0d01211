"""Deleting conversations so they are gone from the files, not only from the tables.

SQLite keeps deleted rows in free pages and in the write-ahead log until they are reused or
checkpointed. The checkpointer's connection runs with ``PRAGMA secure_delete=ON`` (freed
pages are overwritten with zeros, see ``assistant.checkpoints``), and after every deletion the
WAL is checkpointed and truncated, so neither the database file nor the ``-wal`` file still
holds a deleted transcript. On PostgreSQL deleted tuples are reclaimed by (auto)vacuum; see
docs/privacy.md.
"""

from __future__ import annotations

import sqlite3

from langgraph.checkpoint.base import BaseCheckpointSaver


def thread_ids(saver: BaseCheckpointSaver) -> set[str]:
    """Every conversation (thread) the checkpointer holds."""
    conn = getattr(saver, "conn", None)
    if isinstance(conn, sqlite3.Connection):
        with saver.lock:  # type: ignore[attr-defined]
            rows = conn.execute("SELECT DISTINCT thread_id FROM checkpoints").fetchall()
        return {str(r[0]) for r in rows}
    return {str(c.config["configurable"]["thread_id"]) for c in saver.list(None)}


def compact(saver: BaseCheckpointSaver) -> None:
    """Write the SQLite WAL back into the database and truncate it (no-op elsewhere)."""
    conn = getattr(saver, "conn", None)
    if isinstance(conn, sqlite3.Connection):
        with saver.lock:  # type: ignore[attr-defined]
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def erase_threads(saver: BaseCheckpointSaver, session_ids: list[str]) -> None:
    """Delete these conversations' checkpoints and writes, then compact the files."""
    for session_id in session_ids:
        saver.delete_thread(session_id)
    compact(saver)
