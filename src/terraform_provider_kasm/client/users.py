"""Users and their attributes: ``client.users`` (reference §2.2)."""

from __future__ import annotations

import builtins
from collections.abc import Mapping
from typing import Any

from . import convert, errors
from ._area import Area, ignore_missing, member
from .models import User, UserAttributes


def _present(**fields: Any) -> dict[str, Any]:
    """The keyword arguments that were given (None means "leave unchanged / not sent")."""
    return {k: v for k, v in fields.items() if v is not None}


class Users(Area):
    def create(
        self,
        username: str,
        *,
        password: str | None = None,
        first_name: str | None = None,
        last_name: str | None = None,
        phone: str | None = None,
        organization: str | None = None,
        notes: str | None = None,
        locked: bool | None = None,
        disabled: bool | None = None,
        realm: str | None = None,
        program_id: str | None = None,
        company_id: str | None = None,
    ) -> User:
        """Create a user (``create_user``; needs *Users Create*). Kasm stores the username
        stripped and lower-cased and adds the user to *All Users*. Conflict if it exists.

        After an ambiguous failure (reset, timeout, 502) the user is looked up by username before
        any retry, so a retry never creates a second user; a user that already existed before the
        call (looked up first) is never adopted: AlreadyExisted (see ``Area._create``).
        """
        if not username or not username.strip():
            raise ValueError("username is empty")
        target = _present(
            username=username,
            password=password,
            first_name=first_name,
            last_name=last_name,
            phone=phone,
            organization=organization,
            notes=notes,
            locked=locked,
            disabled=disabled,
            realm=realm,
            program_id=program_id,
            company_id=company_id,
        )

        def lookup() -> dict[str, Any] | None:
            found = self._get_json(username=username)
            return {"user": found} if found is not None else None

        def mine(answer: dict[str, Any]) -> bool:
            found = answer["user"]
            # Kasm strips profile texts and cuts them to 64 characters; the password cannot be read.
            for key in ("first_name", "last_name", "phone", "organization", "notes", "realm"):
                wanted = target.get(key)
                if wanted is not None and str(found.get(key) or "").strip()[:64] != wanted.strip()[:64]:
                    return False
            return all(
                target.get(key) is None or bool(found.get(key)) == target[key]
                for key in ("locked", "disabled")
            )

        data = self._create(
            "create_user",
            {"target_user": target},
            what=f"User ({username.strip().lower()})",
            lookup=lookup,
            mine=mine,
        )
        return User.from_json(member("create_user", data, "user"))

    def _get_json(self, user_id: str | None = None, username: str | None = None) -> Mapping[str, Any] | None:
        if user_id is not None:
            target = {"user_id": convert.require_id(user_id, "user_id")}
        elif username is not None:
            target = {"username": username.strip().lower()}
        else:
            raise ValueError("give user_id or username")
        try:
            data = self._call("get_user", {"target_user": target}, idempotent=True)
        except errors.NotFound:
            return None
        return member("get_user", data, "user")

    def find(self, user_id: str | None = None, *, username: str | None = None) -> User | None:
        """The user with this id (or username), or None (``get_user``; *Users View*)."""
        found = self._get_json(user_id, username)
        return User.from_json(found) if found is not None else None

    def get(self, user_id: str | None = None, *, username: str | None = None) -> User:
        """The user with this id (or username); NotFound otherwise (``get_user``; *Users View*)."""
        user = self.find(user_id, username=username)
        if user is None:
            raise errors.NotFound(
                "get_user", 400, f"User ({user_id or username}) does not exist", kind="user"
            )
        return user

    def list(self, *, anonymous: bool = False, page_size: int = 100) -> builtins.list[User]:
        """Every user, fetching all pages (``get_users``; *Users View*).

        Never truncates silently: if paging stops before Kasm's ``total`` is reached, raises
        InvalidResponse. ``anonymous``: include anonymous users.
        """
        body = {"sort_by": "username", "sort_direction": "asc", "anonymous": anonymous}
        return self._all_pages(
            "get_users", body, "users", User.from_json, lambda u: u.user_id, page_size=page_size
        )

    def update(
        self,
        user_id: str,
        *,
        username: str | None = None,
        password: str | None = None,
        first_name: str | None = None,
        last_name: str | None = None,
        phone: str | None = None,
        organization: str | None = None,
        notes: str | None = None,
        email: str | None = None,
        city: str | None = None,
        state: str | None = None,
        country: str | None = None,
        custom_attribute_1: str | None = None,
        custom_attribute_2: str | None = None,
        custom_attribute_3: str | None = None,
        realm: str | None = None,
        locked: bool | None = None,
        disabled: bool | None = None,
        force_password_reset: bool | None = None,
        program_id: str | None = None,
        company_id: str | None = None,
    ) -> User:
        """Change a user (``update_user``; *Users Modify*, and *Users Modify Admin* for a target
        holding Global Admin). None leaves a field unchanged; ``""`` clears a text field. Kasm
        requires the username, so it is read first when not given. A new password must meet
        Kasm's complexity rules, and changing it ends the user's session tokens."""
        uid = convert.require_id(user_id, "user_id")
        if username is None:
            username = self.get(uid).username
        target = _present(
            user_id=uid,
            username=username,
            password=password,
            first_name=first_name,
            last_name=last_name,
            phone=phone,
            organization=organization,
            notes=notes,
            email=email,
            city=city,
            state=state,
            country=country,
            custom_attribute_1=custom_attribute_1,
            custom_attribute_2=custom_attribute_2,
            custom_attribute_3=custom_attribute_3,
            realm=realm,
            locked=locked,
            disabled=disabled,
            force_password_reset=force_password_reset,
            program_id=program_id,
            company_id=company_id,
        )
        data = self._call("update_user", {"target_user": target}, idempotent=True)
        return User.from_json(member("update_user", data, "user"))

    def delete(self, user_id: str, *, force: bool = False, missing_ok: bool = False) -> None:
        """Delete a user (``delete_user``; *Users Delete*, plus *Sessions Delete* with ``force``
        when the user has sessions). Without ``force`` a user with sessions gives Conflict."""
        body = {"target_user": {"user_id": convert.require_id(user_id, "user_id")}, "force": force}
        ignore_missing(lambda: self._call("delete_user", body, idempotent=True), missing_ok)

    def get_attributes(self, user_id: str) -> UserAttributes:
        """A user's preferences (``get_attributes``; *Users View*)."""
        body = {"target_user": {"user_id": convert.require_id(user_id, "user_id")}}
        data = self._call("get_attributes", body, idempotent=True)
        return UserAttributes.from_json(member("get_attributes", data, "user_attributes"))

    def update_attributes(
        self,
        user_id: str,
        *,
        default_image: str | None = None,
        show_tips: bool | None = None,
        auto_login_kasm: bool | None = None,
        toggle_control_panel: bool | None = None,
        chat_sfx: bool | None = None,
        ssh_public_key: str | None = None,
        theme: str | None = None,
        preferred_language: str | None = None,
        preferred_timezone: str | None = None,
    ) -> None:
        """Change a user's preferences (``update_user_attributes``; *Users Modify*). Only the
        given fields are written."""
        target = _present(
            user_id=convert.require_id(user_id, "user_id"),
            default_image=convert.require_id(default_image, "default_image") if default_image else None,
            show_tips=show_tips,
            auto_login_kasm=auto_login_kasm,
            toggle_control_panel=toggle_control_panel,
            chat_sfx=chat_sfx,
            ssh_public_key=ssh_public_key,
            theme=theme,
            preferred_language=preferred_language,
            preferred_timezone=preferred_timezone,
        )
        self._call("update_user_attributes", {"target_user_attributes": target}, idempotent=True)

    def logout(self, user_id: str) -> None:
        """End all of a user's session tokens (``logout_user``; *Users Auth Session*)."""
        body = {"target_user": {"user_id": convert.require_id(user_id, "user_id")}}
        self._call("logout_user", body, idempotent=True)

    def login_url(self, user_id: str) -> str:
        """A one-time login link for the user (``get_login``; *Users Auth Session*).
        The link embeds a session token: treat it as a secret."""
        body = {"target_user": {"user_id": convert.require_id(user_id, "user_id")}}
        data = self._call("get_login", body, idempotent=False)
        url = data.get("url")
        if not isinstance(url, str):
            raise errors.InvalidResponse("get_login", 200, "the answer has no 'url'")
        return url
