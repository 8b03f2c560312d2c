"""Kasm's permission ids (the API-key / group "Permissions" tab) and the rule that grants them."""

from __future__ import annotations

from collections.abc import Iterable
from enum import IntEnum


class Permission(IntEnum):
    """`JWT_AUTHORIZATION` in Kasm 1.15, with the same numeric ids."""

    USER = 100
    GLOBAL_ADMIN = 200
    USERS_VIEW = 300
    USERS_MODIFY = 301
    USERS_CREATE = 302
    USERS_DELETE = 303
    USERS_MODIFY_ADMIN = 351
    USERS_AUTH_SESSION = 352
    GROUPS_VIEW = 400
    GROUPS_MODIFY = 401
    GROUPS_CREATE = 402
    GROUPS_DELETE = 403
    GROUPS_VIEW_IFMEMBER = 420
    GROUPS_MODIFY_IFMEMBER = 421
    GROUPS_VIEW_SYSTEM = 440
    GROUPS_MODIFY_SYSTEM = 441
    GROUPS_DELETE_SYSTEM = 443
    AGENTS_VIEW = 500
    AGENTS_MODIFY = 501
    AGENTS_CREATE = 502
    AGENTS_DELETE = 503
    STAGING_VIEW = 600
    STAGING_MODIFY = 601
    STAGING_CREATE = 602
    STAGING_DELETE = 603
    CASTING_VIEW = 700
    CASTING_MODIFY = 701
    CASTING_CREATE = 702
    CASTING_DELETE = 703
    SESSIONS_VIEW = 800
    SESSIONS_MODIFY = 801
    SESSIONS_DELETE = 803
    SESSION_RECORDINGS_VIEW = 850
    IMAGES_VIEW = 900
    IMAGES_MODIFY = 901
    IMAGES_CREATE = 902
    IMAGES_DELETE = 903
    IMAGES_MODIFY_RESOURCES = 904
    DEVAPI_VIEW = 1000
    DEVAPI_MODIFY = 1001
    DEVAPI_CREATE = 1002
    DEVAPI_DELETE = 1003
    WEBFILTERS_VIEW = 1100
    WEBFILTERS_MODIFY = 1101
    WEBFILTERS_CREATE = 1102
    WEBFILTERS_DELETE = 1103
    BRANDINGS_VIEW = 1200
    BRANDINGS_MODIFY = 1201
    BRANDINGS_CREATE = 1202
    BRANDINGS_DELETE = 1203
    SETTINGS_VIEW = 1300
    SETTINGS_MODIFY = 1301
    SETTINGS_MODIFY_AUTH = 1302
    SETTINGS_MODIFY_CAST = 1303
    SETTINGS_MODIFY_IMAGES = 1304
    SETTINGS_MODIFY_LICENSE = 1305
    SETTINGS_MODIFY_LOGGING = 1306
    SETTINGS_MODIFY_MANAGER = 1307
    SETTINGS_MODIFY_SCALE = 1308
    SETTINGS_MODIFY_SUBSCRIPTION = 1309
    SETTINGS_MODIFY_FILTER = 1310
    SETTINGS_MODIFY_STORAGE = 1311
    SETTINGS_MODIFY_CONNECTIONS = 1312
    SETTINGS_MODIFY_THEME = 1313
    AUTH_VIEW = 1400
    AUTH_MODIFY = 1401
    AUTH_CREATE = 1402
    AUTH_DELETE = 1403
    LICENSES_VIEW = 1500
    LICENSES_CREATE = 1502
    LICENSES_DELETE = 1503
    SYSTEM_VIEW = 1600
    SYSTEM_EXPORT_SCHEMA = 1604
    SYSTEM_IMPORT_DATA = 1605
    SYSTEM_EXPORT_DATA = 1606
    REPORTS_VIEW = 1700
    MANAGERS_VIEW = 1800
    MANAGERS_MODIFY = 1801
    MANAGERS_CREATE = 1802
    MANAGERS_DELETE = 1803
    ZONES_VIEW = 1900
    ZONES_MODIFY = 1901
    ZONES_CREATE = 1902
    ZONES_DELETE = 1903
    COMPANIES_VIEW = 2000
    COMPANIES_MODIFY = 2001
    COMPANIES_CREATE = 2002
    COMPANIES_DELETE = 2003
    CONNECTION_PROXY_VIEW = 2100
    CONNECTION_PROXY_MODIFY = 2101
    CONNECTION_PROXY_CREATE = 2102
    CONNECTION_PROXY_DELETE = 2103
    PHYSICAL_TOKENS_VIEW = 2200
    PHYSICAL_TOKENS_MODIFY = 2201
    PHYSICAL_TOKENS_CREATE = 2202
    PHYSICAL_TOKENS_DELETE = 2203
    SERVERS_VIEW = 2300
    SERVERS_MODIFY = 2301
    SERVERS_CREATE = 2302
    SERVERS_DELETE = 2303
    SERVER_POOLS_VIEW = 2400
    SERVER_POOLS_MODIFY = 2401
    SERVER_POOLS_CREATE = 2402
    SERVER_POOLS_DELETE = 2403
    AUTOSCALE_VIEW = 2500
    AUTOSCALE_MODIFY = 2501
    AUTOSCALE_CREATE = 2502
    AUTOSCALE_DELETE = 2503
    VM_PROVIDER_VIEW = 2600
    VM_PROVIDER_MODIFY = 2601
    VM_PROVIDER_CREATE = 2602
    VM_PROVIDER_DELETE = 2603
    AUTOSCALE_SCHEDULE_VIEW = 2700
    AUTOSCALE_SCHEDULE_MODIFY = 2701
    AUTOSCALE_SCHEDULE_CREATE = 2702
    AUTOSCALE_SCHEDULE_DELETE = 2703
    DNS_PROVIDERS_VIEW = 2800
    DNS_PROVIDERS_MODIFY = 2801
    DNS_PROVIDERS_CREATE = 2802
    DNS_PROVIDERS_DELETE = 2803
    REGISTRIES_VIEW = 2900
    REGISTRIES_MODIFY = 2901
    REGISTRIES_CREATE = 2902
    REGISTRIES_DELETE = 2903
    STORAGE_PROVIDERS_VIEW = 3000
    STORAGE_PROVIDERS_MODIFY = 3001
    STORAGE_PROVIDERS_CREATE = 3002
    STORAGE_PROVIDERS_DELETE = 3003

    @property
    def friendly_name(self) -> str:
        """The UI's name, e.g. "Users Auth Session"."""
        special = {
            "GROUPS_VIEW_IFMEMBER": "Groups View If Member",
            "GROUPS_MODIFY_IFMEMBER": "Groups Modify If Member",
            "DEVAPI_VIEW": "Developer API View",
            "DEVAPI_MODIFY": "Developer API Modify",
            "DEVAPI_CREATE": "Developer API Create",
            "DEVAPI_DELETE": "Developer API Delete",
        }
        return special.get(self.name) or self.name.replace("_", " ").title()

    @property
    def description(self) -> str:
        if self is Permission.USER:
            return "Default level of permissions for normal users."
        if self is Permission.GLOBAL_ADMIN:
            return "Grants every administrative permission."
        if self is Permission.USERS_AUTH_SESSION:
            return "Login and logout on behalf of another user."
        return f"Allows {self.friendly_name.lower()} actions."


ALL_PERMISSION_IDS: frozenset[int] = frozenset(int(p) for p in Permission)


def is_authorized(held: Iterable[int], action: Permission) -> bool:
    """Kasm's `is_authorized_action`: held explicitly, or Global Admin for any action >= 200 (not User)."""
    held_set = held if isinstance(held, frozenset | set) else set(held)
    if int(action) in held_set:
        return True
    return Permission.GLOBAL_ADMIN in held_set and action >= Permission.GLOBAL_ADMIN


def any_authorized(held: Iterable[int], actions: Iterable[Permission]) -> bool:
    held_set = frozenset(held)
    return any(is_authorized(held_set, a) for a in actions)
