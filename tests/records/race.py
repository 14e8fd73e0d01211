"""Run calls at the same moment on separate threads, for the concurrency tests."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any


def race(calls: list[Callable[[], Any]], expected: tuple[type[Exception], ...]) -> list[Any]:
    """Start ``calls`` together; each one's result, or the ``expected`` error it raised (a
    loser's outcome). Any other error fails the test that reads the outcomes."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[Any] = [None] * len(calls)

    def run(index: int) -> None:
        barrier.wait()
        try:
            outcomes[index] = calls[index]()
        except expected as exc:
            outcomes[index] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes
