"""``kasm_user``: a Kasm user, the groups it belongs to and the images those groups let it launch.

Rules (see DESIGN.md, "Provider"):

* ``username``: Kasm stores it stripped and lower-cased; the configured spelling stays in state while
  it matches case-insensitively. A rename is done in place (``update_user``).
* ``password`` is never read back (null after import). ``password_wo`` is its write-only twin
  (Terraform >= 1.11), sent on create and whenever ``password_wo_version`` changes.
* ``groups`` holds group ids or names. A non-empty set is authoritative over the user's non-system
  groups (refreshed from Kasm, extras removed); the system groups (All Users, Administrators) are
  never removed and show up only when listed. Empty or not set, the resource leaves memberships to
  ``kasm_group_membership`` and reads them as ``[]``: the value never changes because of another
  resource, so the first refresh after an apply is quiet. After an import the user's groups are read
  (as for a set value). An update changes memberships only when ``groups`` changed between prior
  state and plan, and then only by that difference (``ignore_changes = [groups]`` means hands off).
* ``authorized_images``: with managed groups, the enabled images authorised for any of the user's
  groups (system groups included) - Kasm grants images only through groups; with unmanaged groups
  ``[]`` (the ``kasm_user`` data source reports it either way).
* Create is atomic: if anything after ``create_user`` fails the user is deleted again.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from typing import Any

from ...client import errors
from ...client.models import User, UserAttributes
from ...tfplugin import schema as s
from ...tfplugin.diagnostics import DiagnosticError
from ...tfplugin.resource import Resource, ResourceContext
from ...tfplugin.types import UNKNOWN, Bool, Map, Number, Set, String
from ..context import ALL_USERS_GROUP_ID, KasmData, kasm
from ..helpers import already_exists, api_errors, differences, explain, is_kasm_id, normalize_id
from ..toolkit import computed, keep_spelling, parse_import_id, rollback_on_failure

# Kasm strips these fields and cuts them to 64 characters.
_PROFILE_FIELDS = ("first_name", "last_name", "phone", "organization")


def _system_groups(data: KasmData) -> set[str]:
    """Kasm's built-in groups. All Users by its fixed id too: a key without *Groups View System*
    does not see it in get_groups, yet every user is in it."""
    return {g.group_id for g in data.groups() if g.is_system} | {ALL_USERS_GROUP_ID}


def _not_blank(value: Any) -> str | None:
    return "must not be empty or only whitespace" if isinstance(value, str) and not value.strip() else None


def _username_key(value: str) -> str:
    return value.strip().lower()


def _text_key(value: str | None) -> str:
    return (value or "").strip()[:64]


def _keep_spelling(prior: str | None, remote: str | None) -> str | None:
    """The prior (configured) spelling of a profile text while Kasm's value is the same after its
    stripping, so "" and null, or " John" and "John", never cause a perpetual diff."""
    return keep_spelling(prior, remote, _text_key)


# The user preferences Kasm keeps beside the user (get_attributes / update_user_attributes), by kind.
_PREFERENCES: dict[str, str] = {
    "default_image": "id",
    "auto_login_kasm": "bool",
    "show_tips": "bool",
    "toggle_control_panel": "bool",
    "chat_sfx": "bool",
    "theme": "text",
    "preferred_language": "text",
    "preferred_timezone": "text",
}


def _check_preferences(value: Any) -> str | None:
    for key, text in (value or {}).items():
        kind = _PREFERENCES.get(key)
        if kind is None:
            return f'unknown key "{key}"; the keys are {", ".join(_PREFERENCES)}'
        if kind == "bool" and text.strip().lower() not in ("true", "false"):
            return f'{key} must be "true" or "false", got "{text}"'
        if kind == "id" and not is_kasm_id(text):
            return f'{key} must be an image id (32 hex digits, dashes allowed), got "{text}"'
    return None


def _preference_value(kind: str, text: str) -> Any:
    """A configured preference (always a string in the map) as Kasm takes it."""
    if kind == "bool":
        return text.strip().lower() == "true"
    if kind == "id":
        return normalize_id(text, "attributes")
    return text


_PROFILE = {
    name: s.Attribute(
        String,
        optional=True,
        description=f"The user's {name.replace('_', ' ')}. Removing it clears it.",
        validators=[s.LengthBetween(0, 64)],
    )
    for name in _PROFILE_FIELDS
}


_AUTHORIZED_IMAGES_READ_ONLY = (
    "Kasm grants images to users only through their groups, so kasm_user.authorized_images is read from "
    "Kasm, never written. Remove it from the configuration and authorize the image for one of the user's "
    'groups instead: resource "kasm_group_image" with that group_id and image_id.'
)


def _flag(description: str) -> s.Attribute:
    """A user flag: false unless configured."""
    return s.Attribute(Bool, optional=True, computed=True, default=False, description=description)


class UserResource(Resource):
    type_name = "kasm_user"
    schema = s.Schema(
        description=(
            "A Kasm user. Kasm grants images only through groups: put the user in a group "
            "(`groups` here, or `kasm_group_membership`) that has the image (`kasm_group_image`)."
        ),
        attributes={
            "id": computed("The user's id (Kasm's `user_id`, 32 hex digits)."),
            "username": s.Attribute(
                String,
                required=True,
                description=(
                    "The login name. Kasm stores it stripped and lower-cased; the configured spelling is "
                    "kept while it matches case-insensitively. Changing it renames the user in place."
                ),
                validators=[s.LengthBetween(1, 255), s.FuncValidator(_not_blank, "must not be blank")],
            ),
            "password": s.Attribute(
                String,
                optional=True,
                sensitive=True,
                description=(
                    "The password. Never read back from Kasm, so it is null after an import; a changed "
                    "value is sent on update (Kasm then checks its complexity rules and ends the user's "
                    "session tokens). Give exactly one of password and password_wo when creating."
                ),
                validators=[
                    s.ConflictsWith(
                        "password_wo", message="Set password or password_wo, not both.", description=""
                    ),
                    s.AtLeastOneOf(
                        "password_wo",
                        on_create=True,
                        message="A new kasm_user needs a password: set password, or password_wo "
                        "(Terraform 1.11 or later).",
                        description="",
                    ),
                ],
            ),
            "password_wo": s.Attribute(
                String,
                optional=True,
                write_only=True,
                description=(
                    "The password, write-only (Terraform 1.11 or later): never stored in plan or state. "
                    "Sent on create and whenever password_wo_version changes."
                ),
            ),
            "password_wo_version": s.Attribute(
                Number,
                optional=True,
                description="Change this number to send password_wo again.",
                # Caught at validate, not half-way through an apply.
                validators=[s.RequiredWith("password_wo")],
            ),
            **_PROFILE,
            "locked": _flag("Whether the user is locked out."),
            "disabled": _flag("Whether the user is disabled."),
            "groups": s.Attribute(
                Set(String),
                optional=True,
                computed=True,
                description=(
                    "Ids or names of the groups the user is in. A non-empty set is authoritative over the "
                    "user's non-system groups (refreshed from Kasm; others are removed); the system groups "
                    "All Users and Administrators are never removed and appear only if listed. Empty "
                    "(`[]`) or not set, this resource leaves the user's memberships alone "
                    "(`kasm_group_membership` manages them) and it reads as `[]`, so memberships made by "
                    "other resources never show as a change. After an import it holds the user's "
                    "non-system groups. Do not combine a non-empty value with kasm_group_membership for "
                    "the same user unless `lifecycle { ignore_changes = [groups] }`."
                ),
            ),
            "attributes": s.Attribute(
                Map(String),
                optional=True,
                # Computed, with {} for "none managed": Terraform 1.0's ignore_changes turns a null map
                # in the configuration into {}, which must not be a change.
                computed=True,
                plan_modifiers=[s.UseStateForUnknown()],
                validators=[s.FuncValidator(_check_preferences, "known preference keys")],
                description=(
                    "The user's preferences (Kasm's user attributes), as strings: default_image (an image "
                    'id), auto_login_kasm, show_tips, toggle_control_panel, chat_sfx ("true"/"false"), '
                    "theme, preferred_language, preferred_timezone. Only the keys set here are managed and "
                    "read back; removing a key stops managing it (Kasm keeps its value). Empty after an "
                    "import until configured."
                ),
            ),
            # Optional only so that `lifecycle { ignore_changes = [authorized_images] }` (the kasm_images
            # workflow pattern) draws no "Redundant ignore_changes element" warning; setting it is an error.
            "authorized_images": s.Attribute(
                Set(String),
                optional=True,
                computed=True,
                description=(
                    "Ids of the enabled images the user may launch: those authorised for any of the "
                    "user's groups (All Users included), when `groups` is managed here (non-empty); `[]` "
                    "when it is not (the `kasm_user` data source reports it in every case). Read from "
                    "Kasm; it cannot be set, since Kasm grants images only through groups "
                    "(kasm_group_image)."
                ),
                validators=[
                    s.FuncValidator(
                        lambda _: _AUTHORIZED_IMAGES_READ_ONLY,
                        summary="authorized_images cannot be set",
                    )
                ],
            ),
        },
    )

    # --- CRUD -------------------------------------------------------------------------------------

    def create(self, ctx: ResourceContext, plan: dict[str, Any]) -> dict[str, Any]:
        data = kasm(ctx)
        config = ctx.config or {}
        wanted = self._wanted_groups(data, plan["groups"])
        password = plan["password"] if plan["password"] is not None else config.get("password_wo")
        try:
            with data.writing():
                created = data.client.users.create(
                    plan["username"],
                    password=password,
                    first_name=plan["first_name"],
                    last_name=plan["last_name"],
                    phone=plan["phone"],
                    organization=plan["organization"],
                    locked=plan["locked"],
                    disabled=plan["disabled"],
                )
        except errors.Conflict as e:
            adopted, refused = self._adopt(data, plan, password) if data.adopt_existing else (None, None)
            if adopted is None:
                name = _username_key(plan["username"])
                raise DiagnosticError(
                    "Username already taken",
                    f'Kasm already has a user named "{name}" (usernames are compared lower-cased); choose '
                    "another username, or: "
                    + already_exists(
                        "The user", self.type_name, f"username:{name}", e.message, not_adopted=refused
                    ),
                    ("username",),
                ) from e
            # Not made by this create: a failure below must not delete it. Configured groups are
            # authoritative over its non-system groups, as for a user created here.
            if wanted is not None:
                current = {g.group_id for g in adopted.groups}
                remove = current - set(wanted) - _system_groups(data)
                self._change_groups(data, adopted.user_id, set(wanted) - current, remove)
            self._apply_preferences(data, adopted.user_id, None, plan["attributes"])
            with api_errors("Could not read the adopted Kasm user"):
                return self._state(data, data.client.users.get(adopted.user_id), plan)
        except errors.KasmError as e:
            raise DiagnosticError("Could not create the Kasm user", explain(e), ("username",)) from e
        with rollback_on_failure(
            lambda: self._delete(data, created.user_id),
            what=f"The user {created.username} ({created.user_id})",
            state={**plan, "id": created.user_id, "groups": [], "authorized_images": [], "attributes": {}},
            summary="Could not create the Kasm user",
        ):
            if wanted is not None:
                current = {g.group_id for g in created.groups}
                self._change_groups(data, created.user_id, set(wanted) - current, set())
            self._apply_preferences(data, created.user_id, None, plan["attributes"])
            with api_errors("Could not read the new Kasm user"):
                user = data.client.users.get(created.user_id)
                return self._state(data, user, plan)

    def read(self, ctx: ResourceContext, state: dict[str, Any]) -> dict[str, Any] | None:
        data = kasm(ctx)
        user_id = normalize_id(state["id"], "id")
        with api_errors("Could not read the Kasm user"):
            user = self._find(data, user_id)
            if user is None:
                return None
            return self._state(data, user, state)

    def update(self, ctx: ResourceContext, prior: dict[str, Any], plan: dict[str, Any]) -> dict[str, Any]:
        data = kasm(ctx)
        client = data.client
        user_id = prior["id"]
        username = plan["username"]
        if _username_key(username) != _username_key(prior["username"]):
            with api_errors("Could not check the new username", ("username",)):
                taken = client.users.find(username=username)
            if taken is not None and taken.user_id != user_id:
                raise DiagnosticError(
                    "Username already taken",
                    f'Kasm already has another user named "{taken.username}" ({taken.user_id}).',
                    ("username",),
                )
        password, password_attr = self._new_password(ctx, prior, plan)
        profile: dict[str, str | None] = {}
        for name in _PROFILE_FIELDS:
            value = plan[name]
            # Kasm leaves a field alone when it is not sent: clearing needs an explicit "".
            profile[name] = "" if value is None and prior[name] else value
        # Memberships change only when groups itself changed between prior state and plan
        # (ignore_changes shows as plan == prior), and then only by the difference.
        group_change = self._group_change(data, prior["groups"], plan["groups"])
        with data.writing():
            try:
                updated = client.users.update(
                    user_id,
                    username=username,
                    password=password,
                    locked=plan["locked"],
                    disabled=plan["disabled"],
                    first_name=profile["first_name"],
                    last_name=profile["last_name"],
                    phone=profile["phone"],
                    organization=profile["organization"],
                )
            except errors.APIError as e:
                if password is not None and e.message.startswith("Your password"):
                    raise DiagnosticError("Password rejected by Kasm", e.message, password_attr) from e
                raise DiagnosticError("Could not update the Kasm user", explain(e)) from e
            except errors.KasmError as e:
                raise DiagnosticError("Could not update the Kasm user", explain(e)) from e
            if updated.locked != bool(plan["locked"]):
                # Kasm unlocks a user whose password changes; lock again when asked to.
                with api_errors("Could not lock the Kasm user", ("locked",)):
                    updated = client.users.update(user_id, username=username, locked=bool(plan["locked"]))
        if group_change is not None:
            self._change_groups(data, updated.user_id, *group_change)
        self._apply_preferences(data, user_id, prior["attributes"], plan["attributes"])
        with api_errors("Could not read the Kasm user"):
            user = client.users.get(user_id)
            # Unconfigured groups are unknown in the plan: keep the spellings the state had.
            spellings = plan if isinstance(plan["groups"], list) else {**plan, "groups": prior["groups"]}
            state = self._state(data, user, spellings)
        if isinstance(plan["groups"], list):
            # The planned value, not the server's list: memberships owned by other resources (or
            # changed outside Terraform) show up at the next refresh, never as an inconsistent result.
            state["groups"] = plan["groups"]
        return state

    def delete(self, ctx: ResourceContext, state: dict[str, Any]) -> None:
        data = kasm(ctx)
        with api_errors("Could not delete the Kasm user"):
            self._delete(data, state["id"])

    def import_state(self, ctx: ResourceContext, import_id: str) -> dict[str, Any]:
        parsed = parse_import_id(import_id, [("id",)], {"username": "username"})
        if parsed.value is None:
            return parsed.ids
        wanted = _username_key(parsed.value)
        with api_errors("Could not list the Kasm users"):
            found = next((u for u in self._all_users(kasm(ctx)) if u.username == wanted), None)
        if found is None:
            raise DiagnosticError("User not found", f'Kasm has no user named "{wanted}".')
        # The given spelling is kept (read keeps it while it matches case-insensitively).
        return {"id": found.user_id, "username": parsed.value}

    # --- helpers ----------------------------------------------------------------------------------

    @staticmethod
    def _all_users(data: KasmData) -> tuple[User, ...]:
        """Every user: one paged get_users per provider process and write."""
        return data.reads.get(("get_users",), lambda: tuple(data.client.users.list()))

    def _find(self, data: KasmData, user_id: str) -> User | None:
        """The user from the cached get_users list; get_user only when the list lacks its groups
        (a key without Groups View gets none there, while every user has at least All Users)."""
        user = next((u for u in self._all_users(data) if u.user_id == user_id), None)
        if user is not None and not user.groups:
            user = data.client.users.find(user_id)
        return user

    def _wanted_groups(self, data: KasmData, planned: Any) -> dict[str, str] | None:
        """Configured groups as {group id: configured spelling}; None when not configured."""
        if not isinstance(planned, list):
            return None
        with api_errors("Could not list the Kasm groups", ("groups",)):
            groups = data.groups()
        by_id = {g.group_id: g for g in groups}
        by_name = {g.name: g for g in groups}
        wanted: dict[str, str] = {}
        for item in planned:
            group = by_id.get(normalize_id(item, "groups")) if is_kasm_id(item) else None
            if group is None:
                group = by_name.get(item)
            if group is None:
                raise DiagnosticError(
                    "Unknown group", f'No Kasm group has the id or name "{item}".', ("groups",)
                )
            if group.group_id in wanted:
                raise DiagnosticError(
                    "Group listed twice",
                    f'"{wanted[group.group_id]}" and "{item}" are the same group ({group.name}).',
                    ("groups",),
                )
            wanted[group.group_id] = item
        return wanted

    @staticmethod
    def _adopt(
        data: KasmData, plan: Mapping[str, Any], password: str | None
    ) -> tuple[User | None, str | None]:
        """With ``adopt_existing``: (the existing user of this username, None) when every field of
        the plan matches (texts as Kasm stores them, null as ""), given the configured password (it
        cannot be compared); else (None, the fields that differ, or None when there is no user)."""
        with api_errors("Could not read the existing Kasm user", ("username",)):
            user = data.client.users.find(username=plan["username"])
        if user is None:
            return None, None
        differ = differences(
            [(name, _text_key(getattr(user, name)), _text_key(plan[name])) for name in _PROFILE_FIELDS]
            + [(name, getattr(user, name), bool(plan[name])) for name in ("locked", "disabled")]
        )
        if differ is not None:
            return None, differ
        if password is not None:
            with data.writing(), api_errors("Could not set the adopted user's password", ("password",)):
                user = data.client.users.update(
                    user.user_id, username=user.username, password=password, locked=user.locked
                )
        return user, None

    def _group_change(self, data: KasmData, prior: Any, planned: Any) -> tuple[set[str], set[str]] | None:
        """(group ids to add, group ids to remove) when ``groups`` changed from ``prior`` to
        ``planned``; None when it did not (or is not configured). Computed from the two values
        only, never from the server's current list, so a membership another resource revoked in
        the same apply is not re-added, and a stale prior (``-refresh=false``) strips nothing."""
        if not isinstance(planned, list) or not isinstance(prior, list) or sorted(prior) == sorted(planned):
            return None
        wanted = self._wanted_groups(data, planned) or {}
        had = self._known_groups(data, prior)
        return set(wanted) - had, had - set(wanted) - _system_groups(data)

    @staticmethod
    def _known_groups(data: KasmData, items: list[Any]) -> set[str]:
        """The group ids a prior ``groups`` value names; names of groups deleted since are skipped."""
        with api_errors("Could not list the Kasm groups", ("groups",)):
            by_name = {g.name: g.group_id for g in data.groups()}
        ids = set()
        for item in items:
            if not isinstance(item, str):
                continue
            group_id = normalize_id(item, "groups") if is_kasm_id(item) else by_name.get(item)
            if group_id is not None:
                ids.add(group_id)
        return ids

    @staticmethod
    def _change_groups(data: KasmData, user_id: str, add: set[str], remove: set[str]) -> None:
        """Add the user to ``add`` and take it out of ``remove``; nothing else is touched."""
        client = data.client
        with data.writing(), api_errors("Could not set the user's groups", ("groups",)):
            for group_id in sorted(add):
                with contextlib.suppress(errors.Conflict):  # added meanwhile (kasm_group_membership)
                    client.groups.add_user(group_id, user_id)
            for group_id in sorted(remove):
                client.groups.remove_user(group_id, user_id, missing_ok=True)

    @staticmethod
    def _new_password(
        ctx: ResourceContext, prior: Mapping[str, Any], plan: Mapping[str, Any]
    ) -> tuple[str | None, tuple[str, ...]]:
        """The password to send on update (None: unchanged) and the attribute it comes from."""
        if plan["password"] is not None and plan["password"] != prior["password"]:
            return plan["password"], ("password",)
        version = plan["password_wo_version"]
        if version is not None and version != prior["password_wo_version"]:
            value = (ctx.config or {}).get("password_wo")
            if value is None:
                raise DiagnosticError(
                    "Missing password_wo",
                    "password_wo_version changed, which sends password_wo again, but password_wo is not set.",
                    ("password_wo",),
                )
            return value, ("password_wo",)
        return None, ()

    @staticmethod
    def _delete(data: KasmData, user_id: str) -> None:
        with data.writing():
            # force: Kasm may still list the user's ending sessions for a while.
            data.client.users.delete(user_id, force=True, missing_ok=True)

    def _state(self, data: KasmData, user: User, prior: Mapping[str, Any]) -> dict[str, Any]:
        """The state for ``user``; ``prior`` (state or plan) supplies the spellings to keep."""
        username = prior.get("username")
        if not isinstance(username, str) or _username_key(username) != user.username:
            username = user.username
        groups = prior.get("groups")
        # Managed: a non-empty set, or None right after an import (read what the user has). Unmanaged
        # ([] or unknown, i.e. not configured) reads as [] whatever other resources do.
        managed = groups is None or (isinstance(groups, list) and bool(groups))
        state: dict[str, Any] = {
            "id": user.user_id,
            "username": username,
            "locked": user.locked,
            "disabled": user.disabled,
            "groups": self._group_spellings(data, user, groups) if managed else [],
            "authorized_images": sorted(self._authorized_images(data, user)) if managed else [],
        }
        for name in _PROFILE_FIELDS:
            state[name] = _keep_spelling(prior.get(name), getattr(user, name))
        for name in ("password", "password_wo_version"):
            value = prior.get(name)
            state[name] = None if value is UNKNOWN else value
        state["attributes"] = self._preferences(data, user.user_id, prior.get("attributes"))
        return state

    @staticmethod
    def _apply_preferences(data: KasmData, user_id: str, prior: Any, planned: Any) -> None:
        """Send the configured preferences that differ from the prior state."""
        if not isinstance(planned, dict):
            return
        before = prior if isinstance(prior, dict) else {}
        changed = {
            key: _preference_value(_PREFERENCES[key], text)
            for key, text in planned.items()
            if text != before.get(key)
        }
        if changed:
            with data.writing(), api_errors("Could not set the user's attributes", ("attributes",)):
                data.client.users.update_attributes(user_id, **changed)

    @staticmethod
    def _preferences(data: KasmData, user_id: str, prior: Any) -> dict[str, str]:
        """The managed preferences as Kasm has them, each in its configured spelling while equal
        (one get_attributes per user; none when unmanaged)."""
        if not isinstance(prior, dict) or not prior:
            return {}
        current: UserAttributes = data.reads.get(
            ("get_attributes", user_id), lambda: data.client.users.get_attributes(user_id)
        )
        out: dict[str, str] = {}
        for key, text in prior.items():
            kind = _PREFERENCES.get(key)
            if kind is None:
                continue
            remote = getattr(current, key)
            valid = isinstance(text, str) and _check_preferences({key: text}) is None
            if valid and _preference_value(kind, text) == remote:
                out[key] = text
                continue
            if kind == "bool":
                out[key] = "" if remote is None else str(bool(remote)).lower()
            else:
                out[key] = "" if remote is None else str(remote)
        return out

    @staticmethod
    def _group_spellings(data: KasmData, user: User, prior: Any) -> list[str]:
        """The user's groups, each spelled as in ``prior`` (an id in either form, or a name) when
        listed there; system groups only when listed there."""
        by_id: dict[str, str] = {}
        by_name: dict[str, str] = {}
        for item in prior if isinstance(prior, list) else []:
            if not isinstance(item, str):
                continue
            if is_kasm_id(item):
                by_id[normalize_id(item, "groups")] = item
            by_name[item] = item
        system = _system_groups(data)
        out = []
        for ref in user.groups:
            spelled = by_id.get(ref.group_id) or by_name.get(ref.name)
            if spelled is None and ref.group_id in system:
                continue
            out.append(spelled or ref.group_id)
        return sorted(out)

    @staticmethod
    def _authorized_images(data: KasmData, user: User) -> set[str]:
        """Enabled images linked to any of the user's groups (one get_images_group per group)."""
        enabled = {i.image_id for i in data.images() if i.enabled}
        granted: set[str] = set()
        for ref in user.groups:
            links = data.group_images(ref.group_id)
            granted.update(link.image_id for link in links or ())
        return granted & enabled
