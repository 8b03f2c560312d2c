"""Session recordings: this server records nothing, so every answer is empty (Kasm 1.15's checks)."""

from __future__ import annotations

from typing import Any

from ..endpoints import EndpointGroup, KasmCall
from ..errors import KasmError
from ..models.sessions import (
    SessionRecordingsRequest,
    SessionRecordingsResponse,
    SessionsRecordingsRequest,
    SessionsRecordingsResponse,
)
from ..permissions import Permission as P
from ..storage.tables import Kasm
from .common import MISSING_DOT, find_row

endpoints = EndpointGroup("session_recordings")


@endpoints.read_only([P.SESSION_RECORDINGS_VIEW], SessionRecordingsRequest, SessionRecordingsResponse)
def get_session_recordings(call: KasmCall) -> dict[str, Any]:
    """A session's recordings (always none: this server records nothing)."""
    target = call.body.get("target_kasm_id")
    if not target:
        raise KasmError(MISSING_DOT, 400)
    if find_row(call.db, Kasm, target) is None:
        raise KasmError("Invalid Kasm ID", 400)
    page = call.body.get("page") or 1
    return {"session_recordings": [], "items": 0, "page": page, "per_page": 5, "total_duration": 0}


@endpoints.read_only([P.SESSION_RECORDINGS_VIEW], SessionsRecordingsRequest, SessionsRecordingsResponse)
def get_sessions_recordings(call: KasmCall) -> dict[str, Any]:
    """Recordings of several sessions (always none)."""
    targets = call.body.get("target_kasm_ids")
    if not targets or not isinstance(targets, list):
        raise KasmError(MISSING_DOT, 400)
    return {"kasm_sessions": {str(kasm_id): {"session_recordings": []} for kasm_id in targets}}
