"""Structured JSON logs that never hold raw PII.

Every record passes through ``redact``: phone numbers, email addresses, payment card numbers
and IBANs are replaced by typed placeholders before anything is written, including values
passed in ``extra=``. Traces of a turn (tool names, outcomes, timings) go through the same
logger, so they are redacted the same way. A record written inside an OpenTelemetry span
carries its ``trace_id`` and ``span_id``, so a log line leads to its trace.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from opentelemetry import trace

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("[EMAIL]", re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")),
    ("[IBAN]", re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,4})?\b")),
    ("[CARD]", re.compile(r"\b(?:\d[ -]?){12,18}\d\b")),
    ("[PHONE]", re.compile(r"(?<![\w])\+?\d[\d ()-]{7,}\d\b")),
]

#: Attributes every LogRecord has; anything else came from ``extra=`` and is logged too.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


def redact(text: str) -> str:
    """Replace PII in ``text`` with placeholders ([EMAIL], [IBAN], [CARD], [PHONE])."""
    for placeholder, pattern in _PATTERNS:
        text = pattern.sub(placeholder, text)
    return text


def _redact_value(value: Any) -> Any:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {k: _redact_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_redact_value(v) for v in value]
    return value


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
                payload[key] = _redact_value(value)
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
