"""A real Chroma server on a loopback port, for the server-mode tests.

chromadb 1.x ships its server (Rust, inside ``chromadb_rust_bindings``) behind the ``chroma``
console script: ``chroma run --path DIR --host 127.0.0.1 --port N``. ``start_server`` runs it
as a subprocess and waits for ``GET /api/v2/heartbeat``; ``ServerUnavailable`` means this
machine cannot run it (no script, or the process exited), which tests turn into a skip.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

HOST = "127.0.0.1"
#: The Rust server starts in well under a second; the margin is for a loaded 2-core machine.
START_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 10.0
#: Attempts with a fresh port when the server exits at once (another process took the port).
ATTEMPTS = 3


class ServerUnavailable(RuntimeError):
    """The Chroma server cannot run on this machine; the message says why."""


@dataclass
class ChromaServer:
    """A running ``chroma run`` subprocess."""

    process: subprocess.Popen[bytes]
    host: str
    port: int
    path: Path
    log: Path

    def heartbeat(self) -> bool:
        """Whether the server answers its heartbeat now."""
        # No proxies: the request must go straight to loopback whatever the environment says.
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        try:
            with opener.open(f"http://{self.host}:{self.port}/api/v2/heartbeat", timeout=2) as r:
                return r.status == 200
        except (urllib.error.URLError, OSError):
            return False

    def log_tail(self, lines: int = 20) -> str:
        """The end of the server's output, for error messages."""
        if not self.log.exists():
            return "(no output)"
        text = self.log.read_text(encoding="utf-8", errors="replace").splitlines()
        return "\n".join(text[-lines:]) or "(no output)"

    def stop(self) -> None:
        """Terminate the server and wait for it; kill it if it does not stop in time."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=STOP_TIMEOUT_S)


def chroma_command() -> str:
    """The ``chroma`` script of the running interpreter's environment."""
    beside = Path(sys.executable).parent / "chroma"
    found = str(beside) if beside.exists() else shutil.which("chroma")
    if found is None:
        raise ServerUnavailable(f"no `chroma` command beside {sys.executable} or on PATH")
    return found


def free_port() -> int:
    """A port nothing listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def start_server(directory: Path, timeout: float = START_TIMEOUT_S) -> ChromaServer:
    """Start ``chroma run`` with its data in ``directory``; return once its heartbeat answers.

    Raises ``ServerUnavailable`` when the process exits before answering (every attempt) and
    ``TimeoutError`` when it keeps running but never answers within ``timeout`` seconds.
    """
    command = chroma_command()
    failures: list[str] = []
    for attempt in range(ATTEMPTS):
        port = free_port()
        log = directory / f"server-{attempt}.log"
        data = directory / "data"
        with log.open("wb") as out:
            process = subprocess.Popen(
                [command, "run", "--path", str(data), "--host", HOST, "--port", str(port)],
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        server = ChromaServer(process, HOST, port, data, log)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if server.heartbeat():
                return server
            if process.poll() is not None:
                failures.append(f"exit code {process.returncode}:\n{server.log_tail()}")
                break
            time.sleep(0.1)
        else:
            server.stop()
            raise TimeoutError(
                f"Chroma server on {HOST}:{port} started but its heartbeat did not answer "
                f"within {timeout:.0f} s; its output:\n{server.log_tail()}"
            )
    raise ServerUnavailable(
        f"`chroma run` exited before answering ({ATTEMPTS} attempts); last {failures[-1]}"
    )
