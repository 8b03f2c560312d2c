"""``kasm_group_image``: lets a group's members launch an image (``add_images_group`` /
``get_images_group`` / ``remove_images_group``)."""

from __future__ import annotations

from typing import Any

from ...client import errors as kerr
from ...client.models import GroupImage
from ...tfplugin import schema as s
from ...tfplugin.diagnostics import DiagnosticError
from ...tfplugin.resource import Resource, ResourceContext
from ...tfplugin.types import String
from ..context import kasm
from ..helpers import (
    api_errors,
    diagnostic,
    gone_if_missing,
    normalize_id,
    parse_import_id,
    reference_id,
)


def _computed(description: str, markdown: str | None = None) -> s.Attribute:
    # Nothing here can change without a replacement, so every computed value keeps its prior value.
    return s.Attribute(
        String,
        computed=True,
        plan_modifiers=[s.UseStateForUnknown()],
        description=description,
        markdown_description=markdown,
    )


_COMPUTED = ("group_image_id", "group_name", "image_name", "image_friendly_name", "image_src")


def _key(group_id: str, image_id: str) -> str:
    return f"{group_id}:{image_id}"


class GroupImageResource(Resource):
    type_name = "kasm_group_image"
    schema = s.Schema(
        description="Authorizes a Kasm group to launch an image: the group's members may start sessions of it.",
        markdown_description=(
            "Authorizes a Kasm group to launch an image: the group's members may start sessions of it. "
            "This resource owns one group-image link; changing `group_id` or `image_id` replaces it.\n\n"
            "Import with `terraform import kasm_group_image.x <group_id>:<image_id>`."
        ),
        attributes={
            "id": _computed(
                "<group_id>:<image_id>, both as 32 hex digits.",
                "`<group_id>:<image_id>`, both as 32 hex digits.",
            ),
            "group_id": reference_id(
                "The group's id (e.g. `kasm_group.x.id`).",
                "a different group replaces the link",
            ),
            "image_id": reference_id(
                "The image's id (e.g. `data.kasm_images.x.images[0].id`).",
                "a different image replaces the link",
            ),
            "group_image_id": _computed(
                "Kasm's id of the link (group_image_id).", "Kasm's id of the link (`group_image_id`)."
            ),
            "group_name": _computed("The group's name."),
            "image_name": _computed(
                "The image's docker name, e.g. kasmweb/terminal:1.16.0.",
                "The image's docker name, e.g. `kasmweb/terminal:1.16.0`.",
            ),
            "image_friendly_name": _computed("The image's display name, e.g. Terminal."),
            "image_src": _computed("The image's thumbnail path or URL."),
        },
    )

    @staticmethod
    def _state(row: GroupImage, group_id: str, image_id: str) -> dict[str, Any]:
        return {
            "id": _key(group_id, image_id),
            "group_image_id": row.group_image_id,
            "group_name": row.group_name,
            "image_name": row.image_name,
            "image_friendly_name": row.image_friendly_name,
            "image_src": row.image_src,
        }

    def create(self, ctx: ResourceContext, plan: dict[str, Any]) -> dict[str, Any]:
        data = kasm(ctx)
        group_id = normalize_id(plan["group_id"], "group_id")
        image_id = normalize_id(plan["image_id"], "image_id")
        # Kasm 1.15 fails with an HTTP 500 for an unknown group or image and stores duplicate links,
        # so both are checked first (from the cached lists) and an existing link is not linked twice.
        with api_errors("Could not read the groups and images"):
            group = data.group(group_id)
            image = data.image(image_id) if group is not None else None
            linked = data.group_images(group_id) if group is not None else None
        if group is None:
            raise DiagnosticError("Group not found", f"Kasm has no group with id {group_id}.", ("group_id",))
        if image is None:
            raise DiagnosticError(
                "Image not found",
                f"Kasm has no image with id {image_id}. The ids of the existing images are listed by the "
                "kasm_images data source.",
                ("image_id",),
            )
        if linked is not None and any(r.image_id == image_id for r in linked):
            raise DiagnosticError(
                "Image already authorized",
                f"The group {group.name!r} may already launch {image.friendly_name or image.name!r}. Manage that "
                f"link with Terraform by importing it: terraform import <address> {_key(group_id, image_id)}",
                ("image_id",),
            )
        try:
            with data.writing():
                data.client.groups.add_image(group_id, image_id)
        except kerr.KasmError as e:
            raise diagnostic(e, "Could not authorize the image for the group", ("image_id",)) from e
        # The link exists from here on: a failure below records it (Terraform then marks it tainted
        # and replaces it) instead of leaving a link on the server that no state knows about.
        partial = {**plan, "id": _key(group_id, image_id), **{k: None for k in _COMPUTED}}
        try:
            rows = data.group_images(group_id) or ()
        except kerr.KasmError as e:
            error = diagnostic(e, "Could not read the group's images")
            raise DiagnosticError(error.summary, error.detail, state=partial) from e
        row = next((r for r in rows if r.image_id == image_id), None)
        if row is None:
            # add_images_group answered success; not finding the link now is a Kasm fault, not a delay.
            raise DiagnosticError(
                "Authorized image not listed",
                f"Kasm accepted authorizing image {image_id} for group {group_id} but get_images_group does "
                "not list it.",
                state=partial,
            )
        return {**plan, **self._state(row, group_id, image_id)}

    def read(self, ctx: ResourceContext, state: dict[str, Any]) -> dict[str, Any] | None:
        data = kasm(ctx)
        group_id = normalize_id(state["group_id"], "group_id")
        image_id = normalize_id(state["image_id"], "image_id")
        with api_errors("Could not read the group's images"):
            rows = data.group_images(group_id)
        row = next((r for r in rows or () if r.image_id == image_id), None)
        if row is None:
            return None
        return {**state, **self._state(row, group_id, image_id)}

    def update(self, ctx: ResourceContext, prior: dict[str, Any], plan: dict[str, Any]) -> dict[str, Any]:
        # Reached only when an id is respelled (dashes added or removed): the link itself is unchanged.
        return {**prior, "group_id": plan["group_id"], "image_id": plan["image_id"]}

    def delete(self, ctx: ResourceContext, state: dict[str, Any]) -> None:
        data = kasm(ctx)
        group_id = normalize_id(state["group_id"], "group_id")
        image_id = normalize_id(state["image_id"], "image_id")
        with data.writing(), api_errors("Could not remove the image from the group"):
            gone_if_missing(lambda: data.client.groups.remove_image(group_id, image_id))

    def import_state(self, ctx: ResourceContext, import_id: str) -> dict[str, Any]:
        ids = parse_import_id(import_id, ("group_id", "image_id"))
        return {"id": _key(ids["group_id"], ids["image_id"]), **ids}
