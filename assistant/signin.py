"""Sign-in with throttling: per account and per client, locked out after repeated failures.

Failures are counted in the records database (``signin_throttle``), so every worker process
sees the same counts and lockouts. An account is locked after ``signin_max_failures`` failures
within ``signin_window_minutes``; a client address after four times as many (one client may
legitimately mistype several accounts' passwords, a guessing script tries many). While locked,
the password is not even checked, so a lockout cannot be used to test passwords. Unknown
e-mails are counted like known ones, so the answer never reveals which accounts exist. Keys are
hashed: no e-mail address is stored for a failed attempt.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from assistant.privacy.conversations import wall_clock
from assistant.records.db import unit_of_work
from assistant.records.models import SignInThrottle

if TYPE_CHECKING:
    from assistant.records.api import Records
    from assistant.records.views import CustomerView
    from assistant.settings import Settings

#: A client may fail this many times more than one account before it is locked.
CLIENT_FACTOR = 4


@dataclass(frozen=True)
class SignInResult:
    """The customer on success; otherwise ``locked_until`` tells a lockout from bad input."""

    customer: CustomerView | None = None
    locked_until: datetime | None = None


def _key(kind: str, value: str) -> str:
    return f"{kind}:{hashlib.sha256(value.encode()).hexdigest()[:64]}"


class SignIn:
    """Checks credentials against the records, with throttling."""

    def __init__(
        self, records: Records, settings: Settings, clock: Callable[[], datetime] = wall_clock
    ) -> None:
        self.records = records
        self.clock = clock
        self.limit = settings.signin_max_failures
        self.window = timedelta(minutes=settings.signin_window_minutes)
        self.lockout = timedelta(minutes=settings.signin_lockout_minutes)

    def _keys(self, email: str, client: str | None) -> dict[str, int]:
        keys = {_key("account", email.strip().lower()): self.limit}
        if client:
            keys[_key("client", client)] = self.limit * CLIENT_FACTOR
        return keys

    def locked_until(self, email: str, client: str | None) -> datetime | None:
        """When the account's or client's lockout ends, if one is in force now."""
        now = self.clock()
        with unit_of_work(self.records.engine, write=False) as s:
            ends = [
                row.locked_until
                for key in self._keys(email, client)
                if (row := s.get(SignInThrottle, key)) is not None
                and row.locked_until is not None
                and row.locked_until > now
            ]
        return max(ends) if ends else None

    def attempt(self, email: str, password: str, client: str | None = None) -> SignInResult:
        """Check the credentials unless locked; count a failure, clear the account on success."""
        locked = self.locked_until(email, client)
        if locked is not None:
            return SignInResult(locked_until=locked)
        customer = self.records.authenticate(email, password)
        keys = self._keys(email, client)
        if customer is not None:
            account_key = next(iter(keys))  # the client's count stays: it may be guessing
            with unit_of_work(self.records.engine, write=True) as s:
                row = s.get(SignInThrottle, account_key)
                if row is not None:
                    s.delete(row)
            return SignInResult(customer=customer)
        return SignInResult(locked_until=self._fail(keys))

    def _fail(self, keys: dict[str, int]) -> datetime | None:
        now = self.clock()
        locked: datetime | None = None
        with unit_of_work(self.records.engine, write=True) as s:
            for key, limit in keys.items():
                row = s.get(SignInThrottle, key)
                if row is None or now - row.window_started_at > self.window:
                    if row is not None:
                        s.delete(row)
                        s.flush()
                    row = SignInThrottle(
                        key=key, failures=0, window_started_at=now, locked_until=None
                    )
                    s.add(row)
                row.failures += 1
                if row.failures >= limit:
                    row.locked_until = now + self.lockout
                    locked = max(locked, row.locked_until) if locked else row.locked_until
        return locked
