"""First-start data: Kasm's built-in groups and default settings, the default zone and registry, a small
catalogue of real Kasm workspace images, an admin user and a full-permission API key."""

from __future__ import annotations

import secrets
import string
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from .constants import ADMINISTRATORS_GROUP_ID, ALL_USERS_GROUP_ID, DEFAULT_REGISTRY_URL
from .hashing import hash_secret
from .permissions import ALL_PERMISSION_IDS, Permission
from .settings import ServerSettings
from .storage.db import Database
from .storage.tables import (
    ApiConfig,
    Group,
    GroupPermission,
    GroupSetting,
    Image,
    Registry,
    User,
    UserAttributes,
    UserGroup,
    Zone,
    new_id,
    utcnow,
)

ADMIN_USERNAME = "admin@kasm.local"
SEED_API_KEY_NAME = "local-admin"
KASM_VERSION_TAG = "1.16.0"

# (name, default value, value_type, description): the All Users group's settings are Kasm's defaults and
# the catalogue `add_settings_group` copies from.
DEFAULT_GROUP_SETTINGS: list[tuple[str, str, str, str]] = [
    ("allow_kasm_audio", "true", "bool", "Allow audio streaming from sessions."),
    ("allow_kasm_clipboard_down", "true", "bool", "Allow copying from the session to the local clipboard."),
    ("allow_kasm_clipboard_up", "true", "bool", "Allow pasting from the local clipboard into the session."),
    ("allow_kasm_clipboard_seamless", "true", "bool", "Seamless clipboard integration."),
    ("allow_kasm_downloads", "true", "bool", "Allow downloading files from sessions."),
    ("allow_kasm_uploads", "true", "bool", "Allow uploading files to sessions."),
    ("allow_kasm_microphone", "false", "bool", "Allow microphone passthrough."),
    ("allow_kasm_gamepad", "false", "bool", "Allow gamepad passthrough."),
    ("allow_kasm_webcam", "false", "bool", "Allow webcam passthrough."),
    ("allow_kasm_printing", "false", "bool", "Allow printing from sessions."),
    ("allow_kasm_sharing", "false", "bool", "Allow users to share their sessions."),
    ("allow_kasm_delete", "true", "bool", "Allow users to delete their sessions."),
    ("allow_kasm_stop", "false", "bool", "Allow users to stop their sessions."),
    ("allow_kasm_pause", "false", "bool", "Allow users to pause their sessions."),
    ("allow_persistent_profile", "false", "bool", "Allow persistent profiles."),
    ("allow_zone_selection", "false", "bool", "Allow users to select the deployment zone."),
    ("allow_point_of_presence", "false", "bool", "Allow point of presence selection."),
    ("auto_add_local_users", "false", "bool", "Add new local users to this group automatically."),
    ("auto_login_to_kasm", "false", "bool", "Launch the default image when the user logs in."),
    ("default_image", "", "string", "The image launched by default."),
    ("enable_webp", "true", "bool", "Use WebP image compression."),
    ("idle_disconnect", "20", "float", "Minutes of inactivity before the session disconnects."),
    ("kasm_audio_default_on", "true", "bool", "Audio is on when a session starts."),
    ("kasm_ime_mode_default_on", "false", "bool", "IME mode is on when a session starts."),
    ("keepalive_expiration", "3600", "int", "Seconds a session lives without a keepalive."),
    ("keepalive_interval", "10", "int", "Minutes between automatic keepalives."),
    ("lock_sharing_video_mode", "true", "bool", "Lock the video mode of shared sessions."),
    ("max_kasms_per_user", "2", "int", "Maximum concurrent sessions per user (0 blocks all)."),
    ("password_expires", "0", "int", "Days until passwords expire (0 never)."),
    ("record_sessions", "false", "bool", "Record sessions."),
    ("require_2fa", "false", "bool", "Require two-factor authentication."),
    ("session_time_limit", "86400", "int", "Maximum session lifetime in seconds."),
    ("shared_session_full_control", "false", "bool", "Viewers of shared sessions get full control."),
    ("show_disabled_images", "false", "bool", "Show disabled images on the dashboard."),
    ("usage_limit", "", "usage_limit", "Usage limit (licensed feature)."),
    ("web_filter_policy", "", "string", "The web filter policy applied to sessions."),
    ("metadata", "{}", "json", "Free-form metadata."),
]

# Real Kasm workspace images (registry.kasmweb.com), as `create_image` would store them.
SEED_IMAGES: list[dict[str, object]] = [
    {
        "name": f"kasmweb/terminal:{KASM_VERSION_TAG}",
        "friendly_name": "Terminal",
        "description": "A terminal window with common command-line tools.",
        "cores": 1.0,
        "memory": 1024000000,
        "image_src": "img/thumbnails/terminal.png",
        "categories": ["Development"],
        "uncompressed_size_mb": 2050,
    },
    {
        "name": f"kasmweb/chrome:{KASM_VERSION_TAG}",
        "friendly_name": "Chrome",
        "description": "Google Chrome is a cross-platform web browser developed by Google.",
        "cores": 2.0,
        "memory": 2768000000,
        "image_src": "img/thumbnails/chrome.png",
        "categories": ["Browser"],
        "uncompressed_size_mb": 2970,
    },
    {
        "name": f"kasmweb/firefox:{KASM_VERSION_TAG}",
        "friendly_name": "Firefox",
        "description": "Mozilla Firefox is a free and open-source web browser.",
        "cores": 2.0,
        "memory": 2768000000,
        "image_src": "img/thumbnails/firefox.png",
        "categories": ["Browser"],
        "uncompressed_size_mb": 2750,
    },
    {
        "name": f"kasmweb/ubuntu-jammy-desktop:{KASM_VERSION_TAG}",
        "friendly_name": "Ubuntu Jammy",
        "description": "Ubuntu 22.04 desktop with productivity and development tools.",
        "cores": 2.0,
        "memory": 2768000000,
        "image_src": "img/thumbnails/ubuntu-jammy.png",
        "categories": ["Desktop"],
        "uncompressed_size_mb": 9800,
    },
    {
        "name": f"kasmweb/vs-code:{KASM_VERSION_TAG}",
        "friendly_name": "Visual Studio Code",
        "description": "Visual Studio Code is a code editor redefined and optimised for building apps.",
        "cores": 2.0,
        "memory": 2768000000,
        "image_src": "img/thumbnails/vs-code.png",
        "categories": ["Development"],
        "uncompressed_size_mb": 3450,
    },
    {
        "name": f"kasmweb/brave:{KASM_VERSION_TAG}",
        "friendly_name": "Brave",
        "description": "Brave is a free and open-source web browser focused on privacy.",
        "cores": 2.0,
        "memory": 2768000000,
        "image_src": "img/thumbnails/brave.png",
        "categories": ["Browser"],
        "uncompressed_size_mb": 2900,
    },
    {
        "name": f"kasmweb/edge:{KASM_VERSION_TAG}",
        "friendly_name": "Microsoft Edge",
        "description": "Microsoft Edge is a cross-platform web browser developed by Microsoft.",
        "cores": 2.0,
        "memory": 2768000000,
        "image_src": "img/thumbnails/edge.png",
        "categories": ["Browser"],
        "uncompressed_size_mb": 3100,
    },
    {
        "name": f"kasmweb/libre-office:{KASM_VERSION_TAG}",
        "friendly_name": "LibreOffice",
        "description": "LibreOffice is a free and open-source office suite.",
        "cores": 2.0,
        "memory": 2768000000,
        "image_src": "img/thumbnails/libre-office.png",
        "categories": ["Productivity"],
        "uncompressed_size_mb": 3300,
    },
]


@dataclass
class SeedResult:
    """The seeded API key. `api_secret` is set only when it was given or just generated."""

    api_key: str | None = None
    api_secret: str | None = None
    generated: bool = False


def _random_text(length: int) -> str:
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(length))


def seed(database: Database, settings: ServerSettings) -> SeedResult:
    with database.session(write=True) as db:
        if db.get(Group, ALL_USERS_GROUP_ID) is None:
            _seed_catalogue(db)
        result = _seed_api_key(db, settings)
        db.commit()
    return result


def _seed_catalogue(db: Session) -> None:
    now = utcnow()
    system_groups = [
        (ALL_USERS_GROUP_ID, "All Users", "The default group for every user.", 4095),
        (ADMINISTRATORS_GROUP_ID, "Administrators", "Administrators of the deployment (Global Admin).", 1),
    ]
    db.add_all(
        Group(group_id=group_id, name=name, is_system=True, description=description, priority=priority)
        for group_id, name, description, priority in system_groups
    )
    db.flush()
    db.add_all(
        [
            GroupPermission(group_id=ALL_USERS_GROUP_ID, permission_id=int(Permission.USER)),
            GroupPermission(group_id=ADMINISTRATORS_GROUP_ID, permission_id=int(Permission.GLOBAL_ADMIN)),
            GroupPermission(group_id=ADMINISTRATORS_GROUP_ID, permission_id=int(Permission.USER)),
        ]
    )
    db.add_all(
        GroupSetting(group_id=ALL_USERS_GROUP_ID, name=n, value=v, value_type=t, description=d)
        for n, v, t, d in DEFAULT_GROUP_SETTINGS
    )
    db.add(Zone(zone_name="default", local_manager=True))
    db.add(
        Registry(
            registry_url=DEFAULT_REGISTRY_URL,
            do_auto_update=True,
            schema_version="1.0",
            is_verified=True,
            config={
                "name": "Kasm Technologies",
                "icon": "https://registry.kasmweb.com/1.0/logo.png",
                "description": "The official Kasm Workspaces registry.",
                "list_url": "https://registry.kasmweb.com/1.0/list.json",
                "contact_url": "https://kasmweb.com",
            },
            workspaces=[],
        )
    )
    for spec in SEED_IMAGES:
        image = Image(
            image_id=new_id(),
            docker_registry="https://index.docker.io/v1/",
            enabled=True,
            x_res=800,
            y_res=600,
            restrict_network_names=[],
            volume_mappings={},
            run_config={"hostname": "kasm"},
            exec_config={},
            launch_config={},
            available_at=now,
            image_type="Container",
            cpu_allocation_method="Inherit",
            **spec,
        )
        # No group is authorised for the seeded images (reference §5: images are not linked to All
        # Users by default): a session needs a group -> image authorisation, as on a real Kasm.
        db.add(image)
    salt = new_id()
    admin = User(
        username=ADMIN_USERNAME,
        pw_hash=hash_secret(_random_text(32), salt),
        salt=salt,
        realm="local",
        first_name="Administrator",
        password_set_date=now,
    )
    db.add(admin)
    db.flush()
    db.add_all(
        [
            UserGroup(user_id=admin.user_id, group_id=ALL_USERS_GROUP_ID),
            UserGroup(user_id=admin.user_id, group_id=ADMINISTRATORS_GROUP_ID),
            UserAttributes(user_id=admin.user_id),
        ]
    )


def _seed_api_key(db: Session, settings: ServerSettings) -> SeedResult:
    if settings.api_key and settings.api_secret:
        api = db.scalar(select(ApiConfig).where(ApiConfig.api_key == settings.api_key))
        if api is None:
            taken = db.scalar(select(ApiConfig).where(ApiConfig.name == SEED_API_KEY_NAME)) is not None
            name = f"{SEED_API_KEY_NAME}-{settings.api_key}" if taken else SEED_API_KEY_NAME
            api = _new_api_config(db, name, settings.api_key, settings.api_secret)
        else:
            api.salt = new_id()
            api.api_key_secret_hash = hash_secret(settings.api_secret, api.salt)
            api.enabled, api.read_only, api.expires = True, False, None
            _grant_all(db, api)
        return SeedResult(api_key=api.api_key, api_secret=settings.api_secret)
    api = db.scalar(select(ApiConfig).where(ApiConfig.name == SEED_API_KEY_NAME))
    if api is not None and settings.reset_api_key:
        # A lost secret: same key id (configurations keep it), a new secret, shown once like the first.
        secret = _random_text(32)
        api.salt = new_id()
        api.api_key_secret_hash = hash_secret(secret, api.salt)
        api.enabled, api.read_only, api.expires = True, False, None
        _grant_all(db, api)
        return SeedResult(api_key=api.api_key, api_secret=secret, generated=True)
    if api is not None:
        return SeedResult(api_key=api.api_key)
    key, secret = _random_text(12), _random_text(32)
    _new_api_config(db, SEED_API_KEY_NAME, key, secret)
    return SeedResult(api_key=key, api_secret=secret, generated=True)


def _new_api_config(db: Session, name: str, key: str, secret: str) -> ApiConfig:
    salt = new_id()
    api = ApiConfig(name=name, api_key=key, api_key_secret_hash=hash_secret(secret, salt), salt=salt)
    db.add(api)
    db.flush()
    _grant_all(db, api)
    return api


def _grant_all(db: Session, api: ApiConfig) -> None:
    """Every permission, User and Users Auth Session included (Global Admin alone grants neither User)."""
    held = set(db.scalars(select(GroupPermission.permission_id).where(GroupPermission.api_id == api.api_id)))
    db.add_all(GroupPermission(api_id=api.api_id, permission_id=p) for p in sorted(ALL_PERMISSION_IDS - held))
