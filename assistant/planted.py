"""Planted text: normalise it, then recognise what must never be repeated to a customer.

Text the assistant did not write (a passage, a bill item's description, a model's reply built
from them) may carry a planted instruction hidden from simple filters: split by zero-width
characters, reordered by bidi controls, or written in full-width letters. Every filter reads
``assistant.normalise.normalise(text)``: invisible format characters removed, then NFKC.

What a customer must never be told to do by such text:

* visit a site that is not the operator's, written as a link or as a bare domain
  ("pay-vela.co", "evil.example/claim");
* text something to a phone shortcode that is not the operator's ("text ... to 80080");
* send, text, give or share a card number, PIN, CVV, IBAN or password to anyone. (Typing a PIN
  into the phone or the app - "enter your PIN" - is how the operator's own services work, so
  those verbs are left to the reply verifier, which judges the assistant's own words.)

The operator's own sites and shortcodes are read from the product corpus (``knowledge/corpus``,
the operator's published documents), so "vela.example/pay" and "text PAC to 65075" still come
through, and a new one published in the corpus is allowed without a code change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from assistant.claims import SECRET, fold
from assistant.normalise import normalise, strip_invisible

__all__ = [
    "Allowlist",
    "corpus_allowlist",
    "foreign_hosts",
    "foreign_shortcodes",
    "normalise",
    "planted_reasons",
    "strip_invisible",
]

#: Handing a secret to someone: a sending verb, then the secret within a few words (folded text).
SECRET_REQUEST = re.compile(
    r"\b(?:send|text|sms|e-?mail|give|provide|share|tell|reply with|read out|post|upload|"
    r"envia\w*|manda\w*|facilita\w*|comparte\w*|dinos|indica\w*|responde con)\b"
    r"[^.!?\n]{0,40}?" + SECRET
)
_NEGATED = re.compile(r"\b(?:never|don'?t|do not|won'?t|will not|not|nunca|no)\b[^.!?\n]{0,40}$")
#: A link, or a bare domain with any top-level domain ("pay-vela.co", "evil.example/claim",
#: "x.test"); a domain inside an e-mail address ("priya@yourcompany.co.uk") is not a link.
LINK = re.compile(
    r"(?:https?://|www\.)[^\s)\]>\"']+"
    r"|(?<![\w@.-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z-]{1,23}\b"
    r"(?:/[^\s)\]>\"']*)?",
    re.IGNORECASE,
)
#: File names look like domains ("bill.pdf"); these endings are files, not sites.
_FILES = frozenset(
    "pdf txt csv doc docx xls xlsx png jpg jpeg gif md json jsonl html htm yaml yml py npz".split()
)
#: "text / SMS / send ... to 80080", "envía ... al 80080": a number to message, 3 to 8 digits.
SHORTCODE = re.compile(
    r"\b(?:text(?:ing)?|txt|sms|send|message|reply|envia\w*|manda\w*|escribe\w*|mensaje)\b"
    r"[^.!?\n]{0,60}?\b(?:to|on|al|a)\s+(?:the\s+(?:number|shortcode)\s+|el\s+(?:numero\s+)?)?"
    r"(\+?\d{3,8})\b(?!\s*(?:%|\d))",
    re.IGNORECASE,
)


def host_of(link: str) -> str:
    """The host of a link or bare domain, lower case, without scheme, 'www.' or path."""
    host = re.sub(r"^(?:https?://)?", "", link.lower()).split("/")[0].split("?")[0]
    return host.split(":")[0].removeprefix("www.").rstrip(".,;:)")


@dataclass(frozen=True)
class Allowlist:
    """The operator's own hosts and SMS shortcodes."""

    hosts: frozenset[str]
    shortcodes: frozenset[str]

    def allows_host(self, host: str) -> bool:
        """The host is one of the operator's, or a subdomain of one."""
        return any(host == h or host.endswith("." + h) for h in self.hosts)


def _links(text: str) -> list[str]:
    found = []
    for m in LINK.finditer(text):
        host = host_of(m.group(0))
        if "." in host and host.rsplit(".", 1)[1] not in _FILES:
            found.append(m.group(0))
    return found


def _unmarked(text: str) -> str:
    """Normalised, without Markdown emphasis ("text **INFO** to **85075**")."""
    return re.sub(r"[*`]+", "", normalise(text))


def _digits(number: str) -> str:
    return re.sub(r"\D", "", number)


def allowlist_of(texts: list[str]) -> Allowlist:
    """The hosts and shortcodes the given (trusted) texts publish."""
    hosts: set[str] = set()
    codes: set[str] = set()
    for text in texts:
        plain = _unmarked(text)
        hosts |= {h for h in (host_of(link) for link in _links(plain)) if "." in h}
        codes |= {_digits(m.group(1)) for m in SHORTCODE.finditer(plain)}
    return Allowlist(frozenset(hosts), frozenset(codes))


@lru_cache(maxsize=4)
def corpus_allowlist(corpus_dir: Path | None = None) -> Allowlist:
    """The operator's hosts and shortcodes, as published in the product corpus (read once)."""
    from knowledge.corpus import corpus_files, default_corpus_dir

    directory = corpus_dir or default_corpus_dir()
    return allowlist_of([p.read_text("utf-8") for p in corpus_files(directory)])


def foreign_hosts(text: str, allow: Allowlist | None = None) -> list[str]:
    """Hosts of links and bare domains in ``text`` that are not the operator's."""
    allow = allow or corpus_allowlist()
    hosts = [host_of(link) for link in _links(_unmarked(text))]
    return [h for h in dict.fromkeys(hosts) if "." in h and not allow.allows_host(h)]


def foreign_shortcodes(text: str, allow: Allowlist | None = None) -> list[str]:
    """Numbers ``text`` tells the reader to message that are not the operator's shortcodes."""
    allow = allow or corpus_allowlist()
    codes = [_digits(m.group(1)) for m in SHORTCODE.finditer(_unmarked(text))]
    return [c for c in dict.fromkeys(codes) if c not in allow.shortcodes]


def asks_to_send_secret(text: str) -> bool:
    """``text`` asks the reader to send or share a card number, PIN, CVV, IBAN or password
    (warnings such as "never share your PIN" are not requests)."""
    folded = fold(text)
    for match in SECRET_REQUEST.finditer(folded):
        start = max(folded.rfind(c, 0, match.start()) for c in ".!?\n") + 1
        if not _NEGATED.search(folded[start : match.start() + 1]):
            return True
    return False


def planted_reasons(text: str, allow: Allowlist | None = None, *, known: str = "") -> list[str]:
    """Why ``text`` must not reach a customer (empty when it may).

    Hosts and shortcodes that also appear in ``known`` (what the customer wrote) are theirs to
    mention and are not counted.
    """
    reasons = []
    seen = normalise(known).lower()
    hosts = [h for h in foreign_hosts(text, allow) if h not in seen]
    if hosts:
        reasons.append(f"link or domain outside the operator's sites: {len(hosts)}")
    codes = [c for c in foreign_shortcodes(text, allow) if c not in _digits(seen)]
    if codes:
        reasons.append(f"shortcode that is not the operator's: {len(codes)}")
    if asks_to_send_secret(text):
        reasons.append("asks for a card number, PIN, CVV, IBAN or password")
    return reasons
