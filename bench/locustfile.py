"""Load test of the HTTP API: simulated customers with a realistic mix of turns.

Run headless against workers on loopback (see docs/benchmarks.md for the exact command):

    locust -f bench/locustfile.py --headless -H http://127.0.0.1:8081 \
        -u 16 -r 4 -t 60s --csv bench/out/one-worker --only-summary

Each simulated customer signs in as a demo persona (or stays a guest), opens a conversation
and sends, with these weights: knowledge questions 6, account look-ups 3, a plan change
with consent and confirmation 1. Every request is named by its kind, so the report gives
p50/p95/p99 per kind. Bounded by ``-t`` (time) and ``VELA_BENCH_MAX_TURNS`` (turns per user);
``VELA_BENCH_THINK_S=0,0`` removes the think time to find the saturation rate.
"""

from __future__ import annotations

import os
import random

from locust import HttpUser, between, task
from locust.exception import StopUser

#: Signed-in personas (password vela-demo-<digits>); C-1002 is the one the plan change targets.
PERSONAS = ["C-1001", "C-1002", "C-1003", "C-1004", "C-1005"]
EMAILS = {
    "C-1001": "amelia",
    "C-1002": "oliver",
    "C-1003": "lucia",
    "C-1004": "priya",
    "C-1005": "wanjiru",
}
KNOWLEDGE = [
    "Does my plan include roaming in France?",
    "How much is an EU roaming day pass?",
    "What happens if I cancel my contract early?",
    "How do I port my number to Vela?",
    "What are the late payment fees?",
]
LOOKUPS = [
    "What's on my latest bill?",
    "How much data have I used this month?",
    "Why is my bill higher than last month?",
]
#: GB plans, so the GB personas get a quote to confirm (the others are told what applies to them).
CHANGES = ["switch me to Unlimited Max", "switch me to Plus 30GB", "switch me to Essential 5GB"]
MAX_TURNS = int(os.environ.get("VELA_BENCH_MAX_TURNS", "200"))
#: Think time between a customer's turns, "min,max" seconds; "0,0" measures saturation.
THINK = tuple(float(x) for x in os.environ.get("VELA_BENCH_THINK_S", "0.2,1.0").split(","))


class Customer(HttpUser):
    """One customer: signs in, opens a conversation, sends turns until the bound."""

    wait_time = between(THINK[0], THINK[1])

    def on_start(self) -> None:
        self.turns = 0
        self.auth: dict[str, str] = {}
        self.customer = random.choice(PERSONAS)
        email = f"{EMAILS[self.customer]}@demo.vela"
        password = f"vela-demo-{self.customer.split('-')[1]}"
        r = self.client.post(
            "/v1/auth/token", json={"email": email, "password": password}, name="auth"
        )
        if r.ok:
            self.auth = {"Authorization": f"Bearer {r.json()['access_token']}"}
        self.client.post("/v1/consents/account_data", headers=self.auth, name="consent")
        self.conversation = self.client.post(
            "/v1/conversations", headers=self.auth, name="open"
        ).json()["id"]

    def _send(self, text: str, name: str) -> dict:
        self.turns += 1
        if self.turns > MAX_TURNS:
            raise StopUser()
        url = f"/v1/conversations/{self.conversation}/messages"
        with self.client.post(
            url, json={"text": text}, headers=self.auth, name=name, catch_response=True
        ) as r:
            if r.status_code != 200:
                r.failure(f"{r.status_code}: {r.text[:200]}")
                return {}
            body = r.json()
            if body.get("error"):
                r.failure(body["error"])
            return body

    def _resolve(self, reply: dict, name: str) -> None:
        # Decline anything left pending, so the next message is not refused with 409.
        while reply.get("pending"):
            action = "confirm" if name == "change" else "decline"
            url = f"/v1/conversations/{self.conversation}/{action}"
            r = self.client.post(url, headers=self.auth, name=f"{name}:{action}")
            reply = r.json() if r.ok else {}

    @task(6)
    def knowledge(self) -> None:
        """A question the documents answer."""
        self._resolve(self._send(random.choice(KNOWLEDGE), "knowledge"), "knowledge")

    @task(3)
    def lookup(self) -> None:
        """An account look-up (consent was granted at start)."""
        self._resolve(self._send(random.choice(LOOKUPS), "lookup"), "lookup")

    @task(1)
    def change(self) -> None:
        """A plan change: quote, then confirm."""
        reply = self._send(random.choice(CHANGES), "change")
        self._resolve(reply, "change")
