"""``kasm_registries`` (the installed workspace registries) and ``kasm_registry_images`` (the
workspaces they offer), both from one ``get_registries`` per provider process."""

from __future__ import annotations

from typing import Any

from ...client.models import Image, Registry
from ...tfplugin import schema as s
from ...tfplugin.diagnostics import DiagnosticError
from ...tfplugin.resource import DataSource, ResourceContext
from ...tfplugin.types import Bool, List, Number, Object, String
from ..context import kasm
from ..helpers import ID_VALIDATOR, api_errors, normalize_id
from ..resources.registry import state_of

#: Kasm's registry lists give memory in MB (Kasm counts 1 MB as 1,000,000 bytes on install).
MB = 1_000_000


def _field(type_: Any, markdown: str) -> s.Attribute:
    return s.Attribute(type_, computed=True, markdown_description=markdown)


def _objects(attributes: dict[str, s.Attribute], markdown: str) -> s.Attribute:
    # A list of objects rather than nested attributes: Terraform 1.0 cannot index a computed
    # nested-attribute list.
    return s.Attribute(
        List(Object({name: a.value_type for name, a in attributes.items()})),
        computed=True,
        markdown_description=f"{markdown} Each has:\n\n"
        + "\n".join(f"  * `{name}` - {a.markdown_description}" for name, a in attributes.items()),
    )


REGISTRY_ATTRIBUTES: dict[str, s.Attribute] = {
    "id": _field(String, "The registry id (Kasm's `registry_id`, 32 hex digits)."),
    "url": _field(String, "The registry's URL (Kasm's `registry_url`)."),
    "name": _field(String, "The registry's name, from its list."),
    "do_auto_update": _field(Bool, "Whether Kasm refreshes the registry's list by itself."),
    "schema_version": _field(String, "The registry schema version Kasm reads."),
    "is_verified": _field(Bool, "Whether Kasm verified the registry."),
    "channel": _field(String, "The channel, when Kasm reports one (newer Kasm)."),
    "override_schema": _field(String, "The schema override, when Kasm reports one."),
    "workspace_count": _field(Number, "How many workspaces the registry offers."),
}


def registry_values(registry: Registry) -> dict[str, Any]:
    return {
        **state_of(registry, {}),
        "url": registry.registry_url,
        "workspace_count": len(registry.workspaces),
    }


class RegistriesDataSource(DataSource):
    type_name = "kasm_registries"
    schema = s.Schema(
        markdown_description=(
            "The workspace registries installed in Kasm, ordered by URL. Their workspaces are listed "
            "by `kasm_registry_images`."
        ),
        attributes={
            "id": _field(String, "Always `registries`."),
            "registries": _objects(REGISTRY_ATTRIBUTES, "The registries (an empty list when none)."),
        },
    )

    def read(self, ctx: ResourceContext, config: dict[str, Any]) -> dict[str, Any]:
        data = kasm(ctx)
        with api_errors("Could not read the registries"):
            registries = sorted(data.registries(), key=lambda r: (r.registry_url, r.registry_id))
        return {"id": "registries", "registries": [registry_values(r) for r in registries]}


WORKSPACE_ATTRIBUTES: dict[str, s.Attribute] = {
    "id": _field(
        String,
        "The workspace's docker image (e.g. `kasmweb/doom:1.16.0`): what `kasm_image.name` is "
        "set to when it is installed.",
    ),
    "name": _field(String, "The docker image, as `id`."),
    "registry_id": _field(String, "The registry offering it."),
    "friendly_name": _field(String, "The display name."),
    "description": _field(String, "The description."),
    "image_src": _field(String, "The thumbnail path or URL, as the registry lists it."),
    "categories": _field(List(String), "The categories it is listed under."),
    "cores": _field(Number, "CPU cores the registry suggests."),
    "memory": _field(
        Number, "Memory the registry suggests, in bytes (the list's MB times 1,000,000, as Kasm installs it)."
    ),
    "docker_registry": _field(String, "The docker registry the image is pulled from."),
    "architecture": _field(List(String), "The CPU architectures the image is built for."),
    "versions": _field(List(String), "The Kasm versions the workspace lists compatibility for."),
    "installed": _field(Bool, "Whether Kasm has an image of this docker name installed."),
    "image_id": _field(String, "The installed image's id (`kasm_image`), or null."),
}


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value != "" else None


def _texts(value: Any) -> list[str]:
    if isinstance(value, str):
        return [line.strip() for line in value.splitlines() if line.strip()]
    if isinstance(value, list):
        return [str(v) for v in value if isinstance(v, str | int | float) and not isinstance(v, bool)]
    return []


def _number(value: Any) -> int | float | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return int(number) if number.is_integer() else number


def _docker_name(workspace: dict[str, Any]) -> str | None:
    """The image Kasm installs: the workspace's ``name``, else its first compatibility entry's."""
    name = _text(workspace.get("name"))
    if name is not None:
        return name
    for entry in workspace.get("compatibility") or []:
        if isinstance(entry, dict) and _text(entry.get("image")):
            return str(entry["image"])
    return None


def workspace_values(
    registry_id: str, workspace: dict[str, Any], installed: dict[str, Image]
) -> dict[str, Any]:
    docker = _docker_name(workspace)
    memory = _number(workspace.get("memory"))
    image = installed.get(docker) if docker else None
    compatibility = [c for c in workspace.get("compatibility") or [] if isinstance(c, dict)]
    return {
        "id": docker,
        "name": docker,
        "registry_id": registry_id,
        "friendly_name": _text(workspace.get("friendly_name")),
        "description": _text(workspace.get("description")),
        "image_src": _text(workspace.get("image_src")),
        "categories": _texts(workspace.get("categories")),
        "cores": _number(workspace.get("cores")),
        "memory": None if memory is None else int(memory * MB),
        "docker_registry": _text(workspace.get("docker_registry")),
        "architecture": _texts(workspace.get("architecture")),
        "versions": [str(c["version"]) for c in compatibility if c.get("version") is not None],
        "installed": image is not None,
        "image_id": image.image_id if image is not None else None,
    }


class RegistryImagesDataSource(DataSource):
    type_name = "kasm_registry_images"
    schema = s.Schema(
        markdown_description=(
            "The workspaces a registry offers to install, in the registry's order (all of them: the "
            "list is not cut at any page size). Without `registry_id`, the workspaces of every "
            "installed registry. `installed`/`image_id` tell which are already installed as images."
        ),
        attributes={
            "registry_id": s.Attribute(
                String,
                optional=True,
                validators=[ID_VALIDATOR],
                markdown_description=(
                    "The registry (`kasm_registry.x.id`, 32 hex digits; dashes accepted). Left out: "
                    "every installed registry."
                ),
            ),
            "id": _field(String, "The registry id, or `all` without `registry_id`."),
            "images": _objects(WORKSPACE_ATTRIBUTES, "The workspaces offered."),
        },
    )

    def read(self, ctx: ResourceContext, config: dict[str, Any]) -> dict[str, Any]:
        data = kasm(ctx)
        wanted = config.get("registry_id")
        wanted_id = normalize_id(wanted, "registry_id") if wanted else None
        with api_errors("Could not read the registries"):
            registries = sorted(data.registries(), key=lambda r: (r.registry_url, r.registry_id))
            installed = {i.name: i for i in data.images() if i.name}
        if wanted_id is not None:
            registries = [r for r in registries if r.registry_id == wanted_id]
            if not registries:
                raise DiagnosticError(
                    "Registry not found",
                    f"Kasm has no registry with id {wanted} (see data.kasm_registries).",
                    ("registry_id",),
                )
        return {
            "registry_id": wanted,
            "id": wanted_id or "all",
            "images": [
                workspace_values(r.registry_id, w, installed) for r in registries for w in r.workspaces
            ],
        }
