"""Licenses."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel

from .common import EMPTY_OBJECT, KasmRequest, KasmTime, RowOut


class LicenseOut(RowOut):
    license_id: str
    expiration: KasmTime
    issued_at: KasmTime
    issued_to: str | None
    limit: int
    is_verified: bool
    license_type: str
    features: Annotated[dict[str, bool], EMPTY_OBJECT]
    sku: str | None


class GetLicensesResponse(BaseModel):
    licenses: list[LicenseOut]


class AddLicenseRequest(KasmRequest):
    license_key: str | None = None


class DeleteLicenseRequest(KasmRequest):
    license_id: str | None = None


class ActivateRequest(KasmRequest):
    activation_key: str | None = None
    seats: int | None = None
    issued_to: str | None = None


class LicenseResponse(BaseModel):
    license: LicenseOut


class LicenseStatusResponse(BaseModel):
    license: dict[str, Any]
