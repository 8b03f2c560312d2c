"""Licenses: the effective license (what sessions are limited by) and the license endpoints.

Kasm license keys are JWTs signed by Kasm; this offline server cannot verify Kasm's signature, so it
accepts only *unsigned* keys (JWT with ``"alg": "none"``) that carry the license fields, and stores them
with ``is_verified: false``. Anything else is ``Invalid License: ...``, as Kasm says for a bad key.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..endpoints import EndpointGroup, KasmCall
from ..errors import KasmError
from ..models.common import Empty, KasmRequest
from ..models.licenses import (
    ActivateRequest,
    AddLicenseRequest,
    DeleteLicenseRequest,
    GetLicensesResponse,
    LicenseOut,
    LicenseResponse,
    LicenseStatusResponse,
)
from ..permissions import Permission as P
from ..storage.tables import License, utcnow
from .common import require_row

endpoints = EndpointGroup("licenses")

PER_CONCURRENT_KASM = "Per Concurrent Kasm"
PER_NAMED_USER = "Per Named User"
LICENSE_TYPES = (PER_CONCURRENT_KASM, PER_NAMED_USER)
# What an unlicensed (Community) deployment gets.
DEFAULT_LIMIT = 5
DEFAULT_FEATURES = (
    "session_staging",
    "session_casting",
    "log_forwarding",
    "developer_api",
    "inject_ssh_keys",
    "saml",
    "ldap",
    "sso",
    "allow_kasm_sharing",
    "login_banner",
    "usage_limit",
)


@dataclass(frozen=True)
class EffectiveLicense:
    license_type: str
    limit: int
    features: frozenset[str]
    licensed: bool


def effective_license(db: Session, now: datetime | None = None) -> EffectiveLicense:
    """The sum of the unexpired licenses of the first type found, else Kasm's unlicensed default."""
    now = now or utcnow()
    valid = [lic for lic in db.scalars(select(License)) if lic.expiration is None or lic.expiration > now]
    if not valid:
        return EffectiveLicense(PER_CONCURRENT_KASM, DEFAULT_LIMIT, frozenset(DEFAULT_FEATURES), False)
    kind = sorted(valid, key=lambda lic: (lic.issued_at or now, lic.license_id))[0].license_type
    same = [lic for lic in valid if lic.license_type == kind]
    features: set[str] = set()
    for lic in same:
        features.update(name for name, on in (lic.features or {}).items() if on)
    return EffectiveLicense(kind, sum(lic.limit for lic in same), frozenset(features), True)


@endpoints.read_only([P.LICENSES_VIEW], KasmRequest, GetLicensesResponse)
def get_licenses(call: KasmCall) -> dict[str, Any]:
    """The installed licenses (none on a fresh server: 5 concurrent sessions, Kasm's unlicensed default)."""
    rows = call.db.scalars(select(License).order_by(License.issued_at, License.license_id))
    return {"licenses": [LicenseOut.dump(lic) for lic in rows]}


def _b64(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def _timestamp(claims: dict[str, Any], name: str) -> datetime | None:
    value = claims.get(name)
    if value is None:
        return None
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise ValueError(f"'{name}' must be a Unix timestamp")
    return datetime.fromtimestamp(value, UTC).replace(tzinfo=None)


_ARMOUR = (
    "-----BEGIN LICENSE KEY-----",
    "-----END LICENSE KEY-----",
    "-----BEGIN ACTIVATION KEY-----",
    "-----END ACTIVATION KEY-----",
)


def process_key(key: str) -> str:
    """Kasm's ``process_key``: the key without its BEGIN/END lines and without any whitespace, so a
    key pasted as Kasm's portal shows it (armoured, wrapped) is the same key."""
    for marker in _ARMOUR:
        key = key.replace(marker, "")
    return "".join(key.split())


def key_claims(key: str) -> dict[str, Any]:
    """The claims of a (processed) key: unsigned JWTs only (see module docstring)."""
    parts = key.split(".")
    if len(parts) != 3:
        raise ValueError("Not enough segments")
    try:
        header = json.loads(_b64(parts[0]))
        claims = json.loads(_b64(parts[1]))
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise ValueError("Invalid token encoding") from exc
    if not isinstance(header, dict) or not isinstance(claims, dict):
        raise ValueError("Invalid token encoding")
    if header.get("alg") != "none" or parts[2]:
        # A real Kasm key: signed with Kasm's private key, which this server cannot check.
        raise ValueError("Signature verification failed")
    return claims


def parse_license_key(key: str) -> dict[str, Any]:
    """The license fields of an unsigned JWT; ValueError with Kasm-like text otherwise."""
    claims = key_claims(key.strip())
    license_type = claims.get("license_type", PER_CONCURRENT_KASM)
    if license_type not in LICENSE_TYPES:
        raise ValueError(f"Unknown license_type ({license_type})")
    limit = claims.get("limit")
    if not isinstance(limit, int) or isinstance(limit, bool) or limit < 0:
        raise ValueError("'limit' must be a non-negative integer")
    features = claims.get("features", {})
    if isinstance(features, list):
        features = {name: True for name in features}
    if not isinstance(features, dict):
        raise ValueError("'features' must be an object")
    expiration = _timestamp(claims, "exp")
    if expiration is not None and expiration <= utcnow():
        raise ValueError("Signature has expired")
    return {
        "expiration": expiration,
        "issued_at": _timestamp(claims, "iat") or utcnow(),
        "issued_to": claims.get("issued_to"),
        "limit": limit,
        "license_type": license_type,
        "features": {str(k): bool(v) for k, v in features.items()},
        "sku": claims.get("sku"),
    }


@endpoints.read_write([P.LICENSES_CREATE], AddLicenseRequest, LicenseResponse)
def add_license(call: KasmCall) -> dict[str, Any]:
    """Install a license key (here: an unsigned JWT carrying the license fields; see DESIGN.md)."""
    key = call.body.get("license_key")
    if not key:
        raise KasmError("Invalid Request. Missing license_key")
    if not isinstance(key, str):
        raise KasmError("Invalid License: license_key must be a string")
    key = process_key(key)
    try:
        if key_claims(key).get("key_type") == "activation":
            # Kasm 1.15 hands an activation key to its activation path (Kasm's license server).
            return _activate(key)
        fields = parse_license_key(key)
        _check_registrable(call, key, fields)
    except ValueError as exc:
        raise KasmError(f"Invalid License: {exc}") from exc
    lic = License(license_key=key, is_verified=False, **fields)
    call.db.add(lic)
    call.db.flush()
    return {"license": LicenseOut.dump(lic)}


def _check_registrable(call: KasmCall, key: str, fields: dict[str, Any]) -> None:
    """Kasm's addLicense rules: a key once, and one license type and one sku at a time. (Kasm also
    requires the key's installation_id to be this installation's; this server has none.)"""
    installed = list(call.db.scalars(select(License)))
    if any(lic.license_key == key for lic in installed):
        raise ValueError("License already registered.")
    if any(lic.license_type != fields["license_type"] for lic in installed):
        raise ValueError(
            f"Error applying license type ({fields['license_type']}). Only one license type may be "
            "registered at once."
        )
    if any(lic.sku != fields["sku"] for lic in installed):
        raise ValueError(
            f"Error applying license sku ({fields['sku']}). Only one license sku may be registered at once."
        )


@endpoints.read_write([P.LICENSES_DELETE], DeleteLicenseRequest, Empty)
def delete_license(call: KasmCall) -> dict[str, Any]:
    """Remove a license."""
    lic = require_row(
        call,
        License,
        "license_id",
        "Invalid Request. Missing license_id",
        "license_id ({value}) does not exist",
        invalid="Invalid Request. license_id must be a UUID",
    )
    call.db.delete(lic)
    return {}


@endpoints.read_write([P.LICENSES_CREATE], ActivateRequest, LicenseResponse)
def activate(call: KasmCall) -> dict[str, Any]:
    """Activation asks Kasm's license server; this offline server has no `license_server_url`."""
    if not call.body.get("activation_key"):
        raise KasmError("Invalid Request. Missing activation_key", 400)
    return _activate(call.body["activation_key"], status=400)


def _activate(activation_key: str, *, status: int = 200) -> dict[str, Any]:
    """Kasm's ``_activate``: it needs the ``license_server_url`` setting (Kasm's license server on the
    internet), which this offline server does not have. ``status`` 400 for the public ``activate``."""
    raise KasmError("Missing license_server_url Setting", status)


@endpoints.read_only([P.USER], KasmRequest, LicenseStatusResponse)
def license_status(call: KasmCall) -> dict[str, Any]:
    """The effective license (type, limit, features)."""
    current = effective_license(call.db)
    return {
        "license": {
            "status": {
                "license_type": current.license_type,
                "limit": current.limit,
                "features": {name: True for name in sorted(current.features)},
                "licensed": current.licensed,
            }
        }
    }
