"""Effective group settings: a user's value comes from their group with the lowest priority number;
the All Users group's rows are the defaults. The sessions area uses this too."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..constants import ALL_USERS_GROUP_ID
from ..storage.tables import Group, GroupSetting, UserGroup


def effective_setting(db: Session, user_id: str | None, name: str) -> GroupSetting | None:
    query = (
        select(GroupSetting)
        .join(Group, Group.group_id == GroupSetting.group_id)
        .where(GroupSetting.name == name)
    )
    if user_id is not None:
        member_of = select(UserGroup.group_id).where(UserGroup.user_id == user_id)
        row = db.scalars(
            query.where(GroupSetting.group_id.in_(member_of)).order_by(Group.priority, Group.group_id)
        ).first()
        if row is not None:
            return row
    return db.scalars(query.where(GroupSetting.group_id == ALL_USERS_GROUP_ID)).first()


def setting_bool(db: Session, user_id: str | None, name: str, default: bool = False) -> bool:
    row = effective_setting(db, user_id, name)
    if row is None or row.value is None or row.value == "":
        return default
    return row.value.strip().lower() == "true"


def setting_int(db: Session, user_id: str | None, name: str, default: int) -> int:
    row = effective_setting(db, user_id, name)
    try:
        return int(float(row.value)) if row is not None and row.value not in (None, "") else default
    except ValueError:
        return default


def setting_str(db: Session, user_id: str | None, name: str, default: str = "") -> str:
    row = effective_setting(db, user_id, name)
    return row.value if row is not None and row.value is not None else default
