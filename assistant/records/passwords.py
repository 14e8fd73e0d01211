"""Salted password hashes stored as 'scrypt$n=..,r=..,p=..$salt$hash' (base64 parts)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

_N, _R, _P, _DKLEN = 2**14, 8, 1, 32


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def hash_password(password: str, salt: bytes | None = None) -> str:
    """Hash ``password`` with scrypt and a per-user salt (random unless given, e.g. by the seed)."""
    salt = salt if salt is not None else os.urandom(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=_DKLEN)
    return f"scrypt$n={_N},r={_R},p={_P}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, stored: str | None) -> bool:
    """True when ``password`` matches ``stored``; always does the scrypt work (no timing hint)."""
    try:
        alg, params, salt_b64, digest_b64 = (stored or "").split("$")
        fields = dict(item.split("=") for item in params.split(","))
        n, r, p = int(fields["n"]), int(fields["r"]), int(fields["p"])
        salt, expected = base64.b64decode(salt_b64), base64.b64decode(digest_b64)
        usable = alg == "scrypt"
    except (ValueError, KeyError):
        n, r, p, salt, expected, usable = _N, _R, _P, b"\0" * 16, b"", False
    digest = hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, dklen=len(expected) or 32)
    return usable and hmac.compare_digest(digest, expected)
