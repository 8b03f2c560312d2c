"""Kasm's secret scheme (API key secrets and user passwords): sha256 of secret + salt, hex."""

from __future__ import annotations

import hashlib
import hmac


def hash_secret(secret: str, salt: str) -> str:
    return hashlib.sha256((secret + salt).encode()).hexdigest()


def secret_matches(secret: str, salt: str, expected_hash: str) -> bool:
    return hmac.compare_digest(hash_secret(secret, salt), expected_hash)
