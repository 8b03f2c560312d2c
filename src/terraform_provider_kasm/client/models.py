# ruff: noqa: RUF009  (fld() and friends return dataclasses.field(...), which RUF009 cannot see)
"""Typed views of Kasm's objects: frozen stdlib dataclasses built from (and written to) JSON.

Field names are Kasm's own. Every model is built with ``Model.from_json(data)``, which
normalises ids to 32-hex lowercase, parses datetimes to aware UTC, turns ``"None"`` into None and
JSON-string fields into dicts; keys Kasm sends that a model does not name are kept in ``raw``.
``*Spec`` classes hold what a create/update sends; ``spec.to_json()`` produces Kasm's wire form
(JSON strings, newline-separated categories). Secret fields have ``repr=False`` and ``raw`` is
never shown, so printing a model never reveals a password, token or docker credential.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, ClassVar, Self, TypeVar

from . import convert as c

__all__ = [
    "CastConfig",
    "CastConfigSpec",
    "Group",
    "GroupImage",
    "GroupMember",
    "GroupPermission",
    "GroupRef",
    "GroupSetting",
    "Image",
    "ImageSpec",
    "License",
    "Permission",
    "Registry",
    "RequestedSession",
    "Session",
    "SessionImage",
    "SessionPermission",
    "SessionStatus",
    "SessionToken",
    "StagingConfig",
    "StagingConfigSpec",
    "User",
    "UserAttributes",
    "Zone",
    "ZoneSpec",
]

T = TypeVar("T")
Parse = Callable[[Any], Any]
Dump = Callable[[Any], Any]


def fld(
    default: Any = None,
    *,
    parse: Parse | None = None,
    dump: Dump | None = None,
    key: str | None = None,
    secret: bool = False,
    factory: Callable[[], Any] | None = None,
) -> Any:
    """A model field: ``parse`` reads Kasm's JSON value, ``dump`` writes it, ``key`` renames it."""
    metadata = {"parse": parse, "dump": dump, "key": key}
    if factory is not None:
        return dataclasses.field(default_factory=factory, repr=not secret, metadata=metadata)
    return dataclasses.field(default=default, repr=not secret, metadata=metadata)


def _raw() -> Any:
    return dataclasses.field(default_factory=dict, repr=False, compare=False, metadata={"raw": True})


@dataclasses.dataclass(frozen=True, kw_only=True)
class Model:
    """Base of every model; see the module docstring."""

    #: Fields a spec never sends (computed by Kasm).
    read_only: ClassVar[frozenset[str]] = frozenset()

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Self:
        values: dict[str, Any] = {}
        used: set[str] = set()
        for f in dataclasses.fields(cls):
            if f.metadata.get("raw"):
                continue
            key = f.metadata.get("key") or f.name
            if key not in data:
                continue
            used.add(key)
            parse = f.metadata.get("parse")
            values[f.name] = parse(data[key]) if parse else data[key]
        if any(f.name == "raw" for f in dataclasses.fields(cls)):
            values["raw"] = {k: v for k, v in data.items() if k not in used}
        return cls(**values)

    def to_json(self) -> dict[str, Any]:
        """The writable fields in Kasm's wire form; None values are left out."""
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            if f.metadata.get("raw") or f.name in self.read_only:
                continue
            value = getattr(self, f.name)
            dump = f.metadata.get("dump")
            if dump is not None:
                value = dump(value)
            if value is None:
                continue
            if isinstance(value, tuple):
                value = list(value)
            out[f.metadata.get("key") or f.name] = value
        return out


def _id() -> Any:
    return fld("", parse=lambda v: c.kasm_id(v) or "")


def _opt_id() -> Any:
    return fld(None, parse=c.kasm_id)


def _when() -> Any:
    return fld(None, parse=c.parse_datetime, dump=c.format_datetime)


def _str() -> Any:
    return fld(None, parse=c.optional_str)


def _bool(default: bool = False) -> Any:
    return fld(default, parse=c.to_bool)


def _obj() -> Any:
    return fld(parse=c.json_object, factory=dict)


# --- images --------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, kw_only=True)
class ImageSpec(Model):
    """A workspace image as sent to ``create_image`` / ``update_image`` (defaults are Kasm's).

    ``update_image`` replaces the object: a field left None is cleared on the server, so send the
    whole desired image (``Image.to_spec()`` gives the current one). ``memory`` is in bytes.
    """

    name: str = fld("", parse=lambda v: c.optional_str(v) or "")
    friendly_name: str | None = _str()
    description: str | None = _str()
    enabled: bool = _bool(True)
    cores: float = fld(1.0, parse=c.to_float)
    memory: int = fld(768_000_000, parse=c.to_int)
    x_res: int = fld(800, parse=c.to_int)
    y_res: int = fld(600, parse=c.to_int)
    image_src: str | None = _str()
    image_type: str = fld("Container", parse=lambda v: c.optional_str(v) or "Container")
    docker_registry: str | None = _str()
    docker_user: str | None = _str()
    docker_token: str | None = fld(None, parse=c.optional_str, secret=True)
    run_config: dict[str, Any] = fld(parse=c.json_object, dump=c.json_string, factory=dict)
    exec_config: dict[str, Any] = fld(parse=c.json_object, dump=c.json_string, factory=dict)
    volume_mappings: dict[str, Any] = fld(parse=c.json_object, dump=c.json_string, factory=dict)
    launch_config: dict[str, Any] = fld(parse=c.json_object, dump=c.json_string, factory=dict)
    categories: tuple[str, ...] = fld((), parse=c.string_list, dump=c.newline_string)
    restrict_to_network: bool = _bool()
    restrict_network_names: tuple[str, ...] = fld((), parse=c.string_list)
    allow_network_selection: bool = _bool()
    restrict_to_server: bool = _bool()
    server_id: str | None = _opt_id()
    server_pool_id: str | None = _opt_id()
    restrict_to_zone: bool = _bool()
    zone_id: str | None = _opt_id()
    persistent_profile_path: str | None = _str()
    filter_policy_id: str | None = _opt_id()
    # None is sent as "" (Kasm's "no limit"): a missing key would keep the stored limit.
    session_time_limit: int | None = fld(None, parse=c.optional_int, dump=lambda v: "" if v is None else v)
    require_gpu: bool = _bool()
    gpu_count: int = fld(0, parse=c.to_int)
    hidden: bool = _bool()
    notes: str | None = _str()
    link_url: str | None = _str()
    cpu_allocation_method: str = fld("Inherit", parse=lambda v: c.optional_str(v) or "Inherit")
    uncompressed_size_mb: int = fld(0, parse=c.to_int)
    hash: str | None = _str()


@dataclasses.dataclass(frozen=True, kw_only=True)
class Image(ImageSpec):
    """A workspace image as Kasm reports it (``get_images``, ``create_image``, ``update_image``)."""

    read_only: ClassVar[frozenset[str]] = frozenset(
        {
            "image_id",
            "available",
            "zone_name",
            "filter_policy_name",
            "filter_policy_force_disabled",
            "default_category",
            "image_attributes",
            "persistent_profile_config",
        }
    )

    image_id: str = _id()
    available: bool = _bool()
    zone_name: str | None = _str()
    filter_policy_name: str | None = _str()
    filter_policy_force_disabled: bool = _bool()
    default_category: str | None = _str()
    image_attributes: tuple[dict[str, Any], ...] = fld((), parse=c.tuple_of_dicts, key="imageAttributes")
    persistent_profile_config: dict[str, Any] = _obj()
    raw: dict[str, Any] = _raw()

    def to_spec(self) -> ImageSpec:
        """The writable part, e.g. to send back with a few fields changed."""
        names = {f.name for f in dataclasses.fields(ImageSpec)}
        return ImageSpec(**{n: getattr(self, n) for n in names})


# --- users ---------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, kw_only=True)
class GroupRef(Model):
    """A group as listed in a user's ``groups``."""

    group_id: str = _id()
    name: str = fld("", parse=lambda v: c.optional_str(v) or "")


def _group_refs(value: Any) -> tuple[GroupRef, ...]:
    return tuple(GroupRef.from_json(g) for g in c.tuple_of_dicts(value))


def _kasm_ids(value: Any) -> tuple[str, ...]:
    return tuple(c.kasm_id(k.get("kasm_id")) or "" for k in c.tuple_of_dicts(value))


@dataclasses.dataclass(frozen=True, kw_only=True)
class User(Model):
    """A user. ``create_user``/``update_user``/``get_user``/``get_users`` return different subsets;
    fields an endpoint does not send keep their defaults. ``username`` comes back lower-cased."""

    user_id: str = _id()
    username: str = fld("", parse=lambda v: c.optional_str(v) or "")
    first_name: str | None = _str()
    last_name: str | None = _str()
    phone: str | None = _str()
    organization: str | None = _str()
    notes: str | None = _str()
    email: str | None = _str()
    city: str | None = _str()
    state: str | None = _str()
    country: str | None = _str()
    custom_attribute_1: str | None = _str()
    custom_attribute_2: str | None = _str()
    custom_attribute_3: str | None = _str()
    realm: str | None = _str()
    locked: bool = _bool()
    disabled: bool = _bool()
    anonymous: bool = _bool()
    two_factor: bool = _bool()
    program_id: str | None = _opt_id()
    last_session: datetime | None = _when()
    created: datetime | None = _when()
    password_set_date: datetime | None = _when()
    groups: tuple[GroupRef, ...] = fld((), parse=_group_refs)
    kasm_ids: tuple[str, ...] = fld((), parse=_kasm_ids, key="kasms")
    raw: dict[str, Any] = _raw()


@dataclasses.dataclass(frozen=True, kw_only=True)
class UserAttributes(Model):
    """A user's preferences (``get_attributes``)."""

    user_attributes_id: str | None = _opt_id()
    user_id: str = _id()
    default_image: str | None = _opt_id()
    show_tips: bool = _bool()
    auto_login_kasm: bool | None = fld(None, parse=c.optional_bool)
    toggle_control_panel: bool = _bool()
    chat_sfx: bool = _bool(True)
    ssh_public_key: str | None = _str()
    theme: str | None = _str()
    preferred_language: str | None = _str()
    preferred_timezone: str | None = _str()
    raw: dict[str, Any] = _raw()


# --- groups --------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, kw_only=True)
class Group(Model):
    """A group (``get_groups``, ``create_group``, ``update_group``). Lower ``priority`` wins."""

    group_id: str = _id()
    name: str = fld("", parse=lambda v: c.optional_str(v) or "")
    description: str | None = _str()
    priority: int = fld(4095, parse=c.to_int)
    is_system: bool = _bool()
    group_metadata: dict[str, Any] = _obj()
    program_data: dict[str, Any] = _obj()
    group_mappings: tuple[dict[str, Any], ...] = fld((), parse=c.tuple_of_dicts)
    raw: dict[str, Any] = _raw()


@dataclasses.dataclass(frozen=True, kw_only=True)
class GroupMember(Model):
    """A user in ``get_users_group`` (Kasm calls the username ``name`` there)."""

    user_id: str = _id()
    username: str = fld("", parse=lambda v: c.optional_str(v) or "", key="name")


@dataclasses.dataclass(frozen=True, kw_only=True)
class GroupImage(Model):
    """An image a group may launch (``get_images_group``)."""

    group_image_id: str | None = _opt_id()
    group_id: str = _id()
    image_id: str = _id()
    image_name: str | None = _str()
    group_name: str | None = _str()
    image_friendly_name: str | None = _str()
    image_src: str | None = _str()


@dataclasses.dataclass(frozen=True, kw_only=True)
class Permission(Model):
    """One of Kasm's permissions (``get_permissions``): ``friendly_name`` is what the admin UI
    shows (e.g. "Users View"), ``name`` the internal one (``JWT_AUTHORIZATION.USERS_VIEW``)."""

    permission_id: int = fld(0, parse=lambda v: c.optional_int(v) or 0)
    name: str | None = _str()
    friendly_name: str | None = _str()
    description: str | None = _str()

    @property
    def display_name(self) -> str:
        """The admin UI's name, else the internal one, else the number."""
        return self.friendly_name or self.name or str(self.permission_id)


@dataclasses.dataclass(frozen=True, kw_only=True)
class GroupPermission(Model):
    """A permission a group holds (``get_permissions_group``)."""

    group_permission_id: str | None = _opt_id()
    group_id: str | None = _opt_id()
    permission_id: int = fld(0, parse=lambda v: c.optional_int(v) or 0)
    permission_name: str | None = _str()
    permission_description: str | None = _str()


@dataclasses.dataclass(frozen=True, kw_only=True)
class GroupSetting(Model):
    """A group's setting (``get_settings_group``, ``add_settings_group``). Kasm stores every value
    as a string and types it by ``value_type``: ``bool`` ("true"/"True"), ``int``, ``float``,
    ``string``, ``json``, ``json_pass`` or ``usage_limit`` (JSON). The All Users group's settings
    are the defaults, the catalogue of setting names."""

    group_setting_id: str = _id()
    group_id: str | None = _opt_id()
    name: str = fld("", parse=lambda v: c.optional_str(v) or "")
    value: str = fld("", parse=lambda v: "" if v is None else v if isinstance(v, str) else str(v))
    value_type: str = fld("string", parse=lambda v: c.optional_str(v) or "string")
    description: str | None = _str()


# --- sessions ------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, kw_only=True)
class SessionImage(Model):
    image_id: str = _id()
    name: str | None = _str()
    friendly_name: str | None = _str()
    image_src: str | None = _str()
    session_time_limit: int | None = fld(None, parse=c.optional_int)


def _session_image(value: Any) -> SessionImage | None:
    return SessionImage.from_json(value) if isinstance(value, Mapping) and value else None


def _nested_username(value: Any) -> str | None:
    return c.optional_str(value.get("username")) if isinstance(value, Mapping) else None


@dataclasses.dataclass(frozen=True, kw_only=True)
class Session(Model):
    """A running or starting session ("kasm"): ``get_kasms``, ``get_kasm``, ``get_kasm_status``."""

    kasm_id: str = _id()
    user_id: str | None = _opt_id()
    image_id: str | None = _opt_id()
    server_id: str | None = _opt_id()
    username: str | None = fld(None, parse=_nested_username, key="user")
    operational_status: str | None = _str()
    operational_message: str | None = _str()
    operational_progress: int | None = fld(None, parse=c.optional_int)
    hostname: str | None = _str()
    host: str | None = _str()
    port: int | None = fld(None, parse=c.optional_int)
    container_id: str | None = _str()
    container_ip: str | None = _str()
    docker_network: str | None = _str()
    cores: float | None = fld(None, parse=c.optional_float)
    memory: int | None = fld(None, parse=c.optional_int)
    gpus: int | None = fld(None, parse=c.optional_int)
    share_id: str | None = _str()
    start_date: datetime | None = _when()
    created_date: datetime | None = _when()
    keepalive_date: datetime | None = _when()
    expiration_date: datetime | None = _when()
    is_persistent_profile: bool = _bool()
    persistent_profile_mode: str | None = _str()
    is_standby: bool = _bool()
    staging_config_id: str | None = _opt_id()
    cast_config_id: str | None = _opt_id()
    image: SessionImage | None = fld(None, parse=_session_image)
    client_settings: dict[str, Any] = fld(parse=c.dict_or_empty, factory=dict)
    # port_map entries can carry VNC credentials ("authorization").
    port_map: dict[str, Any] = fld(parse=c.dict_or_empty, factory=dict, secret=True)
    raw: dict[str, Any] = _raw()


@dataclasses.dataclass(frozen=True, kw_only=True)
class RequestedSession(Model):
    """The answer to ``request_kasm``. ``warning`` holds a non-fatal ``error_message`` such as
    "Failed to create Share ID" (the session exists nonetheless)."""

    kasm_id: str = _id()
    status: str | None = _str()
    user_id: str | None = _opt_id()
    username: str | None = _str()
    session_token: str | None = fld(None, parse=c.optional_str, secret=True)
    kasm_url: str | None = fld(None, parse=c.optional_str, secret=True)
    share_id: str | None = _str()
    warning: str | None = fld(None, parse=c.optional_str, key="error_message")
    raw: dict[str, Any] = _raw()


def _session(value: Any) -> Session | None:
    return Session.from_json(value) if isinstance(value, Mapping) and value else None


@dataclasses.dataclass(frozen=True, kw_only=True)
class SessionStatus(Model):
    """The answer to ``get_kasm_status``: ``kasm`` is set once the session is running; before that
    ``operational_status`` (``requested``, ``provisioning``, ``starting`` …) and ``message`` tell why."""

    operational_status: str | None = _str()
    operational_progress: int | None = fld(None, parse=c.optional_int)
    operational_message: str | None = _str()
    kasm: Session | None = fld(None, parse=_session)
    kasm_url: str | None = fld(None, parse=c.optional_str, secret=True)
    current_time: datetime | None = _when()
    message: str | None = fld(None, parse=c.optional_str, key="error_message")
    raw: dict[str, Any] = _raw()

    @property
    def status(self) -> str | None:
        if self.kasm is not None and self.kasm.operational_status:
            return self.kasm.operational_status
        return self.operational_status

    @property
    def running(self) -> bool:
        return self.status == "running"


@dataclasses.dataclass(frozen=True, kw_only=True)
class SessionToken(Model):
    """A login token for a user (``create_session_token`` …); the token itself is never shown."""

    session_token: str = fld("", parse=lambda v: c.optional_str(v) or "", secret=True)
    session_token_date: datetime | None = _when()
    expires_at: datetime | None = _when()
    session_jwt: str | None = fld(None, parse=c.optional_str, secret=True)
    raw: dict[str, Any] = _raw()


@dataclasses.dataclass(frozen=True, kw_only=True)
class SessionPermission(Model):
    """Who may see or control a shared session: ``access`` is ``r``, ``rw`` or ``rwo``."""

    session_permission_id: str | None = _opt_id()
    kasm_id: str = _id()
    user_id: str = _id()
    username: str | None = _str()
    access: str | None = _str()
    vnc_username: str | None = _str()
    raw: dict[str, Any] = _raw()


# --- registries, zones, cast and staging configs, licenses ---------------------------------------


@dataclasses.dataclass(frozen=True, kw_only=True)
class Registry(Model):
    """A workspace registry (``get_registries``)."""

    registry_id: str = _id()
    registry_url: str = fld("", parse=lambda v: c.optional_str(v) or "")
    do_auto_update: bool = _bool()
    schema_version: str | None = _str()
    is_verified: bool = _bool()
    channel: str | None = _str()
    override_schema: str | None = _str()
    config: dict[str, Any] = _obj()
    workspaces: tuple[dict[str, Any], ...] = fld((), parse=c.tuple_of_dicts)
    raw: dict[str, Any] = _raw()


@dataclasses.dataclass(frozen=True, kw_only=True)
class ZoneSpec(Model):
    """A deployment zone as sent to ``create_zone`` / ``update_zone`` (defaults are Kasm's)."""

    zone_name: str = fld("", parse=lambda v: c.optional_str(v) or "")
    load_strategy: str = fld("least_load", parse=lambda v: c.optional_str(v) or "least_load")
    prioritize_static_agents: bool = _bool(True)
    search_alternate_zones: bool = _bool(True)
    allow_origin_domain: str | None = fld("$request_host$", parse=c.optional_str)
    upstream_auth_address: str | None = fld("$request_host$", parse=c.optional_str)
    proxy_connections: bool = _bool(True)
    proxy_hostname: str | None = fld("$request_host$", parse=c.optional_str)
    proxy_path: str | None = fld("desktop", parse=c.optional_str)
    proxy_port: int = fld(443, parse=c.to_int)
    primary_manager_id: str | None = _opt_id()


@dataclasses.dataclass(frozen=True, kw_only=True)
class Zone(ZoneSpec):
    read_only: ClassVar[frozenset[str]] = frozenset({"zone_id", "num_kasms"})

    zone_id: str = _id()
    num_kasms: int | None = fld(None, parse=c.optional_int)
    raw: dict[str, Any] = _raw()

    def to_spec(self) -> ZoneSpec:
        return ZoneSpec(**{f.name: getattr(self, f.name) for f in dataclasses.fields(ZoneSpec)})


@dataclasses.dataclass(frozen=True, kw_only=True)
class CastConfigSpec(Model):
    """A casting (kiosk link) configuration as sent to ``create_cast_config`` / ``update_cast_config``."""

    key: str = fld("", parse=lambda v: c.optional_str(v) or "")
    casting_config_name: str | None = _str()
    image_id: str | None = _opt_id()
    group_id: str | None = _opt_id()
    allowed_referrers: tuple[str, ...] = fld((), parse=c.string_list)
    limit_sessions: bool = _bool()
    session_remaining: int = fld(0, parse=c.to_int)
    limit_ips: bool = _bool()
    ip_request_limit: int = fld(0, parse=c.to_int)
    ip_request_seconds: int = fld(0, parse=c.to_int)
    error_url: str | None = _str()
    enable_sharing: bool = _bool()
    disable_control_panel: bool = _bool()
    disable_tips: bool = _bool()
    disable_fixed_res: bool = _bool()
    allow_anonymous: bool = _bool()
    require_recaptcha: bool = _bool()
    kasm_url: str | None = _str()
    dynamic_kasm_url: bool = _bool()
    dynamic_docker_network: bool = _bool()
    allow_resume: bool = _bool()
    enforce_client_settings: bool = _bool()
    allow_kasm_audio: bool = _bool()
    allow_kasm_uploads: bool = _bool()
    allow_kasm_downloads: bool = _bool()
    allow_kasm_clipboard_down: bool = _bool()
    allow_kasm_clipboard_up: bool = _bool()
    allow_kasm_microphone: bool = _bool()
    allow_kasm_sharing: bool = _bool()
    allow_kasm_gamepad: bool = _bool()
    allow_kasm_webcam: bool = _bool()
    allow_kasm_printing: bool = _bool()
    kasm_audio_default_on: bool = _bool()
    kasm_ime_mode_default_on: bool = _bool()
    valid_until: datetime | None = _when()
    remote_app_configs: dict[str, Any] = fld(parse=c.json_object, dump=c.json_string, factory=dict)


@dataclasses.dataclass(frozen=True, kw_only=True)
class CastConfig(CastConfigSpec):
    read_only: ClassVar[frozenset[str]] = frozenset({"cast_config_id", "image_friendly_name", "group_name"})

    cast_config_id: str = _id()
    image_friendly_name: str | None = _str()
    group_name: str | None = _str()
    raw: dict[str, Any] = _raw()

    def to_spec(self) -> CastConfigSpec:
        return CastConfigSpec(**{f.name: getattr(self, f.name) for f in dataclasses.fields(CastConfigSpec)})


@dataclasses.dataclass(frozen=True, kw_only=True)
class StagingConfigSpec(Model):
    """Pre-warmed sessions for an image in a zone (``create_staging_config``). ``expiration`` is
    Kasm's float as stored (its unit is not documented; see reference §4.18)."""

    zone_id: str = _id()
    image_id: str = _id()
    num_sessions: int = fld(0, parse=c.to_int)
    expiration: float = fld(0.0, parse=c.to_float)
    server_pool_id: str | None = _opt_id()
    autoscale_config_id: str | None = _opt_id()
    allow_kasm_audio: bool = _bool()
    allow_kasm_uploads: bool = _bool()
    allow_kasm_downloads: bool = _bool()
    allow_kasm_clipboard_down: bool = _bool()
    allow_kasm_clipboard_up: bool = _bool()
    allow_kasm_microphone: bool = _bool()
    allow_kasm_gamepad: bool = _bool()
    allow_kasm_webcam: bool = _bool()
    allow_kasm_printing: bool = _bool()


@dataclasses.dataclass(frozen=True, kw_only=True)
class StagingConfig(StagingConfigSpec):
    read_only: ClassVar[frozenset[str]] = frozenset(
        {
            "staging_config_id",
            "zone_name",
            "image_friendly_name",
            "num_current_sessions",
            "server_pool_name",
            "autoscale_config_name",
        }
    )

    staging_config_id: str = _id()
    zone_name: str | None = _str()
    image_friendly_name: str | None = _str()
    num_current_sessions: int = fld(0, parse=c.to_int)
    server_pool_name: str | None = _str()
    autoscale_config_name: str | None = _str()
    raw: dict[str, Any] = _raw()

    def to_spec(self) -> StagingConfigSpec:
        return StagingConfigSpec(
            **{f.name: getattr(self, f.name) for f in dataclasses.fields(StagingConfigSpec)}
        )


@dataclasses.dataclass(frozen=True, kw_only=True)
class License(Model):
    """An installed license (``get_licenses``, ``add_license``, ``activate``)."""

    license_id: str = _id()
    expiration: datetime | None = _when()
    issued_at: datetime | None = _when()
    issued_to: str | None = _str()
    limit: int | None = fld(None, parse=c.optional_int)
    is_verified: bool = _bool()
    license_type: str | None = _str()
    features: dict[str, Any] = fld(parse=c.dict_or_empty, factory=dict)
    sku: str | None = _str()
    raw: dict[str, Any] = _raw()
