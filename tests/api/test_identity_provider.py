"""Production tokens: verified against the identity provider's public key or JWKS file."""

from __future__ import annotations

import json
import time
from pathlib import Path

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from assistant.api.auth import TokenAuthority
from assistant.api.problems import Problem
from assistant.settings import ConfigError, Settings

ISSUER, AUDIENCE = "https://idp.operator.example", "vela"


def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def public_pem(key: rsa.RSAPrivateKey) -> str:
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def idp_token(key, subject="C-1002", *, kid=None, ttl=300, iss=ISSUER, aud=AUDIENCE) -> str:
    now = int(time.time())
    claims = {"sub": subject, "iss": iss, "aud": aud, "iat": now, "exp": now + ttl}
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": kid} if kid else None)


def settings_with(tmp_path: Path, **values) -> Settings:
    return Settings(
        data_dir=tmp_path,
        api_jwt_issuer=ISSUER,
        api_jwt_audience=AUDIENCE,
        _env_file=None,
        **values,
    )  # type: ignore[call-arg]


def test_public_key_file_verifies_idp_tokens_and_turns_demo_sign_in_off(tmp_path: Path):
    key = rsa_key()
    (tmp_path / "idp.pem").write_text(public_pem(key))
    authority = TokenAuthority(
        settings_with(tmp_path, api_jwt_public_key_file=tmp_path / "idp.pem")
    )
    assert not authority.demo
    assert authority.verify(idp_token(key)) == "C-1002"
    bad = {
        "signature": idp_token(rsa_key()),
        "expired": idp_token(key, ttl=-120),
        "issuer": idp_token(key, iss="https://elsewhere.example"),
        "audience": idp_token(key, aud="another-app"),
    }
    for word, token in bad.items():
        with pytest.raises(Problem) as caught:
            authority.verify(token)
        assert caught.value.status == 401 and word in caught.value.detail.lower()
    # The public key used as an HMAC secret (algorithm confusion) is refused.
    forged = jwt.encode(
        {"sub": "C-1001", "iss": ISSUER, "aud": AUDIENCE, "exp": int(time.time()) + 60},
        "x" * 64,
        algorithm="HS256",
    )
    with pytest.raises(Problem):
        authority.verify(forged)
    with pytest.raises(Problem) as off:
        authority.issue("C-1002")
    assert off.value.status == 404


def test_jwks_file_picks_the_key_by_kid(tmp_path: Path):
    first, second = rsa_key(), rsa_key()
    keys = []
    for kid, key in (("k1", first), ("k2", second)):
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
        keys.append({**jwk, "kid": kid, "alg": "RS256", "use": "sig"})
    (tmp_path / "jwks.json").write_text(json.dumps({"keys": keys}))
    authority = TokenAuthority(settings_with(tmp_path, api_jwks_file=tmp_path / "jwks.json"))
    assert authority.verify(idp_token(second, "C-1003", kid="k2")) == "C-1003"
    with pytest.raises(Problem):
        authority.verify(idp_token(second, kid="k1"))  # signed by k2, claims k1
    with pytest.raises(Problem):
        authority.verify(idp_token(first, kid="k9"))


def test_demo_mode_needs_a_long_secret_and_says_which_variable(tmp_path: Path):
    with pytest.raises(ConfigError, match="TELCO_API_SECRET"):
        TokenAuthority(Settings(data_dir=tmp_path, _env_file=None))
    with pytest.raises(ConfigError, match="TELCO_API_SECRET"):
        TokenAuthority(Settings(data_dir=tmp_path, api_secret="short", _env_file=None))  # type: ignore[call-arg]
    (tmp_path / "broken.json").write_text("{not json")
    with pytest.raises(ConfigError, match="TELCO_API_JWKS_FILE"):
        TokenAuthority(
            Settings(data_dir=tmp_path, api_jwks_file=tmp_path / "broken.json", _env_file=None)
        )  # type: ignore[call-arg]
