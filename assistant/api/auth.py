"""Who is calling: bearer tokens (JWT) in, a customer id out.

Two modes, chosen by settings:

* **identity provider** (``TELCO_API_JWT_PUBLIC_KEY_FILE`` or ``TELCO_API_JWKS_FILE``): the
  operator's IdP issues the tokens; they are verified against its public key (asymmetric
  algorithms only, so a token signed with the public key as an HMAC secret is refused), with
  issuer and audience when configured. Demo sign-in is off.
* **demo**: ``POST /v1/auth/token`` exchanges a demo customer's e-mail and password for an
  HS256 token signed with ``TELCO_API_SECRET`` (shared by every worker).

Either way the customer id is the token's ``sub`` and nothing else: no request field can name
a customer.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

import jwt

from assistant.api.problems import Problem
from assistant.settings import ConfigError, Settings

DEMO_ISSUER = "vela-demo"
DEMO_AUDIENCE = "vela-api"
#: Algorithms accepted from an identity provider: public-key ones only.
IDP_ALGORITHMS = ["RS256", "RS384", "RS512", "ES256", "ES384", "PS256", "EdDSA"]
MIN_SECRET_CHARS = 32


@dataclass(frozen=True)
class Identity:
    """The caller: a signed-in customer, or a guest (``customer_id`` None)."""

    customer_id: str | None

    @property
    def owner(self) -> str:
        """The owner key stored with the conversations this identity creates."""
        return f"customer:{self.customer_id}" if self.customer_id else "guest"


GUEST = Identity(None)


class TokenAuthority:
    """Issues demo tokens and verifies every bearer token, per the configured mode."""

    def __init__(self, settings: Settings) -> None:
        self.ttl_s = settings.api_token_ttl_s
        self.issuer = settings.api_jwt_issuer
        self.audience = settings.api_jwt_audience
        self._keys: dict[str | None, Any] = {}
        if settings.api_jwks_file is not None:
            self._keys = _read_jwks(settings.api_jwks_file)
        elif settings.api_jwt_public_key_file is not None:
            path = settings.api_jwt_public_key_file
            try:
                self._keys = {None: path.read_text(encoding="utf-8")}
            except OSError as exc:
                raise ConfigError(
                    f"TELCO_API_JWT_PUBLIC_KEY_FILE: cannot read {path}: {exc}"
                ) from exc
        self.demo = not self._keys
        self._secret = ""
        if self.demo:
            secret = settings.api_secret.get_secret_value() if settings.api_secret else ""
            if len(secret) < MIN_SECRET_CHARS:
                raise ConfigError(
                    f"TELCO_API_SECRET must be set to at least {MIN_SECRET_CHARS} characters "
                    "(shared by every worker) when no TELCO_API_JWT_PUBLIC_KEY_FILE or "
                    "TELCO_API_JWKS_FILE is configured; e.g. `openssl rand -hex 32`"
                )
            self._secret = secret

    def issue(self, customer_id: str) -> tuple[str, int]:
        """A demo token for ``customer_id`` and its lifetime in seconds."""
        if not self.demo:
            raise Problem(
                404, "demo-login-disabled", "tokens come from the operator's identity provider"
            )
        now = int(time.time())
        claims = {
            "sub": customer_id,
            "iss": DEMO_ISSUER,
            "aud": DEMO_AUDIENCE,
            "iat": now,
            "exp": now + self.ttl_s,
        }
        return jwt.encode(claims, self._secret, algorithm="HS256"), self.ttl_s

    def verify(self, token: str) -> str:
        """The customer id (``sub``) of a valid token; Problem 401 naming what is wrong."""
        try:
            if self.demo:
                claims = jwt.decode(
                    token,
                    self._secret,
                    algorithms=["HS256"],
                    audience=DEMO_AUDIENCE,
                    issuer=DEMO_ISSUER,
                    options={"require": ["exp", "sub"]},
                )
            else:
                claims = jwt.decode(
                    token,
                    self._key_for(token),
                    algorithms=IDP_ALGORITHMS,
                    audience=self.audience,
                    issuer=self.issuer,
                    options={"require": ["exp", "sub"], "verify_aud": bool(self.audience)},
                )
        except jwt.ExpiredSignatureError:
            raise Problem(401, "unauthenticated", "the bearer token has expired") from None
        except jwt.InvalidSignatureError:
            raise Problem(
                401, "unauthenticated", "the bearer token's signature is invalid"
            ) from None
        except jwt.PyJWTError as exc:
            raise Problem(401, "unauthenticated", f"the bearer token is invalid: {exc}") from None
        subject = claims.get("sub")
        if not isinstance(subject, str) or not subject:
            raise Problem(401, "unauthenticated", "the bearer token has no subject")
        return subject

    def _key_for(self, token: str) -> Any:
        if None in self._keys:
            return self._keys[None]
        kid = jwt.get_unverified_header(token).get("kid")
        if kid not in self._keys:
            raise jwt.InvalidKeyError(f"no key with kid {kid!r} in the JWKS")
        return self._keys[kid]


def _read_jwks(path: Any) -> dict[str | None, Any]:
    try:
        keys = jwt.PyJWKSet.from_json(path.read_text(encoding="utf-8")).keys
    except (OSError, json.JSONDecodeError, jwt.PyJWTError) as exc:
        raise ConfigError(f"TELCO_API_JWKS_FILE: cannot use {path}: {exc}") from exc
    found: dict[str | None, Any] = {k.key_id: k.key for k in keys if k.key_id}
    if not found:
        raise ConfigError(f"TELCO_API_JWKS_FILE: {path} has no key with a `kid`")
    return found


def bearer_token(authorization: str | None) -> str | None:
    """The token of an ``Authorization: Bearer`` header; Problem 401 for another scheme."""
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Problem(401, "unauthenticated", "Authorization must be 'Bearer <token>'")
    return token.strip()
