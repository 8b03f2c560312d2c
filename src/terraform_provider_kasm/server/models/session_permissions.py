"""Session permissions: who may view or control a shared session."""

from __future__ import annotations

from pydantic import AliasPath, BaseModel, Field

from .common import KasmRequest, OpenModel, RowOut


class SessionPermissionSpec(OpenModel):
    user_id: str | None = None
    access: str | None = None


class TargetSessionPermissions(OpenModel):
    kasm_id: str | None = None
    user_id: str | None = None
    session_permission_id: str | None = None
    access: str | None = None
    session_permissions: list[SessionPermissionSpec] | None = None
    user_ids: list[str] | None = None


class SessionPermissionsRequest(KasmRequest):
    target_session_permissions: TargetSessionPermissions | None = None


class SessionPermissionOut(RowOut):
    session_permission_id: str
    kasm_id: str
    user_id: str
    access: str
    vnc_username: str
    username: str = Field(validation_alias=AliasPath("user", "username"))


class SessionPermissionsResponse(BaseModel):
    session_permissions: list[SessionPermissionOut]
