"""A SQLite-backed LangChain ``RecordManager``, stored next to the index.

langchain-core ships only an in-memory record manager; the SQL one lives in a legacy package.
This one keeps one row per indexed record (its hash key, its group - the source document -
and when a build last saw it) in ``records.sqlite3`` in the index directory.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Sequence
from pathlib import Path

from langchain_core.indexing import RecordManager

_SCHEMA = """
CREATE TABLE IF NOT EXISTS records (
    namespace  TEXT NOT NULL,
    key        TEXT NOT NULL,
    group_id   TEXT,
    updated_at REAL NOT NULL,
    PRIMARY KEY (namespace, key)
);
CREATE INDEX IF NOT EXISTS records_group ON records (namespace, group_id);
CREATE INDEX IF NOT EXISTS records_updated ON records (namespace, updated_at);
"""


class SQLiteRecordManager(RecordManager):
    """Record manager persisted in one SQLite file; safe to reopen after a crash."""

    def __init__(self, namespace: str, path: Path) -> None:
        super().__init__(namespace)
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        # check_same_thread=False: the async methods run the same calls in a worker thread.
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")

    def close(self) -> None:
        """Close the database connection."""
        self._db.close()

    def create_schema(self) -> None:
        """Create the table and indexes if they do not exist."""
        self._db.executescript(_SCHEMA)

    def get_time(self) -> float:
        """Wall-clock seconds; ``update`` never writes a time below ``time_at_least``."""
        return time.time()

    def update(
        self,
        keys: Sequence[str],
        *,
        group_ids: Sequence[str | None] | None = None,
        time_at_least: float | None = None,
    ) -> None:
        """Insert or refresh records in one transaction."""
        if group_ids is None:
            group_ids = [None] * len(keys)
        if len(group_ids) != len(keys):
            raise ValueError(f"{len(keys)} keys but {len(group_ids)} group ids")
        # A clock that stepped back must not make fresh records look older than the build.
        now = max(self.get_time(), time_at_least or 0.0)
        rows = [(self.namespace, k, g, now) for k, g in zip(keys, group_ids, strict=True)]
        with self._transaction():
            self._db.executemany(
                "INSERT INTO records (namespace, key, group_id, updated_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (namespace, key) DO UPDATE SET "
                "group_id = excluded.group_id, updated_at = excluded.updated_at",
                rows,
            )

    def exists(self, keys: Sequence[str]) -> list[bool]:
        """Whether each key has a record."""
        found: set[str] = set()
        for start in range(0, len(keys), 500):
            batch = list(keys[start : start + 500])
            marks = ",".join("?" * len(batch))
            found.update(
                row[0]
                for row in self._db.execute(
                    f"SELECT key FROM records WHERE namespace = ? AND key IN ({marks})",
                    [self.namespace, *batch],
                )
            )
        return [key in found for key in keys]

    def list_keys(
        self,
        *,
        before: float | None = None,
        after: float | None = None,
        group_ids: Sequence[str] | None = None,
        limit: int | None = None,
    ) -> list[str]:
        """Keys filtered by update time and group, oldest first."""
        sql = ["SELECT key FROM records WHERE namespace = ?"]
        args: list[object] = [self.namespace]
        if before is not None:
            sql.append("AND updated_at < ?")
            args.append(before)
        if after is not None:
            sql.append("AND updated_at > ?")
            args.append(after)
        if group_ids is not None:
            sql.append(f"AND group_id IN ({','.join('?' * len(group_ids))})")
            args.extend(group_ids)
        sql.append("ORDER BY updated_at, key")
        if limit is not None:
            sql.append("LIMIT ?")
            args.append(limit)
        return [row[0] for row in self._db.execute(" ".join(sql), args)]

    def delete_keys(self, keys: Sequence[str]) -> None:
        """Forget the given keys."""
        with self._transaction():
            self._db.executemany(
                "DELETE FROM records WHERE namespace = ? AND key = ?",
                [(self.namespace, key) for key in keys],
            )

    def clear(self) -> None:
        """Forget every record of this namespace (used by ``--rebuild``)."""
        with self._transaction():
            self._db.execute("DELETE FROM records WHERE namespace = ?", (self.namespace,))

    def _transaction(self) -> _Transaction:
        return _Transaction(self._db)

    # The async API delegates to the sync one in a worker thread: SQLite calls are short.
    async def acreate_schema(self) -> None:
        """Async ``create_schema``."""
        await asyncio.to_thread(self.create_schema)

    async def aget_time(self) -> float:
        """Async ``get_time``."""
        return self.get_time()

    async def aupdate(
        self,
        keys: Sequence[str],
        *,
        group_ids: Sequence[str | None] | None = None,
        time_at_least: float | None = None,
    ) -> None:
        """Async ``update``."""
        await asyncio.to_thread(self.update, keys, group_ids=group_ids, time_at_least=time_at_least)

    async def aexists(self, keys: Sequence[str]) -> list[bool]:
        """Async ``exists``."""
        return await asyncio.to_thread(self.exists, keys)

    async def alist_keys(
        self,
        *,
        before: float | None = None,
        after: float | None = None,
        group_ids: Sequence[str] | None = None,
        limit: int | None = None,
    ) -> list[str]:
        """Async ``list_keys``."""
        return await asyncio.to_thread(
            self.list_keys, before=before, after=after, group_ids=group_ids, limit=limit
        )

    async def adelete_keys(self, keys: Sequence[str]) -> None:
        """Async ``delete_keys``."""
        await asyncio.to_thread(self.delete_keys, keys)


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, rolled back if the block raises."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        self._db.execute("ROLLBACK" if exc_type else "COMMIT")
