"""``kasm_image`` (data source): one workspace image, by id or by its exact docker name."""

from __future__ import annotations

from typing import Any

from ...tfplugin import schema as s
from ...tfplugin.diagnostics import DiagnosticError
from ...tfplugin.resource import DataSource, ResourceContext
from ..context import kasm
from ..helpers import api_errors, normalize_id
from ..resources.image import SCHEMA as RESOURCE_SCHEMA
from ..resources.image import find_by_name, image_state
from ..toolkit import lookup_keys

#: The resource's attributes this data source reports (the docker password is never readable).
_HIDDEN = ("id", "name", "docker_password", "docker_password_wo", "docker_password_wo_version")

ATTRIBUTES: dict[str, s.Attribute] = {
    name: s.Attribute(
        attr.value_type,
        computed=True,
        sensitive=attr.sensitive,
        description=attr.description,
        markdown_description=attr.markdown_description,
    )
    for name, attr in RESOURCE_SCHEMA.attributes.items()
    if name not in _HIDDEN
}


class ImageDataSource(DataSource):
    type_name = "kasm_image"
    schema = s.Schema(
        description="One workspace image, found by its id or its exact docker name.",
        markdown_description=(
            "One workspace image, found by its `id` or its exact docker `name` (give one). Several "
            "images may share a docker name: then the lookup by name is an error listing their ids. "
            "The attributes are those of the `kasm_image` resource (JSON documents as compact JSON "
            "with sorted keys); the docker password is never readable. To list images, use "
            "`kasm_images`."
        ),
        attributes={
            **lookup_keys(
                "The image id (Kasm's `image_id`)",
                "name",
                "The exact docker name, e.g. `kasmweb/terminal:1.16.0`",
            ),
            **ATTRIBUTES,
        },
        validators=[s.ExactlyOneOf("id", "name")],
    )

    def read(self, ctx: ResourceContext, config: dict[str, Any]) -> dict[str, Any]:
        data = kasm(ctx)
        with api_errors("Could not list the images"):
            if config.get("id") is not None:
                wanted = normalize_id(config["id"], "id")
                image = data.image(wanted)
                if image is None:
                    raise DiagnosticError("Image not found", f"Kasm has no image {config['id']}.", ("id",))
            else:
                image = find_by_name(data, config["name"], ("name",))
        # Empty lists as [] (not null): there is no configuration to keep null.
        values = image_state(image, {"categories": [], "restrict_network_names": []})
        values = {name: value for name, value in values.items() if name not in _HIDDEN}
        return {**values, "id": config.get("id") or image.image_id, "name": image.name}
