"""Groups, their members and their images: ``client.groups`` (reference §2.3).

A user may launch an image only through a group: user → group (``add_user``), group → image
(``add_image``).
"""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Mapping
from typing import Any

from . import convert, errors
from ._area import Area, ignore_missing, member, members
from .models import Group, GroupImage, GroupMember, GroupPermission, GroupSetting, Permission


class Groups(Area):
    def _list_json(self) -> builtins.list[Mapping[str, Any]]:
        return members("get_groups", self._call("get_groups", {}, idempotent=True), "groups")

    def list(self) -> builtins.list[Group]:
        """Every group the key may see (``get_groups``; *Groups View*, *Groups View System* for
        the built-in ones)."""
        return [Group.from_json(g) for g in self._list_json()]

    def find(self, group_id: str | None = None, *, name: str | None = None) -> Group | None:
        """The group with this id (or exact name), or None. Kasm has no get-by-id: lists and filters."""
        if group_id is not None:
            wanted = convert.require_id(group_id, "group_id")
            return next((g for g in self.list() if g.group_id == wanted), None)
        if name is not None:
            return next((g for g in self.list() if g.name == name), None)
        raise ValueError("give group_id or name")

    def get(self, group_id: str) -> Group:
        """The group with this id; NotFound otherwise (*Groups View*)."""
        group = self.find(group_id)
        if group is None:
            raise errors.NotFound("get_groups", 200, f"Group {group_id} does not exist", kind="group")
        return group

    def create(
        self,
        name: str,
        *,
        priority: int,
        description: str | None = None,
        group_metadata: Mapping[str, Any] | None = None,
    ) -> Group:
        """Create a group (``create_group``; *Groups Create*). ``priority`` is 1-4095, lower wins.
        Conflict if the name exists. After an ambiguous failure the group is looked up by name
        before any retry; one that existed before the call is never adopted (AlreadyExisted)."""
        target: dict[str, Any] = {"name": name, "priority": priority}
        if description is not None:
            target["description"] = description
        if group_metadata is not None:
            target["group_metadata"] = dict(group_metadata)

        def lookup() -> dict[str, Any] | None:
            found = next((g for g in self._list_json() if g.get("name") == name), None)
            return {"group": found} if found is not None else None

        def mine(answer: dict[str, Any]) -> bool:
            found = answer["group"]
            return found.get("priority") == priority and (
                description is None or (found.get("description") or "") == description
            )

        data = self._create(
            "create_group", {"target_group": target}, what=f"Group ({name})", lookup=lookup, mine=mine
        )
        return Group.from_json(member("create_group", data, "group"))

    def update(
        self,
        group_id: str,
        *,
        name: str | None = None,
        priority: int | None = None,
        description: str | None = None,
        group_metadata: Mapping[str, Any] | None = None,
    ) -> Group:
        """Change a group (``update_group``; *Groups Modify*, *Groups Modify System* for built-in
        groups). None leaves a field unchanged."""
        target: dict[str, Any] = {"group_id": convert.require_id(group_id, "group_id")}
        for key, value in (("name", name), ("priority", priority), ("description", description)):
            if value is not None:
                target[key] = value
        if group_metadata is not None:
            target["group_metadata"] = dict(group_metadata)
        data = self._call("update_group", {"target_group": target}, idempotent=True)
        return Group.from_json(member("update_group", data, "group"))

    def delete(self, group_id: str, *, force: bool = False, missing_ok: bool = False) -> None:
        """Delete a group (``delete_group``; *Groups Delete*). Without ``force`` a group with
        members gives Conflict; built-in groups cannot be deleted."""
        body = {"target_group": {"group_id": convert.require_id(group_id, "group_id")}, "force": force}
        ignore_missing(lambda: self._call("delete_group", body, idempotent=True), missing_ok)

    # --- members ---------------------------------------------------------------------------------

    def users(self, group_id: str, *, page_size: int = 100) -> builtins.list[GroupMember]:
        """Every member of the group, all pages (``get_users_group``; *Groups View*)."""
        body = {"target_group": {"group_id": convert.require_id(group_id, "group_id")}}
        return self._all_pages(
            "get_users_group", body, "users", GroupMember.from_json, lambda m: m.user_id, page_size=page_size
        )

    def _is_member(self, group_id: str, user_id: str) -> bool:
        data = self._call("get_user", {"target_user": {"user_id": user_id}}, idempotent=True)
        groups = member("get_user", data, "user").get("groups") or []
        return any(convert.kasm_id(g.get("group_id")) == group_id for g in groups if isinstance(g, Mapping))

    def add_user(self, group_id: str, user_id: str) -> None:
        """Put a user in the group (``add_user_group``; *Groups Modify*, *Groups Modify System*
        for built-in groups). Conflict if already a member (also after a reset: a membership that
        existed before the call is never taken for its result)."""
        gid = convert.require_id(group_id, "group_id")
        uid = convert.require_id(user_id, "user_id")
        body = {"target_user": {"user_id": uid}, "target_group": {"group_id": gid}}
        self._create(
            "add_user_group",
            body,
            what=f"The membership of user ({uid}) in group ({gid})",
            lookup=lambda: {} if self._is_member(gid, uid) else None,
        )

    def remove_user(self, group_id: str, user_id: str, *, missing_ok: bool = False) -> None:
        """Take a user out of the group (``remove_user_group``; *Groups Modify*). NotFound
        (kind "membership") if the user is not a member, unless ``missing_ok``."""
        gid = convert.require_id(group_id, "group_id")
        uid = convert.require_id(user_id, "user_id")
        body = {"target_user": {"user_id": uid}, "target_group": {"group_id": gid}}
        ignore_missing(
            lambda: self._call(
                "remove_user_group",
                body,
                idempotent=False,
                recover=lambda: None if self._is_member(gid, uid) else {},
            ),
            missing_ok,
        )

    # --- images ----------------------------------------------------------------------------------

    def _images_json(self, gid: str) -> builtins.list[Mapping[str, Any]]:
        data = self._call("get_images_group", {"target_group": {"group_id": gid}}, idempotent=True)
        return members("get_images_group", data, "images")

    def images(self, group_id: str) -> builtins.list[GroupImage]:
        """The images members of the group may launch (``get_images_group``; *Groups View*)."""
        return [GroupImage.from_json(i) for i in self._images_json(convert.require_id(group_id, "group_id"))]

    def add_image(self, group_id: str, image_id: str) -> None:
        """Let the group's members launch an image (``add_images_group``; *Groups Modify*).
        Kasm 1.15 would store a duplicate link, so a retry first checks whether the link exists."""
        gid = convert.require_id(group_id, "group_id")
        iid = convert.require_id(image_id, "image_id")
        body = {"target_group": {"group_id": gid}, "target_image": {"image_id": iid}}

        def lookup() -> dict[str, Any] | None:
            linked = any(convert.kasm_id(i.get("image_id")) == iid for i in self._images_json(gid))
            return {} if linked else None

        self._create(
            "add_images_group", body, what=f"The link of image ({iid}) to group ({gid})", lookup=lookup
        )

    def remove_image(self, group_id: str, image_id: str, *, missing_ok: bool = False) -> None:
        """Stop the group's members launching an image (``remove_images_group``; *Groups Modify*)."""
        gid = convert.require_id(group_id, "group_id")
        iid = convert.require_id(image_id, "image_id")
        body = {"target_group": {"group_id": gid}, "target_image": {"image_id": iid}}
        ignore_missing(lambda: self._call("remove_images_group", body, idempotent=True), missing_ok)

    # --- settings --------------------------------------------------------------------------------

    def _settings_json(self, gid: str | None) -> builtins.list[Mapping[str, Any]]:
        data = self._call("get_settings_group", {"target_group": {"group_id": gid or ""}}, idempotent=True)
        if gid is not None and "settings" not in data:
            # Kasm 1.15 answers {} (no error) for a group that does not exist.
            raise errors.NotFound("get_settings_group", 200, f"Group ({gid}) does not exist", kind="group")
        return members("get_settings_group", data, "settings")

    def settings(self, group_id: str | None = None) -> builtins.list[GroupSetting]:
        """The group's own settings (``get_settings_group``; *Groups View*); NotFound (kind "group")
        for a group that does not exist. Without a group: Kasm's
        defaults (the All Users group's settings), the catalogue of setting names whose
        ``group_setting_id`` :meth:`add_setting` takes."""
        gid = convert.require_id(group_id, "group_id") if group_id is not None else None
        return [GroupSetting.from_json(s) for s in self._settings_json(gid)]

    def add_setting(self, group_id: str, default: GroupSetting, value: str) -> GroupSetting:
        """Give the group a setting (``add_settings_group``; *Groups Modify*): ``default`` is the
        catalogue entry of that name (from :meth:`settings` without a group), ``value`` Kasm's
        string form. Conflict if the group has it already (also after a reset: a setting that
        existed before the call is never taken for its result)."""
        gid = convert.require_id(group_id, "group_id")
        body = {
            "target_group": {"group_id": gid},
            "target_setting": {"group_setting_id": default.group_setting_id, "value": value},
        }

        def lookup() -> dict[str, Any] | None:
            found = next((s for s in self._settings_json(gid) if s.get("name") == default.name), None)
            return {"setting": found} if found is not None else None

        data = self._create(
            "add_settings_group",
            body,
            what=f"The setting {default.name} of group ({gid})",
            lookup=lookup,
            mine=lambda answer: answer["setting"].get("value") == value,
        )
        return GroupSetting.from_json(member("add_settings_group", data, "setting"))

    def update_setting(self, group_id: str, group_setting_id: str, value: str) -> GroupSetting:
        """Change the value of one of the group's settings (``update_settings_group``; *Groups
        Modify*); ``group_setting_id`` is the group's own setting, not the default's."""
        body = {
            "target_group": {"group_id": convert.require_id(group_id, "group_id")},
            "target_setting": {
                "group_setting_id": convert.require_id(group_setting_id, "group_setting_id"),
                "value": value,
            },
        }
        data = self._call("update_settings_group", body, idempotent=True)
        return GroupSetting.from_json(member("update_settings_group", data, "setting"))

    def remove_setting(self, group_setting_id: str, *, missing_ok: bool = False) -> None:
        """Remove one of a group's settings (``remove_settings_group``; *Groups Modify*): the
        group's members then get the setting from their other groups, else the default."""
        body = {"group_setting_id": convert.require_id(group_setting_id, "group_setting_id")}
        ignore_missing(lambda: self._call("remove_settings_group", body, idempotent=True), missing_ok)

    # --- permissions (Kasm: Global Admin only) ---------------------------------------------------

    def permission_catalogue(self) -> builtins.list[Permission]:
        """Every permission Kasm knows (``get_permissions``), e.g. *Users View* = 300."""
        data = self._call("get_permissions", {}, idempotent=True)
        return [Permission.from_json(p) for p in members("get_permissions", data, "permissions")]

    def permissions(self, group_id: str) -> builtins.list[GroupPermission]:
        """The permissions the group holds (``get_permissions_group``)."""
        body = {"target_group": {"group_id": convert.require_id(group_id, "group_id")}}
        data = self._call("get_permissions_group", body, idempotent=True)
        return [GroupPermission.from_json(p) for p in members("get_permissions_group", data, "permissions")]

    def replace_permissions(
        self, group_id: str, permission_ids: Iterable[int]
    ) -> builtins.list[GroupPermission]:
        """Make the group hold exactly these permissions (``replace_permissions_group``); returns
        what it holds afterwards."""
        body = {
            "target_group": {"group_id": convert.require_id(group_id, "group_id")},
            "target_permissions": sorted({int(p) for p in permission_ids}),
        }
        data = self._call("replace_permissions_group", body, idempotent=True)
        return [
            GroupPermission.from_json(p) for p in members("replace_permissions_group", data, "permissions")
        ]
