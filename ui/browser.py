"""A server-issued browser identity: a signed, HttpOnly, SameSite=Strict cookie.

Gradio keys a tab's ``gr.State`` by its session hash, which the client chooses and sends in
the clear; anyone holding it could act in that tab. So every response to a request without
a valid ``vela_browser`` cookie sets one (a random id signed with HMAC-SHA256 under the
session secret), and the tab's Visit is bound to the browser that opened it
(``ui.identity.admit``): an event from any other browser, or from none, is refused.
``gradio_client`` keeps the cookie from its first request, so API clients work unchanged.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from http.cookies import SimpleCookie
from typing import Any

COOKIE = "vela_browser"


class BrowserKeys:
    """Issues and verifies browser ids under one secret."""

    def __init__(self, secret: str | None) -> None:
        # Demo profile without a secret: a per-process key (sessions end with the process).
        self._key = (secret or secrets.token_urlsafe(48)).encode()

    def _sign(self, browser: str) -> str:
        return hmac.new(self._key, browser.encode(), hashlib.sha256).hexdigest()[:32]

    def issue(self) -> str:
        """A new signed token ``<id>.<signature>``."""
        browser = secrets.token_urlsafe(24)
        return f"{browser}.{self._sign(browser)}"

    def verify(self, token: str | None) -> str | None:
        """The browser id in a valid token, else None."""
        if not token or "." not in token:
            return None
        browser, _, signature = token.rpartition(".")
        return browser if hmac.compare_digest(signature, self._sign(browser)) else None

    def of_request(self, request: Any) -> str | None:
        """The browser id of a ``gr.Request`` (None without a valid cookie)."""
        cookies = getattr(request, "cookies", None) or {}
        return self.verify(dict(cookies).get(COOKIE))


class BrowserCookieMiddleware:
    """ASGI middleware: give every browser without a valid cookie a fresh signed one."""

    def __init__(self, app: Any, keys: BrowserKeys, secure: bool = False) -> None:
        self.app = app
        self.keys = keys
        self.secure = secure

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        jar = SimpleCookie()
        for name, value in scope.get("headers", []):
            if name == b"cookie":
                jar.load(value.decode("latin-1"))
        present = jar.get(COOKIE)
        if self.keys.verify(present.value if present else None) is not None:
            await self.app(scope, receive, send)
            return
        token = self.keys.issue()
        attributes = f"{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict"
        if self.secure:
            attributes += "; Secure"

        async def send_with_cookie(message: dict) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", []).append((b"set-cookie", attributes.encode()))
            await send(message)

        await self.app(scope, receive, send_with_cookie)
