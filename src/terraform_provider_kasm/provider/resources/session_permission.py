"""``kasm_session_permission``: one user's access to a shared session (``set_session_permissions`` /
``get_session_permissions`` / ``delete_session_permissions``)."""

from __future__ import annotations

from typing import Any

from ...client import errors as kerr
from ...tfplugin import schema as s
from ...tfplugin.diagnostics import DiagnosticError
from ...tfplugin.resource import ResourceContext
from ...tfplugin.types import UNKNOWN, String
from ..context import KasmData, kasm
from ..helpers import api_errors, diagnostic
from ..toolkit import LinkResource, computed, rollback_on_failure

#: What Terraform may grant: view or control. Owner access (``rwo``) is Kasm's own, for the session's user.
ACCESS = ("r", "rw")


class SessionPermissionResource(LinkResource):
    type_name = "kasm_session_permission"
    parts = ("kasm_id", "user_id")
    schema = LinkResource.link_schema(
        type_name,
        parts,
        "Lets a Kasm user view (`r`) or control (`rw`) a shared session. This resource **owns** one "
        "user's access to one session: declare each user once, and leave the user out (destroy the "
        "resource) for no access. The session must be shared (`kasm_session` with "
        "`enable_sharing = true`); its own user holds owner access already and is not declared here.",
        {
            "kasm_id": (
                "The session's id (e.g. `kasm_session.x.id`).",
                "a different session replaces the grant",
            ),
            "user_id": ("The user's id (e.g. `kasm_user.x.id`).", "a different user replaces the grant"),
        },
        {
            "access": s.Attribute(
                String,
                required=True,
                markdown_description="`r` to view the session or `rw` to control it too; changed in place.",
                validators=[s.OneOf(*ACCESS)],
            ),
            "session_permission_id": computed("Kasm's id of the grant (`session_permission_id`)."),
            "username": computed("The user's name."),
            "vnc_username": computed("The KasmVNC user name Kasm made for this viewer."),
        },
    )

    def check(self, data: KasmData, ids: dict[str, str]) -> None:
        # Kasm updates an existing grant silently: the one resource that owns it must be imported.
        if self.find(data, ids) is not None:
            raise self.already_linked(
                ids,
                "Access already granted",
                f"The user {ids['user_id']} has access to the session {ids['kasm_id']} already.",
                "user_id",
            )

    def _set(self, data: KasmData, ids: dict[str, str], access: str) -> None:
        try:
            data.client.session_permissions.set(ids["kasm_id"], {ids["user_id"]: access})
        except kerr.KasmError as e:
            attribute = "user_id" if "user" in e.message.lower() else "kasm_id"
            raise diagnostic(e, "Could not grant access to the session", (attribute,)) from e

    def create(self, ctx: ResourceContext, plan: dict[str, Any]) -> dict[str, Any]:
        data = kasm(ctx)
        ids = self._ids(plan)
        self.check(data, ids)
        with data.writing():
            self._set(data, ids, plan["access"])
        # Withdrawn again if it cannot be read back (kept in state, tainted, if that fails too).
        partial = {**{k: None if v is UNKNOWN else v for k, v in plan.items()}, "id": self.key(ids)}
        with rollback_on_failure(
            lambda: self._unlink(data, ids),
            what=f"The grant {self.key(ids)}",
            state=partial,
            summary=f"Could not read the new {self.type_name}",
        ):
            with api_errors(f"Could not read the new {self.type_name}"):
                values = self.find(data, ids)
            if values is None:
                raise DiagnosticError(
                    "Grant not listed", f"Kasm accepted the grant {self.key(ids)} but does not list it."
                )
        return {**plan, **values, "id": self.key(ids)}

    def update(self, ctx: ResourceContext, prior: dict[str, Any], plan: dict[str, Any]) -> dict[str, Any]:
        data = kasm(ctx)
        ids = self._ids(plan)
        if plan["access"] != prior["access"]:
            with data.writing():
                self._set(data, ids, plan["access"])
        return {**prior, **{p: plan[p] for p in self.parts}, "access": plan["access"]}

    def link(self, data: KasmData, ids: dict[str, str]) -> None:  # create is overridden (needs access)
        raise NotImplementedError

    def unlink(self, data: KasmData, ids: dict[str, str]) -> None:
        data.client.session_permissions.delete(ids["kasm_id"], [ids["user_id"]])

    def find(self, data: KasmData, ids: dict[str, str]) -> dict[str, Any] | None:
        # A session that is gone lists no grants: the resource leaves the state. One
        # get_session_permissions per session serves every grant of that session.
        kasm_id = ids["kasm_id"]
        with api_errors("Could not read the session's permissions"):
            rows = data.reads.get(
                ("get_session_permissions", kasm_id),
                lambda: tuple(data.client.session_permissions.list(kasm_id=kasm_id)),
            )
        row = next((r for r in rows if r.user_id == ids["user_id"]), None)
        if row is None:
            return None
        return {
            "access": row.access,
            "session_permission_id": row.session_permission_id,
            "username": row.username,
            "vnc_username": row.vnc_username,
        }
