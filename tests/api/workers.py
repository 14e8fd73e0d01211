"""Start ``python -m assistant serve`` as a real process on a loopback port, and stop it."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.knowledge.chroma_server import HOST, free_port

START_TIMEOUT_S = 90.0


@dataclass
class Worker:
    """A running API process."""

    process: subprocess.Popen[bytes]
    url: str
    log: Path

    def stop(self) -> None:
        """Terminate (graceful shutdown) and wait; kill if it hangs."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def start_worker(env: dict[str, str], log: Path, factory: str = "tests.api.served:app") -> Worker:
    """Run ``python -m assistant serve`` with ``env`` until /readyz answers 200."""
    port = free_port()
    full_env = {**os.environ, **env, "PYTHONPATH": str(Path.cwd())}
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "assistant",
                "serve",
                "--host",
                HOST,
                "--port",
                str(port),
                "--factory",
                factory,
            ],
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=full_env,
        )
    worker = Worker(process, f"http://{HOST}:{port}", log)
    deadline = time.monotonic() + START_TIMEOUT_S
    with httpx.Client(trust_env=False) as client:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"API worker exited ({process.returncode}):\n{log.read_text()}")
            try:
                if client.get(f"{worker.url}/readyz", timeout=2).status_code == 200:
                    return worker
            except httpx.TransportError:
                pass  # not listening yet: poll again until the deadline
            time.sleep(0.2)
    worker.stop()
    raise TimeoutError(f"API worker not ready in {START_TIMEOUT_S:.0f} s:\n{log.read_text()}")
