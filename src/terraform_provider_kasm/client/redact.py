"""Keeping secrets out of logs, exception text and reprs.

A request body can hold the API secret, passwords, session tokens, docker credentials and
``kasm_url`` links (which embed a session token). Kasm sometimes echoes request values in its
error messages (``Session Token (<token>) not found``), so every text that leaves the client is
passed through :func:`redact` with the secret values of the request that produced it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

MASK = "***"

#: Keys whose values are secrets, wherever they appear in a request or response body.
SECRET_KEYS = frozenset(
    {
        "api_key_secret",
        "password",
        "session_token",
        "session_jwt",
        "token",
        "view_only_token",
        "docker_token",
        "docker_password",
        "registry_password",
        "kasm_url",
        "url",
        "license_key",
        "activation_key",
        "ssh_private_key",
        "ssh_passphrase",
        "vnc_password",
        "connection_credential",
        "api_token",
    }
)

# Too short to be worth masking in free text (and masking "" or "a" would mangle every message).
_MIN_SECRET_LEN = 4


def secret_values(body: Any, keys: frozenset[str] = SECRET_KEYS) -> set[str]:
    """Every string value under a secret key anywhere in ``body``."""
    found: set[str] = set()
    stack: list[Any] = [body]
    while stack:
        item = stack.pop()
        if isinstance(item, Mapping):
            for key, value in item.items():
                if key in keys and isinstance(value, str) and len(value) >= _MIN_SECRET_LEN:
                    found.add(value)
                elif isinstance(value, Mapping | list | tuple):
                    stack.append(value)
        elif isinstance(item, list | tuple):
            stack.extend(item)
    return found


def redact(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every occurrence of each secret (and its dashless form) replaced by ``***``."""
    variants: set[str] = set()
    for secret in secrets:
        if len(secret) >= _MIN_SECRET_LEN:
            variants.add(secret)
            dashless = secret.replace("-", "")
            if len(dashless) >= _MIN_SECRET_LEN:
                variants.add(dashless)
    # Longest first, so a secret containing another is masked whole.
    for secret in sorted(variants, key=len, reverse=True):
        text = text.replace(secret, MASK)
    return text


def redact_body(body: Any, keys: frozenset[str] = SECRET_KEYS) -> Any:
    """A copy of a JSON body with secret values masked, for debugging output."""
    if isinstance(body, Mapping):
        return {
            k: (MASK if k in keys and isinstance(v, str) and v else redact_body(v, keys))
            for k, v in body.items()
        }
    if isinstance(body, list | tuple):
        return [redact_body(v, keys) for v in body]
    return body
