"""``kasm_group_image``: lets a group's members launch an image (``add_images_group`` /
``get_images_group`` / ``remove_images_group``)."""

from __future__ import annotations

from typing import Any

from ...tfplugin.diagnostics import DiagnosticError
from ..context import KasmData
from ..helpers import api_errors
from ..toolkit import LinkResource, computed


class GroupImageResource(LinkResource):
    type_name = "kasm_group_image"
    parts = ("group_id", "image_id")
    schema = LinkResource.link_schema(
        type_name,
        parts,
        "Authorizes a Kasm group to launch an image: the group's members may start sessions of it. "
        "This resource owns one group-image link; changing `group_id` or `image_id` replaces it.",
        {
            "group_id": ("The group's id (e.g. `kasm_group.x.id`).", "a different group replaces the link"),
            "image_id": (
                "The image's id (e.g. `data.kasm_images.x.images[0].id`).",
                "a different image replaces the link",
            ),
        },
        {
            "group_image_id": computed("Kasm's id of the link (`group_image_id`)."),
            "group_name": computed("The group's name."),
            "image_name": computed("The image's docker name, e.g. `kasmweb/terminal:1.16.0`."),
            "image_friendly_name": computed("The image's display name, e.g. Terminal."),
            "image_src": computed("The image's thumbnail path or URL."),
        },
    )

    def check(self, data: KasmData, ids: dict[str, str]) -> None:
        # Kasm 1.15 fails with an HTTP 500 for an unknown group or image and stores duplicate links,
        # so both are checked first (from the cached lists) and an existing link is not linked twice.
        group_id, image_id = ids["group_id"], ids["image_id"]
        with api_errors("Could not read the groups and images"):
            group = data.group(group_id)
            image = data.image(image_id) if group is not None else None
        if group is None:
            raise DiagnosticError("Group not found", f"Kasm has no group with id {group_id}.", ("group_id",))
        if image is None:
            raise DiagnosticError(
                "Image not found",
                f"Kasm has no image with id {image_id}. The ids of the existing images are listed by the "
                "kasm_images data source.",
                ("image_id",),
            )
        if self.find(data, ids) is not None:
            raise self.already_linked(
                ids,
                "Image already authorized",
                f"The group {group.name!r} may already launch {image.friendly_name or image.name!r}.",
                "image_id",
            )

    def link(self, data: KasmData, ids: dict[str, str]) -> None:
        with api_errors("Could not authorize the image for the group", ("image_id",)):
            data.client.groups.add_image(ids["group_id"], ids["image_id"])

    def unlink(self, data: KasmData, ids: dict[str, str]) -> None:
        data.client.groups.remove_image(ids["group_id"], ids["image_id"])

    def find(self, data: KasmData, ids: dict[str, str]) -> dict[str, Any] | None:
        # One get_images_group per group serves every link of that group.
        with api_errors("Could not read the group's images"):
            rows = data.group_images(ids["group_id"]) or ()
        row = next((r for r in rows if r.image_id == ids["image_id"]), None)
        if row is None:
            return None
        return {
            "group_image_id": row.group_image_id,
            "group_name": row.group_name,
            "image_name": row.image_name,
            "image_friendly_name": row.image_friendly_name,
            "image_src": row.image_src,
        }
