"""``kasm_zone``: a deployment zone (``create_zone`` / ``get_zones`` / ``update_zone`` / ``delete_zone``).

Every field Kasm stores for a zone is an attribute with Kasm's default, so leaving one out means
"Kasm's default", and removing it from the configuration puts the default back.
"""

from __future__ import annotations

from typing import Any

from ...client import errors as kerr
from ...client.models import Zone, ZoneSpec
from ...tfplugin import schema as s
from ...tfplugin.diagnostics import DiagnosticError
from ...tfplugin.resource import Resource, ResourceContext
from ...tfplugin.types import Bool, Number, String
from ..context import KasmData, kasm
from ..helpers import already_exists, api_errors, diagnostic
from ..toolkit import computed, import_id_or_lookup

REQUEST_HOST = "$request_host$"
LOAD_STRATEGIES = ("least_load", "most_load")


def _text(markdown: str, default: str) -> s.Attribute:
    return s.Attribute(
        String,
        optional=True,
        computed=True,
        default=default,
        validators=[s.LengthBetween(1, 255)],
        markdown_description=markdown,
    )


def _flag(markdown: str, default: bool) -> s.Attribute:
    return s.Attribute(
        Bool,
        optional=True,
        computed=True,
        default=default,
        markdown_description=markdown,
    )


#: Terraform attribute → Kasm field, for the fields sent as they are.
FIELDS = {
    "load_strategy": "load_strategy",
    "prioritize_static_agents": "prioritize_static_agents",
    "search_alternate_zones": "search_alternate_zones",
    "allow_origin_domain": "allow_origin_domain",
    "upstream_auth_address": "upstream_auth_address",
    "proxy_connections": "proxy_connections",
    "proxy_hostname": "proxy_hostname",
    "proxy_path": "proxy_path",
}


def spec_of(plan: dict[str, Any]) -> ZoneSpec:
    return ZoneSpec(
        zone_name=plan["name"],
        proxy_port=int(plan["proxy_port"]),
        **{kasm_name: plan[name] for name, kasm_name in FIELDS.items()},
    )


def state_of(zone: Zone) -> dict[str, Any]:
    return {
        "id": zone.zone_id,
        "name": zone.zone_name,
        "proxy_port": zone.proxy_port,
        **{name: getattr(zone, kasm_name) for name, kasm_name in FIELDS.items()},
    }


class ZoneResource(Resource):
    type_name = "kasm_zone"
    schema = s.Schema(
        markdown_description=(
            "A Kasm deployment zone: where sessions are placed and how clients reach them through "
            "the zone's proxy. Every field Kasm stores is an attribute, each with Kasm's default.\n\n"
            "Kasm refuses to delete a zone while managers or servers are in it (so the install's "
            "`default` zone can be imported and managed, but not destroyed); the error gives Kasm's "
            "message."
        ),
        attributes={
            "id": computed("The zone id (Kasm's `zone_id`, 32 hex digits)."),
            "name": s.Attribute(
                String,
                required=True,
                validators=[s.LengthBetween(1, 255)],
                markdown_description=(
                    "The zone name (Kasm's `zone_name`), unique in Kasm. Renaming is done in place."
                ),
            ),
            "load_strategy": s.Attribute(
                String,
                optional=True,
                computed=True,
                default="least_load",
                validators=[s.OneOf(*LOAD_STRATEGIES)],
                markdown_description=(
                    "Which agents a new session prefers: `least_load` (the least loaded) or "
                    "`most_load` (fill agents up first)."
                ),
            ),
            "search_alternate_zones": _flag(
                "When this zone has no agent with room, look for one in other zones.", True
            ),
            "prioritize_static_agents": _flag(
                "Prefer static agents to auto-scaled ones when placing a session.", True
            ),
            "allow_origin_domain": _text(
                "The origin domain allowed to connect to sessions (`$request_host$`: the host the "
                "client used).",
                REQUEST_HOST,
            ),
            "upstream_auth_address": _text(
                "The address of the Kasm API server that session connections are authenticated "
                "against (`$request_host$`: the host the client used).",
                REQUEST_HOST,
            ),
            "proxy_connections": _flag("Connect clients to sessions through the zone's proxy.", True),
            "proxy_hostname": _text(
                "The proxy host clients connect to (`$request_host$`: the host the client used).",
                REQUEST_HOST,
            ),
            "proxy_path": _text("The path on the proxy under which sessions are served.", "desktop"),
            "proxy_port": s.Attribute(
                Number,
                optional=True,
                computed=True,
                default=443,
                validators=[s.IntBetween(0, 65535)],
                markdown_description="The proxy port clients connect to.",
            ),
        },
    )

    def create(self, ctx: ResourceContext, plan: dict[str, Any]) -> dict[str, Any]:
        data = kasm(ctx)
        # Checked before writing; Kasm's own "already exists" is handled the same way below.
        with api_errors("Could not read the zones"):
            existing = next((z for z in data.zones() if z.zone_name == plan["name"]), None)
        if existing is not None:
            raise self._exists(plan["name"], f"Zone ({plan['name']}) already exists")
        try:
            with data.writing():
                zone = data.client.zones.create(spec_of(plan))
        except kerr.Conflict as e:
            raise self._exists(plan["name"], e.message) from e
        except kerr.KasmError as e:
            raise diagnostic(e, "Could not create the zone") from e
        # create_zone's answer is the whole zone: nothing is left to do that could fail.
        return state_of(zone)

    def _exists(self, name: str, kasm_said: str) -> DiagnosticError:
        return DiagnosticError(
            "Zone already exists",
            f"Kasm already has a zone named {name!r}; choose another name, or: "
            + already_exists("The zone", self.type_name, f"name:{name}", kasm_said),
            ("name",),
        )

    def read(self, ctx: ResourceContext, state: dict[str, Any]) -> dict[str, Any] | None:
        data = kasm(ctx)
        with api_errors("Could not read the zone"):
            zone = data.zone(state["id"])
        return state_of(zone) if zone is not None else None

    def update(self, ctx: ResourceContext, prior: dict[str, Any], plan: dict[str, Any]) -> dict[str, Any]:
        data = kasm(ctx)
        zone_id: str = prior["id"]
        if plan["name"] != prior["name"]:
            with api_errors("Could not read the zones"):
                clash = next(
                    (z for z in data.zones() if z.zone_name == plan["name"] and z.zone_id != zone_id), None
                )
            if clash is not None:
                raise DiagnosticError(
                    "Zone name in use",
                    f"Kasm already has a zone named {plan['name']!r} ({clash.zone_id}).",
                    ("name",),
                )
        try:
            with data.writing():
                zone = data.client.zones.update(zone_id, spec_of(plan))
        except kerr.NotFound as e:
            raise DiagnosticError(
                "Zone not found",
                f"The zone {zone_id} was deleted outside Terraform; plan again to re-create it.",
            ) from e
        except kerr.Conflict as e:
            raise diagnostic(e, "Could not update the zone", ("name",)) from e
        except kerr.KasmError as e:
            raise diagnostic(e, "Could not update the zone") from e
        return {**state_of(zone), "id": zone_id}

    def delete(self, ctx: ResourceContext, state: dict[str, Any]) -> None:
        data = kasm(ctx)
        try:
            self._delete(data, state["id"])
        except kerr.Conflict as e:
            raise DiagnosticError(
                "Zone in use",
                f"Kasm refuses to delete the zone {state['name']!r}: {e.message}. Move its managers and "
                "servers to another zone first, or remove the zone from Terraform with "
                "`terraform state rm` to leave it in Kasm.",
            ) from e
        except kerr.KasmError as e:
            raise diagnostic(e, "Could not delete the zone") from e

    @staticmethod
    def _delete(data: KasmData, zone_id: str) -> None:
        data.remove(lambda: data.client.zones.delete(zone_id))

    def import_state(self, ctx: ResourceContext, import_id: str) -> dict[str, Any]:
        def find(name: str) -> str | None:
            return next((z.zone_id for z in kasm(ctx).zones() if z.zone_name == name), None)

        return import_id_or_lookup(
            import_id,
            "name",
            "zone named",
            find,
            summary="Could not read the zones",
            not_found="Zone not found",
        )
