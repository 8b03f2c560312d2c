"""``kasm_images``: the workspace images Kasm knows (``get_images``), optionally filtered."""

from __future__ import annotations

from typing import Any

from ...client.models import Image
from ...tfplugin import schema as s
from ...tfplugin.resource import DataSource, ResourceContext
from ...tfplugin.types import Bool, List, Number, Object, String
from ..context import kasm
from ..helpers import api_errors

ORDER = (
    "usable images (enabled and available) first, then by friendly name (case-insensitive), "
    "docker name and id"
)


def _field(type_: Any, description: str, markdown: str | None = None) -> s.Attribute:
    return s.Attribute(type_, computed=True, description=description, markdown_description=markdown)


IMAGE_ATTRIBUTES: dict[str, s.Attribute] = {
    "id": _field(
        String,
        "The image id (Kasm's image_id, 32 hex digits).",
        "The image id (Kasm's `image_id`, 32 hex digits).",
    ),
    "name": _field(
        String,
        "The docker image, e.g. kasmweb/terminal:1.16.0.",
        "The docker image, e.g. `kasmweb/terminal:1.16.0`.",
    ),
    "friendly_name": _field(String, "The display name, e.g. Terminal."),
    "description": _field(String, "The image's description."),
    "cores": _field(Number, "CPU cores given to a session (may be fractional)."),
    "memory": _field(Number, "Memory given to a session, in bytes (Kasm counts 1 MB as 1,000,000 bytes)."),
    "cpu_allocation_method": _field(
        String,
        "How cores are enforced: Inherit, Quotas or Shares.",
        "How cores are enforced: `Inherit`, `Quotas` or `Shares`.",
    ),
    "image_src": _field(String, "The thumbnail path or URL."),
    "enabled": _field(Bool, "Whether the image is enabled (disabled images cannot be launched)."),
    "available": _field(
        Bool,
        "Whether the docker image is present on an agent, so sessions of it can start now.",
    ),
    "image_type": _field(
        String, "Container, Server or Server Pool.", "`Container`, `Server` or `Server Pool`."
    ),
    "categories": _field(List(String), "The categories the image is listed under."),
    "hidden": _field(Bool, "Whether the image is hidden from users' dashboards."),
    "docker_registry": _field(String, "The registry the docker image is pulled from."),
}


def _image(image: Image) -> dict[str, Any]:
    return {
        "id": image.image_id,
        "name": image.name,
        "friendly_name": image.friendly_name,
        "description": image.description,
        "cores": image.cores,
        "memory": image.memory,
        "cpu_allocation_method": image.cpu_allocation_method,
        "image_src": image.image_src,
        "enabled": image.enabled,
        "available": image.available,
        "image_type": image.image_type,
        "categories": list(image.categories),
        "hidden": image.hidden,
        "docker_registry": image.docker_registry,
    }


def _sort_key(image: Image) -> tuple[bool, str, str, str]:
    return (
        not (image.enabled and image.available),
        (image.friendly_name or "").casefold(),
        image.name,
        image.image_id,
    )


class ImagesDataSource(DataSource):
    type_name = "kasm_images"
    schema = s.Schema(
        description=f"The workspace images in Kasm, optionally filtered. Order: {ORDER}.",
        markdown_description=(
            "The workspace images in Kasm (enabled or not), optionally filtered by `filter`. Use the "
            "ids with `kasm_group_image` to let a group launch an image, and with `kasm_session`.\n\n"
            f"`images` is in a stable order: {ORDER}. So `images[0]` is a usable image whenever there "
            "is one."
        ),
        attributes={
            "id": _field(
                String,
                "An id for this query, made from the filter.",
                "An id for this query, made from the filter (`all` without one).",
            ),
            # A list of objects rather than nested attributes: Terraform 1.0 cannot index a computed
            # nested-attribute list ("This value does not have any indices").
            "images": s.Attribute(
                List(Object({name: a.value_type for name, a in IMAGE_ATTRIBUTES.items()})),
                computed=True,
                description="The images matching the filter; each has "
                + "; ".join(f"{name}: {a.description}" for name, a in IMAGE_ATTRIBUTES.items()),
                markdown_description="The images matching the filter. Each image has:\n\n"
                + "\n".join(
                    f"  * `{name}` - {a.markdown_description or a.description}"
                    for name, a in IMAGE_ATTRIBUTES.items()
                ),
            ),
        },
        blocks={
            "filter": s.Block(
                s.NestingMode.LIST,
                max_items=1,
                description="Only the images matching every criterion given here.",
                attributes={
                    "name": s.Attribute(
                        String,
                        optional=True,
                        description="Only images with exactly this docker name, e.g. kasmweb/terminal:1.16.0.",
                        markdown_description="Only images with exactly this docker name, e.g. `kasmweb/terminal:1.16.0`.",
                    ),
                    "enabled": s.Attribute(
                        Bool,
                        optional=True,
                        description="Only enabled (true) or only disabled (false) images.",
                    ),
                },
            )
        },
    )

    def read(self, ctx: ResourceContext, config: dict[str, Any]) -> dict[str, Any]:
        data = kasm(ctx)
        filters = config.get("filter") or []
        wanted = filters[0] if filters else {"name": None, "enabled": None}
        with api_errors("Could not list the images"):
            images = data.images()
        selected = [
            i
            for i in images
            if (wanted["name"] is None or i.name == wanted["name"])
            and (wanted["enabled"] is None or i.enabled == wanted["enabled"])
        ]
        parts = [
            f"{k}={str(v).lower() if isinstance(v, bool) else v}"
            for k in ("name", "enabled")
            if (v := wanted[k]) is not None
        ]
        return {
            "id": ",".join(parts) if parts else "all",
            "filter": filters,
            "images": [_image(i) for i in sorted(selected, key=_sort_key)],
        }
