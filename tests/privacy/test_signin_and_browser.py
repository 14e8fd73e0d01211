"""Sign-in throttling on the real records; the UI's browser cookie and session expiry."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from assistant.records.api import Records
from assistant.signin import SignIn

GOOD = ("lucia@demo.vela", "vela-demo-1003")


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def test_an_account_locks_after_repeated_failures_even_with_the_right_password(settings):
    clock = Clock()
    signin = SignIn(Records.from_settings(settings), settings, clock)
    for _ in range(settings.signin_max_failures - 1):
        assert signin.attempt(GOOD[0], "guess", "10.0.0.1").locked_until is None
    assert signin.attempt(GOOD[0], "guess", "10.0.0.1").locked_until is not None
    # Locked: the right password is not even checked, from any client.
    assert signin.attempt(*GOOD, "10.0.0.2").customer is None
    # A second worker (another SignIn on the same database) sees the same lockout.
    other = SignIn(Records.from_settings(settings), settings, clock)
    assert other.attempt(*GOOD).locked_until is not None
    clock.now += timedelta(minutes=settings.signin_lockout_minutes + 1)
    assert other.attempt(*GOOD).customer is not None


def test_unknown_accounts_lock_out_alike_and_a_client_is_throttled_across_accounts(settings):
    clock = Clock()
    signin = SignIn(Records.from_settings(settings), settings, clock)
    results = [
        signin.attempt("nobody@nowhere.test", "x", "10.0.0.9")
        for _ in range(settings.signin_max_failures)
    ]
    assert results[-1].locked_until is not None  # same as a real account: nothing revealed
    limit = settings.signin_max_failures * 4
    for n in range(limit - settings.signin_max_failures):
        signin.attempt(f"user{n}@nowhere.test", "x", "10.0.0.9")
    assert signin.attempt(*GOOD, "10.0.0.9").customer is None  # this client is locked
    assert signin.attempt(*GOOD, "10.0.0.10").customer is not None  # another client is not


def test_ui_shows_one_message_for_unknown_and_wrong_and_a_lockout_message(settings):
    from assistant.sdk import Assistant
    from tests.agent.conftest import FakeKnowledge
    from tests.scripted import ScriptedModel
    from ui import identity

    bot = Assistant(
        settings, model=ScriptedModel(steps=[]), knowledge=FakeKnowledge(), auto_setup=False
    )
    try:
        wrong = identity.sign_in(bot, None, GOOD[0], "nope", "10.1.1.1")[1]
        unknown = identity.sign_in(bot, None, "ghost@demo.vela", "nope", "10.1.1.1")[1]
        assert wrong == unknown == identity.BAD_CREDENTIALS
        for _ in range(settings.signin_max_failures):
            last = identity.sign_in(bot, None, GOOD[0], "nope", "10.1.1.2")[1]
        assert "Too many sign-in attempts" in last
        assert "Too many" in identity.sign_in(bot, None, *GOOD, "10.1.1.3")[1]
    finally:
        bot.close()


def test_browser_tokens_are_signed_and_bound_to_the_visit():
    from types import SimpleNamespace

    from ui import identity
    from ui.browser import BrowserKeys
    from ui.state import Visit

    keys = BrowserKeys("s" * 40)
    token = keys.issue()
    browser = keys.verify(token)
    assert browser and keys.verify(token[:-1] + ("0" if token[-1] != "0" else "1")) is None
    assert BrowserKeys("t" * 40).verify(token) is None  # another secret
    closed = []
    session = SimpleNamespace(session_id="abcdef123456", close=lambda: closed.append(1))
    assistant = SimpleNamespace(settings=SimpleNamespace(session_idle_minutes=30))
    visit = Visit(session=session)  # type: ignore[arg-type]
    assert identity.admit(assistant, visit, browser) == (visit, "")
    assert identity.admit(assistant, visit, browser) == (visit, "")
    hijack, note = identity.admit(assistant, visit, keys.verify(keys.issue()))
    assert hijack is None and note == identity.OTHER_BROWSER and closed == [1]
    stale = Visit(session=session, browser=browser)  # type: ignore[arg-type]
    stale.last_seen -= 31 * 60
    assert identity.admit(assistant, stale, browser) == (None, identity.EXPIRED)
    assert identity.admit(assistant, Visit(session=session, browser=browser), None)[0] is None


def test_the_middleware_sets_an_httponly_samesite_cookie_once():
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route
    from starlette.testclient import TestClient

    from ui.browser import COOKIE, BrowserCookieMiddleware, BrowserKeys

    keys = BrowserKeys("k" * 40)
    app = Starlette(
        routes=[Route("/", lambda r: PlainTextResponse("ok"))],
        middleware=[Middleware(BrowserCookieMiddleware, keys=keys)],
    )
    with TestClient(app) as client:
        first = client.get("/")
        header = first.headers["set-cookie"]
        assert f"{COOKIE}=" in header and "HttpOnly" in header and "SameSite=Strict" in header
        assert keys.verify(client.cookies[COOKIE]) is not None
        assert "set-cookie" not in client.get("/").headers  # a valid cookie is kept
        client.cookies.clear()
        forged = client.get("/", headers={"cookie": f"{COOKIE}=forged.0000"})
        assert "set-cookie" in forged.headers  # a forged one is replaced
