"""Images ("workspaces"): Kasm 1.15's `create_image`/`update_image`/`delete_image`/`get_images` rules."""

from __future__ import annotations

import json
import time
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from starlette.responses import JSONResponse, Response

from ..endpoints import EndpointGroup, KasmCall
from ..errors import KasmCrash, KasmError
from ..ids import parse_id
from ..models.common import Empty, KasmRequest
from ..models.images import (
    CreateImageRequest,
    DeleteImageRequest,
    GetImagesResponse,
    ImageOut,
    ImageResponse,
    ListedImageOut,
    TargetImage,
    UpdateImageRequest,
)
from ..permissions import Permission
from ..permissions import Permission as P
from ..storage.tables import CastConfig, Image, Kasm, Zone, utcnow
from .common import (
    MISSING_COLON,
    as_float,
    as_int,
    is_sanitized,
    parse_multiline,
    require_row,
    target,
    text,
    truncated,
)

endpoints = EndpointGroup("images")

# The keyword arguments of Kasm's `create_update_image` (`TargetImage` documents them); any other key
# is a TypeError (HTTP 500).
IMAGE_KEYS = frozenset(TargetImage.model_fields)
JSON_FIELDS = ("volume_mappings", "run_config", "exec_config", "connection_info", "launch_config")
# Changing these needs both Images Modify and Images Modify Resources.
RESOURCE_FIELDS = (
    "require_gpu",
    "gpu_count",
    "memory",
    "cores",
    "cpu_allocation_method",
    "volume_mappings",
    "run_config",
    "persistent_profile_path",
    "uncompressed_size_mb",
    "docker_registry",
    "docker_token",
    "docker_user",
    "hash",
    "exec_config",
)
PROFILE_BIND = {"mode": "rw", "bind": "/home/kasm-user", "required": True, "gid": 1000, "uid": 1000}


def image_out(image: Image, now: datetime, model: type[ImageOut] = ImageOut) -> dict[str, Any]:
    categories = list(image.categories or [])
    path = image.persistent_profile_path
    return model.dump(
        image,
        persistent_profile_config={path: dict(PROFILE_BIND)} if path else {},
        available=image.available_at is not None and image.available_at <= now,
        default_category=categories[0] if categories else "",
    )


def sort_key(image: Image) -> tuple[str, str]:
    """`get_images` order: friendly_name, then image_id (stable, the same on SQLite and PostgreSQL)."""
    return (image.friendly_name or "", image.image_id)


@endpoints.read_only([P.IMAGES_VIEW], KasmRequest, GetImagesResponse)
def get_images(call: KasmCall) -> Response:
    """The answer's JSON, serialised once and kept until the next write (`ReadCache`) or until the next
    image's `available_at` (the one part of the answer that changes with time alone)."""
    clock = time.time()
    body = call.cache.get("get_images", clock)
    if body is None:
        now = utcnow()
        images = sorted(call.db.scalars(select(Image).options(selectinload(Image.zone))), key=sort_key)
        body = JSONResponse({"images": [image_out(image, now, ListedImageOut) for image in images]}).body
        pending = [i.available_at for i in images if i.available_at is not None and i.available_at > now]
        valid_until = clock + (min(pending) - now).total_seconds() if pending else None
        call.cache.put("get_images", body, valid_until)
    return Response(content=body, media_type="application/json")


def _validate(call: KasmCall, spec: dict[str, Any]) -> dict[str, Any]:
    """Kasm's checks before `create_update_image`, in Kasm's order. Returns parsed values."""
    parsed: dict[str, Any] = {}
    for prop in JSON_FIELDS:
        if prop not in spec:
            continue
        value = spec[prop]
        if value == "":
            parsed[prop] = {}
            continue
        try:
            parsed[prop] = json.loads(value)
        except (TypeError, ValueError) as exc:
            raise KasmError(f"Invalid json format for {prop}") from exc
        if not isinstance(parsed[prop], dict):
            raise KasmError(f"Invalid json format for {prop}")
    if "volume_mappings" in parsed:
        _check_volume_mappings(parsed["volume_mappings"])
    if "launch_config" in parsed:
        _check_launch_config(parsed["launch_config"])
    if "categories" in spec:
        # Anything but a string (null and JSON lists included) is an unhandled error in 1.15.
        parsed["categories"] = [] if spec["categories"] == "" else parse_multiline(spec["categories"])
    path = spec.get("persistent_profile_path")
    if path:
        if not isinstance(path, str):
            raise KasmCrash("persistent_profile_path is not a string")
        if "{username}" not in path and "{user_id}" not in path:
            raise KasmError(
                "Invalid Request:Persistent Profile Path must contain either (username} or {user_id} "
                "as part of the path"
            )
    if spec.get("restrict_to_network") and not spec.get("restrict_network_names"):
        raise KasmError(
            "Invalid Request: Docker Network Names is required if Restrict Image to Docker Network is True"
        )
    if spec.get("restrict_to_server"):
        server_id = spec.get("server_id")
        if not server_id:
            raise KasmError("Invalid Request: server_id required if restrict_to_server is True")
        if parse_id(server_id) is None:
            raise KasmError("Invalid Request: server_id must be a uuid")
        # This server has no docker agents/servers, so no server id exists.
        raise KasmError(f"Invalid Request: No Server exists with id ({server_id})")
    if spec.get("restrict_to_zone"):
        zone_id = spec.get("zone_id")
        if not zone_id:
            raise KasmError("Invalid Request: zone_id required if restrict_to_zone is True")
        zone_hex = parse_id(zone_id)
        if zone_hex is None:
            raise KasmError("Invalid Request: zone_id must be a uuid")
        if call.db.get(Zone, zone_hex) is None:
            raise KasmError(f"Invalid Request: No Zone exists with id ({zone_id})")
    if "filter_policy_id" in spec:
        policy = spec["filter_policy_id"]
        if policy == "force_disabled":
            parsed["filter_policy"] = (None, True)
        elif policy in ("inherit", "", None):
            parsed["filter_policy"] = (None, False)
        elif parse_id(policy) is None:
            raise KasmError("Invalid Request: filter_policy_id must be a uuid")
        else:
            # No web filter policies exist on this server.
            raise KasmError(f"Invalid Request: No Filter Policy exists with id ({policy})")
    unknown = sorted(set(spec) - IMAGE_KEYS)
    if unknown:
        raise KasmCrash(f"create_update_image() got an unexpected keyword argument '{unknown[0]}'")
    return parsed


def _check_volume_mappings(mappings: dict[str, Any]) -> None:
    for source, mapping in mappings.items():
        if not isinstance(mapping, dict):
            raise KasmError(f"Invalid volume_mappings: mapping for ({source}) must be an object")
        for key in ("bind", "mode"):
            if not isinstance(mapping.get(key), str) or not mapping[key]:
                raise KasmError(f"Invalid volume_mappings: ({source}) is missing '{key}'")


def _check_launch_config(config: dict[str, Any]) -> None:
    form = config.get("launch_form", [])
    if not isinstance(form, list) or not all(isinstance(item, dict) for item in form):
        raise KasmError("Invalid launch_config: launch_form must be a list of objects")


def _id_or_none(value: Any) -> str | None:
    if value in (None, ""):
        return None
    hex_id = parse_id(value)
    if hex_id is None:
        raise KasmCrash(f"badly formed uuid {value!r}")
    return hex_id


def _apply(call: KasmCall, image: Image, spec: dict[str, Any], parsed: dict[str, Any]) -> None:
    """Kasm's `create_update_image`: assigns what was given; some fields are assigned even when missing."""
    now = utcnow()
    if spec.get("name") is not None:
        name = truncated(spec["name"], 255)
        if name != image.name:
            image.name = name
            # A simulated `docker pull` on the (imaginary) agents.
            image.available_at = now + timedelta(seconds=call.settings.image_pull_seconds)
    # Kasm assigns these only when truthy: "" (or 0 cores) leaves the stored value, so a
    # description or a zone once set cannot be cleared through the API.
    for key in ("friendly_name", "image_src", "link_url", "image_type", "cpu_allocation_method"):
        if spec.get(key):
            setattr(image, key, truncated(spec[key], 255))
    for key in ("description", "notes"):
        if spec.get(key):
            setattr(image, key, text(spec[key]))
    # The masked value keeps the token; anything else replaces it (missing, null or "": cleared).
    token = spec.get("docker_token")
    if not (token and is_sanitized(token)):
        image.docker_token = text(token) or None
    # Assigned whether or not they were sent (so omitting them clears them), as in Kasm 1.15.
    image.docker_registry = text(spec.get("docker_registry"), 255)
    image.docker_user = text(spec.get("docker_user"), 255)
    image.hash = text(spec.get("hash"), 255)
    image.server_id = _id_or_none(spec.get("server_id"))
    image.persistent_profile_path = text(spec.get("persistent_profile_path"))
    image.hidden = bool(spec.get("hidden"))
    image.gpu_count = as_int(spec.get("gpu_count") or 0)
    if "filter_policy" in parsed:
        image.filter_policy_id, image.filter_policy_force_disabled = parsed["filter_policy"]
    else:
        image.filter_policy_id = None
    if spec.get("enabled") is True or spec.get("enabled") is False:
        image.enabled = spec["enabled"]
    if spec.get("cores"):
        image.cores = as_float(spec["cores"])
    if spec.get("memory"):
        image.memory = as_int(spec["memory"], bits=64)
    for key in ("x_res", "y_res"):
        if spec.get(key):
            setattr(image, key, as_int(spec[key]))
    if spec.get("uncompressed_size_mb") is not None:
        image.uncompressed_size_mb = as_int(spec["uncompressed_size_mb"])
    if "session_time_limit" in spec:
        limit = spec["session_time_limit"]
        image.session_time_limit = None if limit in (None, "") else as_int(limit)
    for key in (
        "restrict_to_network",
        "restrict_to_server",
        "restrict_to_zone",
        "allow_network_selection",
        "require_gpu",
        "filter_policy_force_disabled",
    ):
        if spec.get(key) is not None and not (
            key == "filter_policy_force_disabled" and "filter_policy" in parsed
        ):
            setattr(image, key, bool(spec[key]))
    if "restrict_network_names" in spec and spec["restrict_network_names"] is not None:
        names = spec["restrict_network_names"]
        if isinstance(names, str):
            names = parse_multiline(names)
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise KasmCrash("restrict_network_names must be a list of strings")
        image.restrict_network_names = names
    if spec.get("zone_id"):
        zone_id = _id_or_none(spec["zone_id"])
        if call.db.get(Zone, zone_id) is None:
            # Not checked unless restrict_to_zone: the foreign key fails (an IntegrityError in Kasm).
            raise KasmCrash(f"images.zone_id {zone_id} is not in zones")
        image.zone_id = zone_id
    if spec.get("server_pool_id"):
        image.server_pool_id = _id_or_none(spec["server_pool_id"])
    for prop in JSON_FIELDS:
        if prop in parsed:
            setattr(image, prop, parsed[prop])
    if "categories" in parsed:
        image.categories = parsed["categories"]


@endpoints.read_write([P.IMAGES_CREATE], CreateImageRequest, ImageResponse)
def create_image(call: KasmCall) -> dict[str, Any]:
    """Create an image (no group is authorised to launch it until `add_images_group`)."""
    spec = target(call.body, "target_image")
    if not spec:
        raise KasmError(MISSING_COLON)
    parsed = _validate(call, spec)
    image = Image(
        cores=1.0,
        memory=768000000,
        enabled=True,
        x_res=800,
        y_res=600,
        restrict_network_names=[],
        volume_mappings={},
        run_config={},
        exec_config={},
        launch_config={},
        categories=[],
        image_type="Container",
        cpu_allocation_method="Inherit",
        uncompressed_size_mb=0,
        restrict_to_network=False,
        restrict_to_server=False,
        restrict_to_zone=False,
        allow_network_selection=False,
        require_gpu=False,
        filter_policy_force_disabled=False,
    )
    _apply(call, image, spec, parsed)
    call.db.add(image)
    call.db.flush()
    call.db.refresh(image)
    return {"image": image_out(image, utcnow())}


@endpoints.read_write([P.IMAGES_MODIFY, P.IMAGES_MODIFY_RESOURCES], UpdateImageRequest, ImageResponse)
def update_image(call: KasmCall) -> dict[str, Any]:
    """Update an image; send the whole image (some omitted fields are cleared, as in Kasm)."""
    spec = target(call.body, "target_image")
    caller = call.user.user_id if call.user is not None else call.api.api_id
    image = require_row(
        call,
        Image,
        "target_image.image_id",
        MISSING_COLON,
        f"User ({caller}) attempted to update an image ({{value}}) that does not exist.",
    )
    if not (call.can(Permission.IMAGES_MODIFY) and call.can(Permission.IMAGES_MODIFY_RESOURCES)):
        _check_resource_changes(call, image, spec)
    parsed = _validate(call, spec)
    _apply(call, image, spec, parsed)
    call.db.flush()
    return {"image": image_out(image, utcnow())}


def _check_resource_changes(call: KasmCall, image: Image, spec: dict[str, Any]) -> None:
    """Without both image permissions the resource fields must be sent unchanged (missing: KeyError)."""
    for key in RESOURCE_FIELDS:
        if key not in spec:
            raise KasmCrash(f"KeyError: '{key}'")
        if _differs(image, key, spec[key]):
            raise KasmError(
                f"User ({call.caller_name}) is not authorized to make these changes to the image."
            )


def _differs(image: Image, key: str, value: Any) -> bool:
    current = getattr(image, key)
    try:
        if key in ("volume_mappings", "run_config", "exec_config"):
            return (json.loads(value) if value else {}) != (current or {})
        if key == "cores":
            return float(value) != current
        if key in ("memory", "gpu_count", "uncompressed_size_mb"):
            return int(value or 0) != current
        if key == "require_gpu":
            return bool(value) != current
        if key == "docker_token":
            return not is_sanitized(value) and (value or None) != current
        return (value or None) != current
    except (TypeError, ValueError):
        return True


@endpoints.read_write([P.IMAGES_DELETE], DeleteImageRequest, Empty)
def delete_image(call: KasmCall) -> dict[str, Any]:
    """Delete an image and its group authorisations (refused while sessions use it)."""
    image = require_row(call, Image, "target_image.image_id", MISSING_COLON, "Image({value}) Does not Exist")
    casts = call.db.scalar(
        select(func.count()).select_from(CastConfig).where(CastConfig.image_id == image.image_id)
    )
    if casts:
        raise KasmError(
            f"Image ({image.friendly_name}): ID ({image.image_id}) currently has ({casts}) associated Casting "
            "Config(s) and cannot be deleted"
        )
    sessions = call.db.scalar(select(func.count()).select_from(Kasm).where(Kasm.image_id == image.image_id))
    if sessions:
        raise KasmError(
            f"Image ({image.friendly_name}): ID ({image.image_id}) currently has ({sessions}) associated "
            "Kasm(s) and cannot be deleted"
        )
    call.db.delete(image)
    return {}
