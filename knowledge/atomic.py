"""Replace a file atomically: readers see the old file or the new one, never half of either."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def replacing(target: Path, *, prefix: str | None = None, suffix: str = ".tmp") -> Iterator[Path]:
    """Yield a temporary path beside ``target``; write it inside the block.

    When the block ends normally the file is flushed to disk, made readable by other local
    users (0644, not ``mkstemp``'s 0600) and renamed over ``target``. When the block raises,
    the temporary file is removed and ``target`` is untouched, so a check that fails inside
    the block keeps a bad file from ever being put in place.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(
        prefix=prefix or f".{target.name}.", suffix=suffix, dir=target.parent
    )
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        with tmp.open("rb+") as handle:
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
