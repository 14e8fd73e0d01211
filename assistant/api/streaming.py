"""Server-sent events for one turn: ``delta`` events with text, then one ``reply`` event.

The SDK's stream is a synchronous generator; it runs to the end in one worker thread (the
graph keeps context variables, which must not hop threads between steps) and hands pieces to
the response through a queue. Errors before the first piece (unknown conversation, busy,
invalid message) are answered as problem+json; after it, as an ``error`` event. A client
that disconnects does not cut the turn short: it finishes and is checkpointed.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from typing import Any

from fastapi.responses import StreamingResponse
from fastapi.sse import format_sse_event
from opentelemetry import trace

from assistant.api.auth import Identity
from assistant.api.deps import ApiState
from assistant.api.problems import TITLES, Problem
from assistant.api.turns import finish, leased, open_session, refuse_if_pending, turn_span

_END = object()


def _event(name: str, payload: Any) -> bytes:
    data = json.dumps(payload, ensure_ascii=False)
    return format_sse_event(data_str=data, event=name)


async def stream_turn(
    state: ApiState, conversation_id: str, who: Identity, text: str
) -> StreamingResponse:
    """Start the turn; answer with its SSE stream once the first piece (or error) is in."""
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[Any] = asyncio.Queue()

    def put(item: Any) -> None:
        loop.call_soon_threadsafe(queue.put_nowait, item)

    def produce() -> None:
        span = None
        try:
            with leased(state, conversation_id, who):
                session = open_session(state, conversation_id, who)
                refuse_if_pending(session)
                span = turn_span("message", conversation_id, who)
                started = time.perf_counter()
                with trace.use_span(span, end_on_exit=False):
                    for piece in session.stream(text):
                        put(("delta", piece))
                reply = session.last_reply
                finish(span, "message", reply, started)
                span = None
            # After the lease is released: a client answering at once must not get 409.
            put(("reply", reply))
        except BaseException as exc:  # handed to the response, never lost
            if span is not None:
                span.end()
            put(("error", exc))
        finally:
            put(_END)

    producer = loop.run_in_executor(None, produce)
    first = await queue.get()
    if first[0] == "error":
        await producer
        raise first[1]

    async def events() -> AsyncIterator[bytes]:
        item = first
        while item is not _END:
            kind, value = item
            if kind == "delta":
                yield _event("delta", {"text": value})
            elif kind == "reply":
                yield _event("reply", value.model_dump(mode="json"))
            else:
                slug = value.slug if isinstance(value, Problem) else "internal"
                detail = value.detail if isinstance(value, Problem) else "the turn failed"
                yield _event(
                    "error",
                    {"type": f"urn:vela:problem:{slug}", "title": TITLES[slug], "detail": detail},
                )
            item = await queue.get()
        await producer

    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return StreamingResponse(events(), media_type="text/event-stream", headers=headers)
