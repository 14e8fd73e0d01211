"""A scriptable OpenAI-compatible HTTP server on loopback, for testing the real wire path.

Each request to a chat-completions path pops the next scripted ``Step``: a text answer, tool
calls, an HTTP error status, a delay (for timeouts) or deliberately malformed tool-call JSON.
Streaming requests get Server-Sent Events like the real API. Requests are recorded.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Step:
    """One scripted response."""

    text: str = ""
    tool_calls: list[tuple[str, str]] = field(default_factory=list)  # (name, raw JSON arguments)
    status: int = 200
    delay: float = 0.0


class FakeOpenAI:
    """Start with ``with FakeOpenAI([...]) as server:``; ``server.url`` is the /v1 base URL."""

    def __init__(self, steps: list[Step]) -> None:
        self.steps = list(steps)
        self.requests: list[dict[str, Any]] = []
        self.paths: list[str] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def __enter__(self) -> FakeOpenAI:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def remaining(self) -> int:
        return len(self.steps)

    def _next(self, body: dict[str, Any], path: str) -> Step:
        with self._lock:
            self.requests.append(body)
            self.paths.append(path)
            if not self.steps:
                return Step(status=500, text="script exhausted")
            return self.steps.pop(0)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:  # keep test output quiet
                return

            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                length = int(self.headers.get("content-length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                step = server._next(body, self.path)
                if step.delay:
                    time.sleep(step.delay)
                if step.status != 200:
                    payload = json.dumps(
                        {"error": {"message": step.text or "error", "type": "server_error"}}
                    )
                    self._send(step.status, "application/json", payload.encode())
                    return
                if body.get("stream"):
                    self._stream(step, body)
                else:
                    self._send(
                        200, "application/json", json.dumps(_completion(step, body)).encode()
                    )

            def _send(self, status: int, ctype: str, data: bytes) -> None:
                try:
                    self.send_response(status)
                    self.send_header("content-type", ctype)
                    self.send_header("content-length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    return  # the client gave up (the timeout test does this on purpose)

            def _stream(self, step: Step, body: dict[str, Any]) -> None:
                self.send_response(200)
                self.send_header("content-type", "text/event-stream")
                self.end_headers()
                for chunk in _chunks(step, body):
                    self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                    self.wfile.flush()
                self.wfile.write(b"data: [DONE]\n\n")

        return Handler


def _tool_call(i: int, name: str, args: str) -> dict[str, Any]:
    return {
        "id": f"call_{i}_{name}",
        "type": "function",
        "function": {"name": name, "arguments": args},
    }


def _completion(step: Step, body: dict[str, Any]) -> dict[str, Any]:
    message: dict[str, Any] = {"role": "assistant", "content": step.text or None}
    if step.tool_calls:
        message["tool_calls"] = [_tool_call(i, n, a) for i, (n, a) in enumerate(step.tool_calls)]
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": 0,
        "model": body.get("model", "fake"),
        "choices": [
            {
                "index": 0,
                "message": message,
                "finish_reason": "tool_calls" if step.tool_calls else "stop",
            }
        ],
        "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
    }


def _chunks(step: Step, body: dict[str, Any]) -> list[dict[str, Any]]:
    base = {
        "id": "chatcmpl-fake",
        "object": "chat.completion.chunk",
        "created": 0,
        "model": body.get("model", "fake"),
    }
    out = [
        {
            **base,
            "choices": [
                {"index": 0, "delta": {"role": "assistant", "content": ""}, "finish_reason": None}
            ],
        }
    ]
    for word in step.text.split(" ") if step.text else []:
        out.append(
            {
                **base,
                "choices": [{"index": 0, "delta": {"content": word + " "}, "finish_reason": None}],
            }
        )
    for i, (name, args) in enumerate(step.tool_calls):
        out.append(
            {
                **base,
                "choices": [
                    {
                        "index": 0,
                        "delta": {"tool_calls": [{"index": i, **_tool_call(i, name, args)}]},
                        "finish_reason": None,
                    }
                ],
            }
        )
    out.append(
        {
            **base,
            "choices": [
                {
                    "index": 0,
                    "delta": {},
                    "finish_reason": "tool_calls" if step.tool_calls else "stop",
                }
            ],
        }
    )
    return out
