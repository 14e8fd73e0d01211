"""Structured JSON logs that never hold raw PII.

Every record passes through ``assistant.redaction.redact`` (the one redaction, shared with
checkpoints and tickets): phone numbers, email addresses, payment card numbers
and IBANs are replaced by typed placeholders before anything is written, including values
passed in ``extra=``. Traces of a turn (tool names, outcomes, timings) go through the same
logger, so they are redacted the same way. A record written inside an OpenTelemetry span
carries its ``trace_id`` and ``span_id``, so a log line leads to its trace.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from opentelemetry import trace

from assistant.redaction import redact, redact_value

__all__ = ["JsonFormatter", "configure_logging", "redact"]

#: Attributes every LogRecord has; anything else came from ``extra=`` and is logged too.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, event and redacted extra fields."""

    def format(self, record: logging.LogRecord) -> str:
        """Render ``record`` as redacted JSON."""
        payload: dict[str, Any] = {
            "ts": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname,
            "logger": record.name,
            "event": redact(record.getMessage()),
        }
        span = trace.get_current_span().get_span_context()
        if span.is_valid:
            payload["trace_id"] = format(span.trace_id, "032x")
            payload["span_id"] = format(span.span_id, "016x")
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                payload[key] = redact_value(value)
        if record.exc_info:
            payload["exc"] = redact(self.formatException(record.exc_info))
        return json.dumps(payload, ensure_ascii=False, default=str)


def configure_logging(level: str = "INFO", stream: Any = None) -> logging.Handler:
    """Send the product's loggers to ``stream`` (stderr by default) as redacted JSON."""
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    for name in ("assistant", "knowledge", "eval", "ui"):
        logger = logging.getLogger(name)
        logger.setLevel(level)
        logger.handlers = [h for h in logger.handlers if not getattr(h, "_vela", False)]
        handler._vela = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
    return handler
