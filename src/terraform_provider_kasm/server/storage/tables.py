"""Storage models: the database tables (kept apart from the API's input/output models).

Ids are stored as 32-char lowercase hex (Kasm's `uuid.hex`); datetimes are naive UTC, like Kasm's.
Foreign keys cascade, so deleting a user, group or image removes its memberships, authorisations,
settings, tokens and sessions (SQLite has `PRAGMA foreign_keys=ON`, see `db.py`).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def new_id() -> str:
    return uuid.uuid4().hex


def utcnow() -> datetime:
    """Naive UTC, as Kasm's `datetime.utcnow()`."""
    return datetime.now(UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


ID = String(32)


class ApiConfig(Base):
    """A Developer API key (`model.Api`); the secret is kept only as a salted sha256."""

    __tablename__ = "api_configs"
    api_id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(255), unique=True)
    api_key: Mapped[str] = mapped_column(String(64), unique=True)
    api_key_secret_hash: Mapped[str] = mapped_column(String(128))
    salt: Mapped[str] = mapped_column(String(64))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    read_only: Mapped[bool] = mapped_column(Boolean, default=False)
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_used: Mapped[datetime | None] = mapped_column(DateTime)
    expires: Mapped[datetime | None] = mapped_column(DateTime)


class Group(Base):
    __tablename__ = "groups"
    group_id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    # Not unique in the schema: Kasm checks names on create only (update may duplicate them).
    name: Mapped[str] = mapped_column(String(255), index=True)
    is_system: Mapped[bool] = mapped_column(Boolean, default=False)
    description: Mapped[str | None] = mapped_column(Text)
    priority: Mapped[int] = mapped_column(Integer, default=4095)
    program_data: Mapped[Any] = mapped_column(JSON, default=dict)
    group_metadata: Mapped[Any] = mapped_column(JSON, default=dict)


class User(Base):
    __tablename__ = "users"
    user_id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    # Stored stripped and lower-cased, so uniqueness is case-insensitive.
    username: Mapped[str] = mapped_column(String(255), unique=True)
    pw_hash: Mapped[str] = mapped_column(String(128))
    salt: Mapped[str] = mapped_column(String(64))
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    failed_pw_attempts: Mapped[int] = mapped_column(Integer, default=0)
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    realm: Mapped[str] = mapped_column(String(32), default="local")
    first_name: Mapped[str | None] = mapped_column(String(64))
    last_name: Mapped[str | None] = mapped_column(String(64))
    phone: Mapped[str | None] = mapped_column(String(64))
    organization: Mapped[str | None] = mapped_column(String(64))
    notes: Mapped[str | None] = mapped_column(Text)
    city: Mapped[str | None] = mapped_column(String(255))
    state: Mapped[str | None] = mapped_column(String(255))
    country: Mapped[str | None] = mapped_column(String(255))
    email: Mapped[str | None] = mapped_column(String(255))
    custom_attribute_1: Mapped[str | None] = mapped_column(String(255))
    custom_attribute_2: Mapped[str | None] = mapped_column(String(255))
    custom_attribute_3: Mapped[str | None] = mapped_column(String(255))
    program_id: Mapped[str | None] = mapped_column(ID)
    company_id: Mapped[str | None] = mapped_column(ID)
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    password_set_date: Mapped[datetime | None] = mapped_column(DateTime)
    # Kasm's `session_date`, shown as `last_session`.
    last_session: Mapped[datetime | None] = mapped_column(DateTime)

    memberships: Mapped[list[UserGroup]] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )


class UserGroup(Base):
    __tablename__ = "user_groups"
    __table_args__ = (UniqueConstraint("user_id", "group_id"),)
    user_group_id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ID, ForeignKey("users.user_id", ondelete="CASCADE"), index=True)
    group_id: Mapped[str] = mapped_column(ID, ForeignKey("groups.group_id", ondelete="CASCADE"), index=True)

    user: Mapped[User] = relationship(back_populates="memberships")
    group: Mapped[Group] = relationship()


class UserAttributes(Base):
    __tablename__ = "user_attributes"
    user_attributes_id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(
        ID, ForeignKey("users.user_id", ondelete="CASCADE"), unique=True, index=True
    )
    default_image: Mapped[str | None] = mapped_column(ID)
    show_tips: Mapped[bool] = mapped_column(Boolean, default=False)
    auto_login_kasm: Mapped[bool | None] = mapped_column(Boolean)
    toggle_control_panel: Mapped[bool] = mapped_column(Boolean, default=False)
    theme: Mapped[str] = mapped_column(String(32), default="Auto")
    chat_sfx: Mapped[bool] = mapped_column(Boolean, default=True)
    # Generated on first read (RSA generation is too slow to do on every create_user).
    ssh_public_key: Mapped[str | None] = mapped_column(Text)
    ssh_private_key: Mapped[str | None] = mapped_column(Text)
    preferred_language: Mapped[str] = mapped_column(String(64), default="Auto")
    preferred_timezone: Mapped[str] = mapped_column(String(64), default="Auto")


class GroupPermission(Base):
    """A permission held by a group or (when `api_id` is set) by an API key."""

    __tablename__ = "group_permissions"
    group_permission_id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    permission_id: Mapped[int] = mapped_column(Integer)
    group_id: Mapped[str | None] = mapped_column(
        ID, ForeignKey("groups.group_id", ondelete="CASCADE"), index=True
    )
    api_id: Mapped[str | None] = mapped_column(
        ID, ForeignKey("api_configs.api_id", ondelete="CASCADE"), index=True
    )


class GroupSetting(Base):
    """A group setting; the All Users group's rows are the defaults (the catalogue of names)."""

    __tablename__ = "group_settings"
    group_setting_id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    group_id: Mapped[str] = mapped_column(ID, ForeignKey("groups.group_id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(255))
    value: Mapped[str | None] = mapped_column(Text)
    value_type: Mapped[str] = mapped_column(String(32))
    description: Mapped[str | None] = mapped_column(Text)


class Zone(Base):
    __tablename__ = "zones"
    zone_id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    zone_name: Mapped[str] = mapped_column(String(255), unique=True)
    allow_origin_domain: Mapped[str | None] = mapped_column(String(255), default="$request_host$")
    upstream_auth_address: Mapped[str | None] = mapped_column(String(255), default="$request_host$")
    proxy_connections: Mapped[bool] = mapped_column(Boolean, default=True)
    proxy_hostname: Mapped[str | None] = mapped_column(String(255), default="$request_host$")
    proxy_path: Mapped[str | None] = mapped_column(String(255), default="desktop")
    proxy_port: Mapped[int] = mapped_column(Integer, default=443)
    load_strategy: Mapped[str] = mapped_column(String(64), default="least_load")
    prioritize_static_agents: Mapped[bool] = mapped_column(Boolean, default=True)
    search_alternate_zones: Mapped[bool] = mapped_column(Boolean, default=True)
    #: The zone of this server's one (simulated) manager and agent, as a Kasm install's first zone.
    local_manager: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class Image(Base):
    __tablename__ = "images"
    image_id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    cores: Mapped[float] = mapped_column(Float, default=1.0)
    description: Mapped[str | None] = mapped_column(Text)
    docker_registry: Mapped[str | None] = mapped_column(String(255))
    docker_token: Mapped[str | None] = mapped_column(Text)
    docker_user: Mapped[str | None] = mapped_column(String(255))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    friendly_name: Mapped[str | None] = mapped_column(String(255))
    hash: Mapped[str | None] = mapped_column(String(255))
    memory: Mapped[int] = mapped_column(BigInteger, default=768000000)
    name: Mapped[str | None] = mapped_column(String(255))
    x_res: Mapped[int] = mapped_column(Integer, default=800)
    y_res: Mapped[int] = mapped_column(Integer, default=600)
    restrict_to_network: Mapped[bool] = mapped_column(Boolean, default=False)
    restrict_network_names: Mapped[Any] = mapped_column(JSON, default=list)
    restrict_to_server: Mapped[bool] = mapped_column(Boolean, default=False)
    server_id: Mapped[str | None] = mapped_column(ID)
    volume_mappings: Mapped[Any] = mapped_column(JSON, default=dict)
    run_config: Mapped[Any] = mapped_column(JSON, default=dict)
    exec_config: Mapped[Any] = mapped_column(JSON, default=dict)
    launch_config: Mapped[Any] = mapped_column(JSON, default=dict)
    connection_info: Mapped[Any] = mapped_column(JSON, nullable=True)
    image_src: Mapped[str | None] = mapped_column(String(255))
    # `available` turns true once this time has passed (a simulated docker pull); null = never.
    available_at: Mapped[datetime | None] = mapped_column(DateTime)
    restrict_to_zone: Mapped[bool] = mapped_column(Boolean, default=False)
    zone_id: Mapped[str | None] = mapped_column(ID, ForeignKey("zones.zone_id", ondelete="SET NULL"))
    persistent_profile_path: Mapped[str | None] = mapped_column(String(255))
    filter_policy_id: Mapped[str | None] = mapped_column(ID)
    filter_policy_force_disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    session_time_limit: Mapped[int | None] = mapped_column(Integer)
    categories: Mapped[Any] = mapped_column(JSON, default=list)
    allow_network_selection: Mapped[bool] = mapped_column(Boolean, default=False)
    require_gpu: Mapped[bool] = mapped_column(Boolean, default=False)
    gpu_count: Mapped[int] = mapped_column(Integer, default=0)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[str | None] = mapped_column(Text)
    image_type: Mapped[str] = mapped_column(String(32), default="Container")
    server_pool_id: Mapped[str | None] = mapped_column(ID)
    link_url: Mapped[str | None] = mapped_column(String(255))
    cpu_allocation_method: Mapped[str] = mapped_column(String(32), default="Inherit")
    uncompressed_size_mb: Mapped[int] = mapped_column(Integer, default=0)
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    zone: Mapped[Zone | None] = relationship()


class GroupImage(Base):
    """Authorises a group's users to launch an image; one link per (group, image) pair (Kasm 1.15 stores
    a second add as a duplicate row; refused here, see DESIGN.md)."""

    __tablename__ = "group_images"
    __table_args__ = (UniqueConstraint("group_id", "image_id", name="uq_group_images_group_id_image_id"),)
    group_image_id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    group_id: Mapped[str] = mapped_column(ID, ForeignKey("groups.group_id", ondelete="CASCADE"), index=True)
    image_id: Mapped[str] = mapped_column(ID, ForeignKey("images.image_id", ondelete="CASCADE"), index=True)

    group: Mapped[Group] = relationship()
    image: Mapped[Image] = relationship()


class SessionToken(Base):
    __tablename__ = "session_tokens"
    session_token_id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ID, ForeignKey("users.user_id", ondelete="CASCADE"), index=True)
    session_token_date: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime)


class Kasm(Base):
    """A session ("kasm"). The sessions area owns its behaviour; users/images need it for cascades."""

    __tablename__ = "kasms"
    kasm_id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ID, ForeignKey("users.user_id", ondelete="CASCADE"), index=True)
    image_id: Mapped[str] = mapped_column(ID, ForeignKey("images.image_id", ondelete="CASCADE"), index=True)
    zone_id: Mapped[str | None] = mapped_column(ID, ForeignKey("zones.zone_id", ondelete="SET NULL"))
    server_id: Mapped[str | None] = mapped_column(ID)
    container_id: Mapped[str | None] = mapped_column(String(255))
    container_ip: Mapped[str | None] = mapped_column(String(64))
    docker_network: Mapped[str | None] = mapped_column(String(255))
    cores: Mapped[float] = mapped_column(Float, default=1.0)
    memory: Mapped[int] = mapped_column(BigInteger, default=768000000)
    gpus: Mapped[int] = mapped_column(Integer, default=0)
    hostname: Mapped[str | None] = mapped_column(String(255))
    host: Mapped[str | None] = mapped_column(String(255))
    port: Mapped[int | None] = mapped_column(Integer)
    share_id: Mapped[str | None] = mapped_column(String(16))
    operational_status: Mapped[str] = mapped_column(String(32), default="requested")
    operational_message: Mapped[str | None] = mapped_column(Text)
    operational_progress: Mapped[int] = mapped_column(Integer, default=0)
    start_date: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_date: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    keepalive_date: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expiration_date: Mapped[datetime | None] = mapped_column(DateTime)
    is_persistent_profile: Mapped[bool] = mapped_column(Boolean, default=False)
    persistent_profile_mode: Mapped[str | None] = mapped_column(String(32))
    is_standby: Mapped[bool] = mapped_column(Boolean, default=False)
    staging_config_id: Mapped[str | None] = mapped_column(ID)
    cast_config_id: Mapped[str | None] = mapped_column(ID)
    autoscale_config_id: Mapped[str | None] = mapped_column(ID)
    connection_proxy_id: Mapped[str | None] = mapped_column(ID)
    connection_info: Mapped[Any] = mapped_column(JSON, nullable=True)
    connection_credential: Mapped[str | None] = mapped_column(Text)
    queued_tasks: Mapped[Any] = mapped_column(JSON, default=list)
    environment: Mapped[Any] = mapped_column(JSON, default=dict)
    # A transition in progress (e.g. starting → running): `operational_status` becomes `phase_target`
    # once `phase_ends_at` has passed. Applied lazily when the session is read (no background work).
    phase_target: Mapped[str | None] = mapped_column(String(32))
    phase_started_at: Mapped[datetime | None] = mapped_column(DateTime)
    phase_ends_at: Mapped[datetime | None] = mapped_column(DateTime)

    user: Mapped[User] = relationship()
    image: Mapped[Image] = relationship()
    zone: Mapped[Zone | None] = relationship()


class Registry(Base):
    """A workspace registry (`get_registries`)."""

    __tablename__ = "registries"
    registry_id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    registry_url: Mapped[str] = mapped_column(String(255), unique=True)
    do_auto_update: Mapped[bool] = mapped_column(Boolean, default=True)
    schema_version: Mapped[str] = mapped_column(String(16), default="1.0")
    is_verified: Mapped[bool] = mapped_column(Boolean, default=True)
    config: Mapped[Any] = mapped_column(JSON, default=dict)
    workspaces: Mapped[Any] = mapped_column(JSON, default=list)
    # Sent by newer Kasm clients on create_registry (1.15 ignores them); kept and listed.
    channel: Mapped[str | None] = mapped_column(String(64))
    override_schema: Mapped[str | None] = mapped_column(Text)


class SessionPermission(Base):
    """Who may view or control a shared session (`r`, `rw`, `rwo`); one row per (session, user)."""

    __tablename__ = "session_permissions"
    __table_args__ = (UniqueConstraint("kasm_id", "user_id"),)
    session_permission_id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    kasm_id: Mapped[str] = mapped_column(ID, ForeignKey("kasms.kasm_id", ondelete="CASCADE"), index=True)
    user_id: Mapped[str] = mapped_column(ID, ForeignKey("users.user_id", ondelete="CASCADE"), index=True)
    access: Mapped[str] = mapped_column(String(8), default="r")
    vnc_username: Mapped[str] = mapped_column(String(64))
    vnc_password: Mapped[str] = mapped_column(String(64))

    user: Mapped[User] = relationship()


class CastConfig(Base):
    """A casting link (`/#/cast/<key>`)."""

    __tablename__ = "cast_configs"
    cast_config_id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    casting_config_name: Mapped[str | None] = mapped_column(String(255), unique=True)
    key: Mapped[str] = mapped_column(String(255), unique=True)
    image_id: Mapped[str | None] = mapped_column(ID, ForeignKey("images.image_id", ondelete="CASCADE"))
    group_id: Mapped[str | None] = mapped_column(ID, ForeignKey("groups.group_id", ondelete="SET NULL"))
    # Every other field of Kasm's cast config (flags, limits, URLs), as sent.
    options: Mapped[Any] = mapped_column(JSON, default=dict)

    image: Mapped[Image | None] = relationship()
    group: Mapped[Group | None] = relationship()


class StagingConfig(Base):
    """Pre-warmed (standby) sessions of an image in a zone."""

    __tablename__ = "staging_configs"
    __table_args__ = (UniqueConstraint("zone_id", "image_id"),)
    staging_config_id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    zone_id: Mapped[str] = mapped_column(ID, ForeignKey("zones.zone_id", ondelete="CASCADE"))
    image_id: Mapped[str] = mapped_column(ID, ForeignKey("images.image_id", ondelete="CASCADE"))
    num_sessions: Mapped[int] = mapped_column(Integer, default=0)
    expiration: Mapped[float] = mapped_column(Float, default=0.0)
    server_pool_id: Mapped[str | None] = mapped_column(ID)
    autoscale_config_id: Mapped[str | None] = mapped_column(ID)
    # The allow_kasm_* flags (null = inherit from the group settings).
    options: Mapped[Any] = mapped_column(JSON, default=dict)

    zone: Mapped[Zone] = relationship()
    image: Mapped[Image] = relationship()


class License(Base):
    __tablename__ = "licenses"
    license_id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    license_key: Mapped[str] = mapped_column(Text)
    expiration: Mapped[datetime | None] = mapped_column(DateTime)
    issued_at: Mapped[datetime | None] = mapped_column(DateTime)
    issued_to: Mapped[str | None] = mapped_column(String(255))
    limit: Mapped[int] = mapped_column(Integer, default=0)
    is_verified: Mapped[bool] = mapped_column(Boolean, default=False)
    license_type: Mapped[str] = mapped_column(String(64))
    features: Mapped[Any] = mapped_column(JSON, default=dict)
    sku: Mapped[str | None] = mapped_column(String(64))
