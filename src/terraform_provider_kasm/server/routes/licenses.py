"""Licenses (`activate` is documented; the rest are admin calls reachable through the API)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..endpoints import EndpointGroup, KasmCall
from ..models.common import Empty
from ..models.licenses import (
    ActivateRequest,
    AddLicenseRequest,
    DeleteLicenseRequest,
    GetLicensesRequest,
    GetLicensesResponse,
    LicenseResponse,
    LicenseStatusResponse,
)
from ..permissions import Permission as P
from ..services import licenses

endpoints = EndpointGroup("licenses")


@endpoints.endpoint(
    "get_licenses",
    actions=[P.LICENSES_VIEW],
    read_only=True,
    request=GetLicensesRequest,
    response=GetLicensesResponse,
)
def get_licenses(call: KasmCall) -> Mapping[str, Any]:
    """The installed licenses (none on a fresh server: 5 concurrent sessions, Kasm's unlicensed default)."""
    return licenses.get_licenses(call)


@endpoints.endpoint(
    "add_license",
    actions=[P.LICENSES_CREATE],
    read_only=False,
    request=AddLicenseRequest,
    response=LicenseResponse,
)
def add_license(call: KasmCall) -> Mapping[str, Any]:
    """Install a license key (here: an unsigned JWT carrying the license fields; see DESIGN.md)."""
    return licenses.add_license(call)


@endpoints.endpoint(
    "delete_license",
    actions=[P.LICENSES_DELETE],
    read_only=False,
    request=DeleteLicenseRequest,
    response=Empty,
)
def delete_license(call: KasmCall) -> Mapping[str, Any]:
    """Remove a license."""
    return licenses.delete_license(call)


@endpoints.endpoint(
    "activate",
    actions=[P.LICENSES_CREATE],
    read_only=False,
    request=ActivateRequest,
    response=LicenseResponse,
)
def activate(call: KasmCall) -> Mapping[str, Any]:
    """Online activation (needs Kasm's license server; this offline server always refuses)."""
    return licenses.activate(call)


@endpoints.endpoint(
    "license_status",
    actions=[P.USER],
    read_only=True,
    request=GetLicensesRequest,
    response=LicenseStatusResponse,
)
def license_status(call: KasmCall) -> Mapping[str, Any]:
    """The effective license (type, limit, features)."""
    return licenses.license_status(call)
