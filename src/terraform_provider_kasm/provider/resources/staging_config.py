"""``kasm_staging_config``: pre-warmed (standby) sessions of an image in a zone
(``create_staging_config`` / ``get_staging_config`` / ``update_staging_config`` / ``delete_staging_config``).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from ...client import errors as kerr
from ...client.models import StagingConfig, StagingConfigSpec
from ...tfplugin import schema as s
from ...tfplugin.diagnostics import DiagnosticError
from ...tfplugin.resource import Resource, ResourceContext
from ...tfplugin.types import Bool, Number, String
from ..context import KasmData, kasm
from ..helpers import (
    ID_VALIDATOR,
    already_exists,
    api_errors,
    deleted_outside,
    diagnostic,
    normalize_id,
)
from ..toolkit import computed, keep_id_spelling, keep_spelling, parse_import_id, rollback_on_failure

_MAX_INT = 2_147_483_647

#: Kasm's client-setting flags of standby sessions (Kasm 1.15's columns default them to off).
FLAGS = {
    "allow_kasm_audio": "Audio from the session.",
    "allow_kasm_uploads": "File uploads into the session.",
    "allow_kasm_downloads": "File downloads from the session.",
    "allow_kasm_clipboard_down": "Clipboard from the session to the local machine.",
    "allow_kasm_clipboard_up": "Clipboard from the local machine into the session.",
    "allow_kasm_microphone": "Microphone in the session.",
    "allow_kasm_gamepad": "Gamepads in the session.",
    "allow_kasm_webcam": "Webcam in the session.",
    "allow_kasm_printing": "Printing from the session.",
}
REFERENCES = {
    "zone_id": "The zone the standby sessions run in. Changed in place.",
    "image_id": "The workspace (image) of the standby sessions. Changed in place.",
}
OPTIONAL_REFERENCES = {
    "server_pool_id": "The server pool the sessions are staged on (Server Pool images). Kasm replaces "
    "it on every update, so removing it clears it.",
    "autoscale_config_id": "The autoscale config used to provision capacity for the sessions.",
}


def _number(value: Any) -> float:
    return float(value) if isinstance(value, int | float | Decimal) else float("nan")


def _check_expiration(value: Any) -> str | None:
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool) and value >= 0:
        return None
    return f"must be a number of at least 0 (got {value})."


class StagingConfigResource(Resource):
    type_name = "kasm_staging_config"
    schema = s.Schema(
        markdown_description=(
            "Kasm staging: `num_sessions` standby sessions of `image_id` kept ready in `zone_id`, so "
            "users get one at once. One staging config per zone and image. Needs the license feature "
            "*session_staging* (included by default)."
        ),
        attributes={
            "id": computed("The staging config id (Kasm's `staging_config_id`, 32 hex digits)."),
            **{
                name: s.Attribute(String, required=True, validators=[ID_VALIDATOR], markdown_description=text)
                for name, text in REFERENCES.items()
            },
            **{
                name: s.Attribute(String, optional=True, validators=[ID_VALIDATOR], markdown_description=text)
                for name, text in OPTIONAL_REFERENCES.items()
            },
            "num_sessions": s.Attribute(
                Number,
                required=True,
                validators=[s.IntBetween(0, _MAX_INT)],
                markdown_description="How many standby sessions Kasm keeps ready.",
            ),
            "expiration": s.Attribute(
                Number,
                required=True,
                validators=[s.FuncValidator(_check_expiration, "at least 0")],
                markdown_description="How long a standby session waits for a user before Kasm replaces "
                "it, as Kasm stores it (a number; the Go provider documents it in hours).",
            ),
            **{
                name: s.Attribute(
                    Bool, optional=True, computed=True, default=False, markdown_description=text
                )
                for name, text in FLAGS.items()
            },
            "num_current_sessions": computed("Standby sessions ready now.", type_=Number, stable=False),
            "zone_name": computed("The zone's name.", stable=False),
            "image_friendly_name": computed("The image's friendly name.", stable=False),
            "server_pool_name": computed("The server pool's name.", stable=False),
            "autoscale_config_name": computed("The autoscale config's name.", stable=False),
        },
    )

    @staticmethod
    def _spec(plan: Mapping[str, Any]) -> StagingConfigSpec:
        values: dict[str, Any] = {n: normalize_id(plan[n], n) for n in REFERENCES}
        values.update({n: normalize_id(plan[n], n) if plan[n] else None for n in OPTIONAL_REFERENCES})
        values.update({n: bool(plan[n]) for n in FLAGS})
        return StagingConfigSpec(
            num_sessions=int(plan["num_sessions"]), expiration=_number(plan["expiration"]), **values
        )

    @staticmethod
    def _state(config: StagingConfig, want: Mapping[str, Any]) -> dict[str, Any]:
        """The state of Kasm's ``config``; ``want`` (plan or prior state) gives the id spellings and
        the configured number for ``expiration`` (0.1 stays 0.1, not the float Kasm stores)."""
        return {
            "id": config.staging_config_id,
            **{n: keep_id_spelling(want.get(n), getattr(config, n)) for n in REFERENCES},
            **{
                n: keep_id_spelling(want.get(n), getattr(config, n)) if getattr(config, n) else None
                for n in OPTIONAL_REFERENCES
            },
            "num_sessions": config.num_sessions,
            "expiration": keep_spelling(want.get("expiration"), config.expiration, _number),
            **{n: getattr(config, n) for n in FLAGS},
            "num_current_sessions": config.num_current_sessions,
            "zone_name": config.zone_name,
            "image_friendly_name": config.image_friendly_name,
            "server_pool_name": config.server_pool_name,
            "autoscale_config_name": config.autoscale_config_name,
        }

    def _configs(self, data: KasmData) -> tuple[StagingConfig, ...]:
        return data.reads.get(("get_staging_configs",), lambda: tuple(data.client.staging_configs.list()))

    def _check(self, data: KasmData, plan: Mapping[str, Any], own: str | None) -> None:
        """Before writing: the zone and image exist, and no other config stages this image in this zone."""
        zone_id = normalize_id(plan["zone_id"], "zone_id")
        image_id = normalize_id(plan["image_id"], "image_id")
        with api_errors("Could not read Kasm's zones", ("zone_id",)):
            zone = data.zone(zone_id)
        if zone is None:
            raise DiagnosticError(
                "Unknown zone", f"Kasm has no zone with id {plan['zone_id']}.", ("zone_id",)
            )
        with api_errors("Could not read Kasm's images", ("image_id",)):
            image = data.image(image_id)
        if image is None:
            raise DiagnosticError(
                "Unknown image", f"Kasm has no image with id {plan['image_id']}.", ("image_id",)
            )
        with api_errors("Could not read the staging configs"):
            clash = next(
                (
                    c
                    for c in self._configs(data)
                    if c.zone_id == zone_id and c.image_id == image_id and c.staging_config_id != own
                ),
                None,
            )
        if clash is not None:
            raise DiagnosticError(
                "Image already staged in this zone",
                f"Kasm allows one staging config per zone and image; {clash.staging_config_id} stages "
                f"{image.friendly_name or image_id} in this zone. "
                + already_exists(
                    "It", self.type_name, clash.staging_config_id, "(an existing staging config)"
                ),
                ("image_id",),
            )

    def create(self, ctx: ResourceContext, plan: dict[str, Any]) -> dict[str, Any]:
        data = kasm(ctx)
        self._check(data, plan, None)
        try:
            with data.writing():
                config = data.client.staging_configs.create(self._spec(plan))
        except kerr.KasmError as e:
            attribute = next((n for n in OPTIONAL_REFERENCES if n in e.message), None)
            raise diagnostic(
                e, "Could not create the staging config", (attribute,) if attribute else None
            ) from e
        state = self._state(config, plan)
        with rollback_on_failure(
            lambda: self._delete(data, config.staging_config_id),
            what=f"The staging config {config.staging_config_id}",
            state=state,
            summary="Kasm stored another value",
        ):
            for name in ("num_sessions", "expiration", *REFERENCES, *OPTIONAL_REFERENCES, *FLAGS):
                if state[name] != plan[name]:
                    raise DiagnosticError(
                        "Kasm stored another value",
                        f"{name} was sent as {plan[name]!r} but Kasm stored {state[name]!r}.",
                        (name,),
                    )
        return state

    def read(self, ctx: ResourceContext, state: dict[str, Any]) -> dict[str, Any] | None:
        data = kasm(ctx)
        config_id = normalize_id(state["id"], "id")
        with api_errors("Could not read the staging config"):
            config = data.read_or_gone(
                ("get_staging_config", config_id), lambda: data.client.staging_configs.get(config_id)
            )
        return None if config is None else self._state(config, state)

    def update(self, ctx: ResourceContext, prior: dict[str, Any], plan: dict[str, Any]) -> dict[str, Any]:
        data = kasm(ctx)
        config_id: str = prior["id"]
        self._check(data, plan, config_id)
        try:
            with data.writing():
                config = data.client.staging_configs.update(config_id, self._spec(plan))
        except kerr.NotFound as e:
            raise deleted_outside("staging config", config_id) from e
        except kerr.KasmError as e:
            raise diagnostic(e, "Could not update the staging config") from e
        return {**self._state(config, plan), "id": config_id}

    def delete(self, ctx: ResourceContext, state: dict[str, Any]) -> None:
        with api_errors("Could not delete the staging config"):
            self._delete(kasm(ctx), state["id"])

    @staticmethod
    def _delete(data: KasmData, config_id: str) -> None:
        data.remove(lambda: data.client.staging_configs.delete(config_id))

    def import_state(self, ctx: ResourceContext, import_id: str) -> dict[str, Any]:
        parsed = parse_import_id(import_id, [("id",), ("zone_id", "image_id")])
        if "id" in parsed.ids:
            return parsed.ids
        data = kasm(ctx)
        with api_errors("Could not read the staging configs"):
            found = next(
                (
                    c
                    for c in self._configs(data)
                    if c.zone_id == parsed.ids["zone_id"] and c.image_id == parsed.ids["image_id"]
                ),
                None,
            )
        if found is None:
            raise DiagnosticError(
                "Staging config not found", f"Kasm has no staging config for zone and image {import_id}."
            )
        return {"id": found.staging_config_id}
