"""Who owns each API conversation, and the lease that keeps one turn at a time on it.

Both live in one table of the records database (``api_conversations``), so every worker sees
them: a conversation created on one worker is checked on another, and a turn running on one
worker makes a second message to the same conversation on any worker get 409.

The lease is a row update that only succeeds when no unexpired lease is held. Its expiry
(``TELCO_API_TURN_LEASE_S``) frees a conversation whose worker died mid-turn. Times are the
wall clock (not the demo clock), compared on the workers, which must keep NTP time.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from assistant.api.auth import Identity
from assistant.api.problems import Problem

metadata = sa.MetaData()

conversations = sa.Table(
    "api_conversations",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True, comment="Conversation (thread) id."),
    sa.Column("owner", sa.String(128), nullable=False, comment="'customer:<id>' or 'guest'."),
    sa.Column("created_at", sa.Float, nullable=False, comment="Unix time of creation."),
    sa.Column("lease_token", sa.String(32), nullable=True, comment="Holder of the turn lease."),
    sa.Column("lease_until", sa.Float, nullable=True, comment="Unix time the lease ends."),
)


class ConversationStore:
    """Ownership and turn leases of API conversations, in the records database."""

    def __init__(self, engine: sa.Engine, lease_s: float) -> None:
        self.engine = engine
        self.lease_s = lease_s

    def setup(self) -> None:
        """Create the table if it is missing (two workers starting at once may race)."""
        try:
            metadata.create_all(self.engine, checkfirst=True)
        except SQLAlchemyError:
            # The other worker created it between our check and our CREATE.
            if not sa.inspect(self.engine).has_table(conversations.name):
                raise

    def create(self, identity: Identity) -> str:
        """A new conversation owned by ``identity``; returns its id."""
        conversation_id = secrets.token_hex(16)
        with self.engine.begin() as conn:
            conn.execute(
                conversations.insert().values(
                    id=conversation_id, owner=identity.owner, created_at=time.time()
                )
            )
        return conversation_id

    def check(self, conversation_id: str, identity: Identity) -> None:
        """Problem 404 for an unknown conversation, 403 when it is someone else's."""
        with self.engine.connect() as conn:
            owner = conn.execute(
                sa.select(conversations.c.owner).where(conversations.c.id == conversation_id)
            ).scalar_one_or_none()
        if owner is None:
            raise Problem(404, "not-found", f"no conversation {conversation_id!r}")
        if owner != identity.owner:
            who = "a guest" if identity.customer_id is None else "this customer"
            raise Problem(403, "forbidden", f"conversation {conversation_id!r} is not {who}'s")

    def acquire(self, conversation_id: str) -> str:
        """Take the turn lease; Problem 409 when a turn holds it. Returns the lease token."""
        token = secrets.token_hex(16)
        now = time.time()
        free = sa.or_(conversations.c.lease_until.is_(None), conversations.c.lease_until < now)
        with self.engine.begin() as conn:
            taken = conn.execute(
                conversations.update()
                .where(conversations.c.id == conversation_id, free)
                .values(lease_token=token, lease_until=now + self.lease_s)
            ).rowcount
        if taken != 1:
            raise Problem(
                409,
                "conversation-busy",
                "another message of this conversation is still being answered; "
                "send this one when that reply has arrived",
            )
        return token

    def release(self, conversation_id: str, token: str) -> None:
        """Give the lease back (only if we still hold it)."""
        with self.engine.begin() as conn:
            conn.execute(
                conversations.update()
                .where(conversations.c.id == conversation_id)
                .where(conversations.c.lease_token == token)
                .values(lease_token=None, lease_until=None)
            )

    @contextmanager
    def turn(self, conversation_id: str) -> Iterator[None]:
        """Hold the turn lease for the body of the ``with``."""
        token = self.acquire(conversation_id)
        try:
            yield
        finally:
            self.release(conversation_id, token)
