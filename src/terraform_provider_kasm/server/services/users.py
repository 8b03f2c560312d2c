"""Users: Kasm 1.15's public user endpoints (errors are HTTP 400 there, `public=True`)."""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta
from typing import Any

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from sqlalchemy import Select, delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..constants import ALL_USERS_GROUP_ID
from ..endpoints import EndpointGroup, KasmCall
from ..errors import KasmCrash, KasmError
from ..hashing import hash_secret
from ..ids import dashed, parse_id
from ..models.common import Empty
from ..models.users import (
    CreateUserRequest,
    DeleteUserRequest,
    GetUsersRequest,
    GetUsersResponse,
    ListedUserOut,
    LoginResponse,
    TargetUserRequest,
    UpdateUserAttributesRequest,
    UpdateUserRequest,
    UserAttributesOut,
    UserAttributesResponse,
    UserDetailOut,
    UserDetailResponse,
    UserKasmOut,
    UserOut,
    UserResponse,
)
from ..permissions import Permission
from ..permissions import Permission as P
from ..storage.tables import (
    Group,
    GroupPermission,
    GroupSetting,
    Kasm,
    SessionToken,
    User,
    UserAttributes,
    UserGroup,
    utcnow,
)
from .common import MISSING_COLON, as_int, assign, find_row, require_row, target, text
from .group_settings import setting_bool

endpoints = EndpointGroup("users")

SESSION_LIFETIME_SECONDS = 86400
# A user's text columns as Kasm stores them: (length, stripped); create_user takes the first five.
TEXT_FIELDS = {
    **dict.fromkeys(("first_name", "last_name", "phone", "organization"), (64, True)),
    "notes": (10_000, False),
    **dict.fromkeys(("city", "state", "country", "email"), (255, False)),
    **dict.fromkeys(("custom_attribute_1", "custom_attribute_2", "custom_attribute_3"), (255, False)),
}
CREATE_TEXT_FIELDS = ("first_name", "last_name", "phone", "organization", "notes")
SPECIAL_CHARACTERS = set(" !#@$%&'()*+,-./[\\]^_`{|}~\"")
# The columns get_users sorts by (`sort_by`).
SORTABLE_NAMES = "username created locked disabled last_session first_name last_name realm organization phone"
SORTABLE = {name: getattr(User, name) for name in SORTABLE_NAMES.split()}


# --- shared helpers (the groups and sessions areas use these too) ----------------------------------


def _user_text(value: Any, key: str) -> str | None:
    length, strip = TEXT_FIELDS[key]
    return text(value, length, strip=strip)


def normalise_username(value: Any) -> str:
    if not isinstance(value, str):
        raise KasmCrash("username is not a string")
    return value.strip().lower()[:255]


def find_user(db: Session, spec: dict[str, Any]) -> User | None:
    """By `user_id` when given (a non-uuid finds nothing), else by username (lower-cased)."""
    if spec.get("user_id") is not None:
        return find_row(db, User, spec["user_id"])
    if isinstance(spec.get("username"), str):
        return db.scalar(select(User).where(User.username == spec["username"].strip().lower()))
    return None


def required_user(call: KasmCall) -> User:
    """The user `target_user.user_id` names (get_login and the session-token calls; HTTP 400)."""
    return require_row(
        call, User, "target_user.user_id", MISSING_COLON, "No user found with id: ({value})", status=400
    )


def user_groups(db: Session, user_ids: list[str]) -> dict[str, list[Group]]:
    """The groups of each user, by name, in one query (get_users pages)."""
    result: dict[str, list[Group]] = {user_id: [] for user_id in user_ids}
    if user_ids:
        rows = db.execute(
            select(UserGroup.user_id, Group)
            .join(Group, Group.group_id == UserGroup.group_id)
            .where(UserGroup.user_id.in_(user_ids))
            .order_by(Group.name, Group.group_id)
        )
        for user_id, group in rows:
            result[user_id].append(group)
    return result


def is_global_admin(db: Session, user_id: str) -> bool:
    """Whether the user holds Global Admin through one of their groups."""
    member_of = select(UserGroup.group_id).where(UserGroup.user_id == user_id)
    query = select(GroupPermission.group_permission_id).where(
        GroupPermission.group_id.in_(member_of), GroupPermission.permission_id == int(Permission.GLOBAL_ADMIN)
    )
    return db.scalars(query).first() is not None


def create_user_record(
    db: Session,
    username: str,
    password: str | None = None,
    *,
    realm: str = "local",
    anonymous: bool = False,
    **fields: Any,
) -> User:
    """Insert a user the way Kasm's `createUser` does: All Users, auto-add groups, an attributes row."""
    salt = uuid.uuid4().hex
    user = User(
        username=username,
        pw_hash=hash_secret(password if password is not None else uuid.uuid4().hex, salt),
        salt=salt,
        realm=realm,
        anonymous=anonymous,
        password_set_date=utcnow(),
        **fields,
    )
    db.add(user)
    db.flush()
    groups = {ALL_USERS_GROUP_ID}
    if realm == "local":
        auto = db.scalars(
            select(GroupSetting).where(
                GroupSetting.name == "auto_add_local_users", GroupSetting.group_id.isnot(None)
            )
        )
        groups.update(row.group_id for row in auto if (row.value or "").strip().lower() == "true")
    if user.program_id:
        groups.add(user.program_id)
    db.add_all(UserGroup(user_id=user.user_id, group_id=group_id) for group_id in sorted(groups))
    db.add(UserAttributes(user_id=user.user_id))
    db.flush()
    return user


def new_session_token(db: Session, user_id: str) -> SessionToken:
    now = utcnow()
    token = SessionToken(
        user_id=user_id, session_token_date=now, expires_at=now + timedelta(seconds=SESSION_LIFETIME_SECONDS)
    )
    db.add(token)
    db.flush()
    return token


# --- output shapes ----------------------------------------------------------------------------------


def user_out(db: Session, user: User) -> dict[str, Any]:
    return UserOut.dump(user, groups=user_groups(db, [user.user_id])[user.user_id])


def _kasms_out(kasms: list[Kasm]) -> list[UserKasmOut]:
    return [UserKasmOut.of(kasm, server=kasm) for kasm in kasms]


def _user_kasms(db: Session, user_ids: list[str]) -> dict[str, list[Kasm]]:
    result: dict[str, list[Kasm]] = {user_id: [] for user_id in user_ids}
    if user_ids:
        for kasm in db.scalars(select(Kasm).where(Kasm.user_id.in_(user_ids)).order_by(Kasm.created_date)):
            result[kasm.user_id].append(kasm)
    return result


def user_detail_out(call: KasmCall, user: User) -> dict[str, Any]:
    kasms = _user_kasms(call.db, [user.user_id])[user.user_id] if call.can(Permission.SESSIONS_VIEW) else []
    return UserDetailOut.dump(
        user,
        groups=user_groups(call.db, [user.user_id])[user.user_id],
        kasms=_kasms_out(kasms),
        two_factor=setting_bool(call.db, user.user_id, "require_2fa"),
    )


# --- endpoints --------------------------------------------------------------------------------------


@endpoints.read_write([P.USERS_CREATE], CreateUserRequest, UserResponse)
def create_user(call: KasmCall) -> dict[str, Any]:
    """Create a user (username stored lower-cased; joins All Users)."""
    spec = target(call.body, "target_user")
    if not spec.get("username"):
        raise KasmError(MISSING_COLON, 400)
    username = normalise_username(spec["username"])
    if not username:
        raise KasmError(MISSING_COLON, 400)
    db = call.db
    if db.scalar(select(User.user_id).where(User.username == username)) is not None:
        raise KasmError(f"Error creating user ({username}): (User already exists)", 400)
    if spec.get("company_id"):
        # No companies exist on this server.
        raise KasmError("Invalid Request: Company does not exist", 400)
    program_id = None
    if spec.get("program_id"):
        program_id = parse_id(spec["program_id"])
        if program_id is None or db.get(Group, program_id) is None:
            raise KasmError(f"Unknown program_id ({spec['program_id']})", 400)
    password = spec.get("password")
    if password is not None and not isinstance(password, str):
        raise KasmCrash("password is not a string")
    realm = spec.get("realm") or "local"
    if not isinstance(realm, str):
        raise KasmCrash("realm is not a string")
    texts: dict[str, Any] = {key: _user_text(spec.get(key), key) for key in CREATE_TEXT_FIELDS}
    try:
        user = create_user_record(
            db,
            username,
            password or None,
            realm=realm,
            **texts,
            locked=bool(spec.get("locked")),
            disabled=bool(spec.get("disabled")),
            program_id=program_id,
        )
    except IntegrityError as exc:
        # A concurrent create of the same username won the race.
        raise KasmError(f"Error creating user ({username}): (User already exists)", 400) from exc
    return {"user": user_out(db, user)}


@endpoints.read_only([P.USERS_VIEW], TargetUserRequest, UserDetailResponse)
def get_user(call: KasmCall) -> dict[str, Any]:
    """One user by `user_id` or `username`."""
    spec = target(call.body, "target_user")
    user = find_user(call.db, spec)
    if user is None:
        raise KasmError("Invalid Request", 400)
    return {"user": user_detail_out(call, user)}


@endpoints.read_only([P.USERS_VIEW], GetUsersRequest, GetUsersResponse)
def get_users(call: KasmCall) -> dict[str, Any]:
    """Users (non-anonymous by default), newest first unless `sort_by`/`sort_direction` say otherwise."""
    body = call.body
    db = call.db
    query: Select[User] = select(User)
    if body.get("anonymous_only"):
        query = query.where(User.anonymous.is_(True))
    elif not body.get("anonymous"):
        query = query.where(User.anonymous.is_(False))
    filters = body.get("filters") or []
    if not isinstance(filters, list):
        raise KasmCrash("filters is not a list")
    for item in filters:
        if not isinstance(item, dict):
            raise KasmCrash("filter is not an object")
        query = _apply_filter(query, item.get("id"), item.get("value"))
    total = db.scalar(select(func.count()).select_from(query.subquery())) or 0
    sort_by = body.get("sort_by")
    column = SORTABLE.get(sort_by, User.created) if isinstance(sort_by, str) else User.created
    ascending = body.get("sort_direction") == "asc"
    query = query.order_by(column.asc() if ascending else column.desc(), User.user_id)
    page_size = as_int(body["page_size"]) if body.get("page_size") is not None else None
    page = as_int(body["page"]) if body.get("page") is not None else None
    if page is not None:
        size = page_size if page_size and page_size > 0 else 20
        query = query.offset(max(page, 0) * size).limit(size)
    elif page_size is not None and page_size > 0:
        query = query.limit(page_size)
    users = list(db.scalars(query))
    groups = user_groups(db, [u.user_id for u in users]) if call.can(Permission.GROUPS_VIEW) else {}
    kasms = _user_kasms(db, [u.user_id for u in users]) if call.can(Permission.SESSIONS_VIEW) else {}
    entries = [
        ListedUserOut.dump(
            user,
            user_id=dashed(user.user_id),
            groups=groups.get(user.user_id, []),
            kasms=_kasms_out(kasms.get(user.user_id, [])),
        )
        for user in users
    ]
    result: dict[str, Any] = {"users": entries, "total": total}
    if page is not None:
        result["page"] = page
    return result


def _apply_filter(query: Select[User], name: Any, value: Any) -> Select[User]:
    if name == "username" and value is not None:
        return query.where(User.username.contains(str(value).strip().lower(), autoescape=True))
    if name in ("locked", "disabled"):
        flag = value if isinstance(value, bool) else str(value).strip().lower() == "true"
        return query.where(getattr(User, name).is_(flag))
    if name == "created" and isinstance(value, dict):
        try:
            if value.get("from"):
                query = query.where(
                    User.created >= datetime.fromisoformat(str(value["from"])).replace(tzinfo=None)
                )
            if value.get("to"):
                query = query.where(
                    User.created <= datetime.fromisoformat(str(value["to"])).replace(tzinfo=None)
                )
        except ValueError as exc:
            raise KasmCrash("bad created filter") from exc
        return query
    if name == "exclude_group" and value:
        group_id = parse_id(value)
        members = select(UserGroup.user_id).where(UserGroup.group_id == group_id)
        return query.where(User.user_id.not_in(members))
    return query


def password_problem(password: str) -> str | None:
    """Kasm's `passwordComplexityCheck(min_len=8)`: the first failing rule, in Kasm's order."""
    if not re.search(r"\d", password):
        return "Your password must contain at least one number."
    if len(password) < 8:
        return "Your password must be at least 8 characters long"
    if not any(c in SPECIAL_CHARACTERS for c in password):
        return "Your password must contain at least one special character."
    if not re.search(r"[a-z]", password):
        return "Your password must contain at least one lower case character."
    if not re.search(r"[A-Z]", password):
        return "Your password must contain at least one upper case character."
    return None


def _require_admin_rights(call: KasmCall, user: User) -> None:
    """Targets holding Global Admin need Users Modify Admin."""
    if is_global_admin(call.db, user.user_id) and not call.can(Permission.USERS_MODIFY_ADMIN):
        raise KasmError("Unauthorized", 401)


@endpoints.read_write([P.USERS_MODIFY], UpdateUserRequest, UserResponse)
def update_user(call: KasmCall) -> dict[str, Any]:
    """Update a user (`username` is required)."""
    spec = target(call.body, "target_user")
    db = call.db
    user = require_row(call, User, "target_user.user_id", "Invalid Request", "Unknown User", status=400)
    _require_admin_rights(call, user)
    if not spec.get("username"):
        raise KasmError("Username is not present", 400)
    password = spec.get("password")
    if password is not None:
        if not isinstance(password, str):
            raise KasmCrash("password is not a string")
        if user.realm not in ("local", "ldap"):
            raise KasmError("Passwords can only be set on local and ldap accounts.", 400)
        problem = password_problem(password)
        if problem:
            raise KasmError(problem, 400)
    status = spec.get("status")
    if status is not None and status not in ("active", "inactive"):
        raise KasmError(f"Invalid Status ({status})", 400)
    user.username = normalise_username(spec["username"])
    for key in TEXT_FIELDS:
        if spec.get(key) is not None:
            setattr(user, key, _user_text(spec[key], key))
    if spec.get("realm") is not None:
        user.realm = text(spec["realm"], 32) or "local"
    if spec.get("locked") is True:
        user.locked = True
    elif spec.get("locked") is False:
        user.locked = False
        user.failed_pw_attempts = 0
    if spec.get("disabled") is not None:
        user.disabled = bool(spec["disabled"])
    if status == "active":
        user.locked = False
    elif status == "inactive":
        user.locked = True
    if spec.get("program_id") is not None:
        user.program_id = parse_id(spec["program_id"])
    if password is not None:
        user.salt = uuid.uuid4().hex
        user.pw_hash = hash_secret(password, user.salt)
        user.locked = False
        user.password_set_date = utcnow()
        # A password change signs the user out everywhere.
        db.execute(delete(SessionToken).where(SessionToken.user_id == user.user_id))
    if spec.get("force_password_reset") is True:
        user.password_set_date = None
    try:
        db.flush()
    except IntegrityError as exc:
        # Kasm 1.15 does not check username uniqueness on update; the unique index fails.
        raise KasmCrash("duplicate username") from exc
    return {"user": user_out(db, user)}


@endpoints.read_write([P.USERS_DELETE], DeleteUserRequest, Empty)
def delete_user(call: KasmCall) -> dict[str, Any]:
    """Delete a user (`force` also destroys their sessions)."""
    body = call.body
    force = body.get("force", False)
    if not isinstance(force, bool):
        raise KasmError("Invalid Request. 'force' option must be boolean")
    db = call.db
    user = require_row(call, User, "target_user.user_id", MISSING_COLON, "Unknown user ({value})", status=400)
    _require_admin_rights(call, user)
    sessions = db.scalar(select(func.count()).select_from(Kasm).where(Kasm.user_id == user.user_id)) or 0
    if sessions and not force:
        raise KasmError(f"Users contains ({sessions}) kasms and 'force' option not set to True", 400)
    if sessions and not call.can(Permission.SESSIONS_DELETE):
        raise KasmError(
            f"API Key ({call.api.name}) unauthorized for deleting the requested user ({user.username}) sessions.",
            401,
        )
    # Sessions, memberships, attributes and tokens go with the user (foreign keys cascade).
    db.execute(delete(Kasm).where(Kasm.user_id == user.user_id))
    db.delete(user)
    return {}


@endpoints.read_write([P.USERS_AUTH_SESSION], TargetUserRequest, Empty)
def logout_user(call: KasmCall) -> dict[str, Any]:
    """Delete all of a user's session tokens."""
    spec = target(call.body, "target_user")
    if not spec:
        raise KasmError("Invalid Request: Missing required target_user", 400)
    user = require_row(
        call,
        User,
        "target_user.user_id",
        "Invalid Request: Missing required user_id",
        "Unknown user ({value})",
        status=400,
    )
    call.db.execute(delete(SessionToken).where(SessionToken.user_id == user.user_id))
    return {}


def _attributes(db: Session, user: User) -> UserAttributes:
    attributes = db.scalar(select(UserAttributes).where(UserAttributes.user_id == user.user_id))
    if attributes is None:
        attributes = UserAttributes(user_id=user.user_id)
        db.add(attributes)
    if attributes.ssh_public_key is None:
        # Kasm generates the pair on create_user; done lazily here because RSA generation is slow.
        private_key, public_key = generate_ssh_keypair()
        attributes.ssh_private_key, attributes.ssh_public_key = private_key, public_key
    db.flush()
    return attributes


def generate_ssh_keypair() -> tuple[str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH, serialization.NoEncryption()
    ).decode()
    public = key.public_key().public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
    return private, public.decode()


@endpoints.read_only([P.USERS_VIEW], TargetUserRequest, UserAttributesResponse, writes=True)
def get_attributes(call: KasmCall) -> dict[str, Any]:
    """A user's attributes (preferences and SSH public key)."""
    spec = target(call.body, "target_user")
    if not (spec.get("user_id") or spec.get("username")):
        raise KasmError(MISSING_COLON, 400)
    user = find_user(call.db, spec)
    if user is None:
        raise KasmError(f"No user found with name/id: ({spec.get('user_id') or spec.get('username')})", 400)
    return {"user_attributes": UserAttributesOut.dump(_attributes(call.db, user))}


# sic: Kasm 1.15 lets read-only keys call it
@endpoints.read_only([P.USERS_MODIFY], UpdateUserAttributesRequest, Empty, writes=True)
def update_user_attributes(call: KasmCall) -> dict[str, Any]:
    """Change a user's attributes (only the keys given)."""
    spec = target(call.body, "target_user_attributes")
    if not spec:
        raise KasmError("No target user attribute in request", 400)
    user = require_row(
        call,
        User,
        "target_user_attributes.user_id",
        "Missing required parameters",
        "Missing or invalid user",
        status=400,
    )
    _require_admin_rights(call, user)
    attributes = _attributes(call.db, user)
    if spec.get("ssh_private_key"):
        attributes.ssh_private_key, attributes.ssh_public_key = _load_private_key(
            spec["ssh_private_key"], spec.get("ssh_passphrase")
        )
    elif "ssh_public_key" in spec:
        attributes.ssh_public_key = text(spec["ssh_public_key"], 100_000)
    if "default_image" in spec:
        value = spec["default_image"]
        attributes.default_image = None if value in (None, "") else parse_id(value)
        if value not in (None, "") and attributes.default_image is None:
            raise KasmCrash("default_image is not a uuid")
    assign(attributes, spec, ("show_tips", "toggle_control_panel", "chat_sfx"), bool)
    if "auto_login_kasm" in spec:
        attributes.auto_login_kasm = (
            None if spec["auto_login_kasm"] is None else bool(spec["auto_login_kasm"])
        )
    assign(
        attributes, spec, ("theme", "preferred_language", "preferred_timezone"), lambda value: text(value, 64)
    )
    call.db.flush()
    return {}


def _load_private_key(value: Any, passphrase: Any) -> tuple[str, str]:
    if not isinstance(value, str):
        raise KasmError("Error processing SSH Private Key: (key must be a string)", 400)
    password = passphrase.encode() if isinstance(passphrase, str) and passphrase else None
    try:
        data = value.encode()
        key: Any = (
            serialization.load_ssh_private_key(data, password)
            if b"OPENSSH PRIVATE KEY" in data
            else serialization.load_pem_private_key(data, password)
        )
        public = key.public_key().public_bytes(
            serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH
        )
    except (ValueError, TypeError, AttributeError, UnsupportedAlgorithm) as exc:
        raise KasmError(f"Error processing SSH Private Key: ({exc})", 400) from exc
    return value, public.decode()


@endpoints.read_only([P.USERS_AUTH_SESSION], TargetUserRequest, LoginResponse, writes=True)
def get_login(call: KasmCall) -> dict[str, Any]:
    """A login link for a user (creates a session token)."""
    user = required_user(call)
    token = new_session_token(call.db, user.user_id)
    return {
        "url": f"https://{call.host}/#/connect/login/dash/{user.user_id}/{dashed(token.session_token_id)}"
    }
