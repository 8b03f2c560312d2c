"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "api_configs",
        sa.Column("api_id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("api_key", sa.String(length=64), nullable=False),
        sa.Column("api_key_secret_hash", sa.String(length=128), nullable=False),
        sa.Column("salt", sa.String(length=64), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("read_only", sa.Boolean(), nullable=False),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.Column("last_used", sa.DateTime(), nullable=True),
        sa.Column("expires", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("api_id"),
        sa.UniqueConstraint("api_key"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "groups",
        sa.Column("group_id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("is_system", sa.Boolean(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("program_data", sa.JSON(), nullable=False),
        sa.Column("group_metadata", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("group_id"),
    )
    with op.batch_alter_table("groups", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_groups_name"), ["name"], unique=False)

    op.create_table(
        "registries",
        sa.Column("registry_id", sa.String(length=32), nullable=False),
        sa.Column("registry_url", sa.String(length=255), nullable=False),
        sa.Column("do_auto_update", sa.Boolean(), nullable=False),
        sa.Column("schema_version", sa.String(length=16), nullable=False),
        sa.Column("is_verified", sa.Boolean(), nullable=False),
        sa.Column("config", sa.JSON(), nullable=False),
        sa.Column("workspaces", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("registry_id"),
        sa.UniqueConstraint("registry_url"),
    )
    op.create_table(
        "users",
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("username", sa.String(length=255), nullable=False),
        sa.Column("pw_hash", sa.String(length=128), nullable=False),
        sa.Column("salt", sa.String(length=64), nullable=False),
        sa.Column("locked", sa.Boolean(), nullable=False),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("failed_pw_attempts", sa.Integer(), nullable=False),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("realm", sa.String(length=32), nullable=False),
        sa.Column("first_name", sa.String(length=64), nullable=True),
        sa.Column("last_name", sa.String(length=64), nullable=True),
        sa.Column("phone", sa.String(length=64), nullable=True),
        sa.Column("organization", sa.String(length=64), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("city", sa.String(length=255), nullable=True),
        sa.Column("state", sa.String(length=255), nullable=True),
        sa.Column("country", sa.String(length=255), nullable=True),
        sa.Column("email", sa.String(length=255), nullable=True),
        sa.Column("custom_attribute_1", sa.String(length=255), nullable=True),
        sa.Column("custom_attribute_2", sa.String(length=255), nullable=True),
        sa.Column("custom_attribute_3", sa.String(length=255), nullable=True),
        sa.Column("program_id", sa.String(length=32), nullable=True),
        sa.Column("company_id", sa.String(length=32), nullable=True),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.Column("password_set_date", sa.DateTime(), nullable=True),
        sa.Column("last_session", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("user_id"),
        sa.UniqueConstraint("username"),
    )
    op.create_table(
        "zones",
        sa.Column("zone_id", sa.String(length=32), nullable=False),
        sa.Column("zone_name", sa.String(length=255), nullable=False),
        sa.Column("allow_origin_domain", sa.String(length=255), nullable=True),
        sa.Column("upstream_auth_address", sa.String(length=255), nullable=True),
        sa.Column("proxy_connections", sa.Boolean(), nullable=False),
        sa.Column("proxy_hostname", sa.String(length=255), nullable=True),
        sa.Column("proxy_path", sa.String(length=255), nullable=True),
        sa.Column("proxy_port", sa.Integer(), nullable=False),
        sa.Column("load_strategy", sa.String(length=64), nullable=False),
        sa.Column("prioritize_static_agents", sa.Boolean(), nullable=False),
        sa.Column("search_alternate_zones", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("zone_id"),
        sa.UniqueConstraint("zone_name"),
    )
    op.create_table(
        "group_permissions",
        sa.Column("group_permission_id", sa.String(length=32), nullable=False),
        sa.Column("permission_id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.String(length=32), nullable=True),
        sa.Column("api_id", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(["api_id"], ["api_configs.api_id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["group_id"], ["groups.group_id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("group_permission_id"),
    )
    with op.batch_alter_table("group_permissions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_group_permissions_api_id"), ["api_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_group_permissions_group_id"), ["group_id"], unique=False)

    op.create_table(
        "group_settings",
        sa.Column("group_setting_id", sa.String(length=32), nullable=False),
        sa.Column("group_id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("value", sa.Text(), nullable=True),
        sa.Column("value_type", sa.String(length=32), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["group_id"], ["groups.group_id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("group_setting_id"),
    )
    with op.batch_alter_table("group_settings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_group_settings_group_id"), ["group_id"], unique=False)

    op.create_table(
        "images",
        sa.Column("image_id", sa.String(length=32), nullable=False),
        sa.Column("cores", sa.Float(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("docker_registry", sa.String(length=255), nullable=True),
        sa.Column("docker_token", sa.Text(), nullable=True),
        sa.Column("docker_user", sa.String(length=255), nullable=True),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("friendly_name", sa.String(length=255), nullable=True),
        sa.Column("hash", sa.String(length=255), nullable=True),
        sa.Column("memory", sa.BigInteger(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=True),
        sa.Column("x_res", sa.Integer(), nullable=False),
        sa.Column("y_res", sa.Integer(), nullable=False),
        sa.Column("restrict_to_network", sa.Boolean(), nullable=False),
        sa.Column("restrict_network_names", sa.JSON(), nullable=False),
        sa.Column("restrict_to_server", sa.Boolean(), nullable=False),
        sa.Column("server_id", sa.String(length=32), nullable=True),
        sa.Column("volume_mappings", sa.JSON(), nullable=False),
        sa.Column("run_config", sa.JSON(), nullable=False),
        sa.Column("exec_config", sa.JSON(), nullable=False),
        sa.Column("launch_config", sa.JSON(), nullable=False),
        sa.Column("connection_info", sa.JSON(), nullable=True),
        sa.Column("image_src", sa.String(length=255), nullable=True),
        sa.Column("available_at", sa.DateTime(), nullable=True),
        sa.Column("restrict_to_zone", sa.Boolean(), nullable=False),
        sa.Column("zone_id", sa.String(length=32), nullable=True),
        sa.Column("persistent_profile_path", sa.String(length=255), nullable=True),
        sa.Column("filter_policy_id", sa.String(length=32), nullable=True),
        sa.Column("filter_policy_force_disabled", sa.Boolean(), nullable=False),
        sa.Column("session_time_limit", sa.Integer(), nullable=True),
        sa.Column("categories", sa.JSON(), nullable=False),
        sa.Column("allow_network_selection", sa.Boolean(), nullable=False),
        sa.Column("require_gpu", sa.Boolean(), nullable=False),
        sa.Column("gpu_count", sa.Integer(), nullable=False),
        sa.Column("hidden", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("image_type", sa.String(length=32), nullable=False),
        sa.Column("server_pool_id", sa.String(length=32), nullable=True),
        sa.Column("link_url", sa.String(length=255), nullable=True),
        sa.Column("cpu_allocation_method", sa.String(length=32), nullable=False),
        sa.Column("uncompressed_size_mb", sa.Integer(), nullable=False),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["zone_id"], ["zones.zone_id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("image_id"),
    )
    op.create_table(
        "session_tokens",
        sa.Column("session_token_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("session_token_date", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.user_id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("session_token_id"),
    )
    with op.batch_alter_table("session_tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_session_tokens_user_id"), ["user_id"], unique=False)

    op.create_table(
        "user_attributes",
        sa.Column("user_attributes_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("default_image", sa.String(length=32), nullable=True),
        sa.Column("show_tips", sa.Boolean(), nullable=False),
        sa.Column("auto_login_kasm", sa.Boolean(), nullable=True),
        sa.Column("toggle_control_panel", sa.Boolean(), nullable=False),
        sa.Column("theme", sa.String(length=32), nullable=False),
        sa.Column("chat_sfx", sa.Boolean(), nullable=False),
        sa.Column("ssh_public_key", sa.Text(), nullable=True),
        sa.Column("ssh_private_key", sa.Text(), nullable=True),
        sa.Column("preferred_language", sa.String(length=64), nullable=False),
        sa.Column("preferred_timezone", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.user_id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_attributes_id"),
    )
    with op.batch_alter_table("user_attributes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_user_attributes_user_id"), ["user_id"], unique=True)

    op.create_table(
        "user_groups",
        sa.Column("user_group_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("group_id", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["group_id"], ["groups.group_id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.user_id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_group_id"),
        sa.UniqueConstraint("user_id", "group_id"),
    )
    with op.batch_alter_table("user_groups", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_user_groups_group_id"), ["group_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_user_groups_user_id"), ["user_id"], unique=False)

    op.create_table(
        "group_images",
        sa.Column("group_image_id", sa.String(length=32), nullable=False),
        sa.Column("group_id", sa.String(length=32), nullable=False),
        sa.Column("image_id", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["group_id"], ["groups.group_id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["image_id"], ["images.image_id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("group_image_id"),
    )
    with op.batch_alter_table("group_images", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_group_images_group_id"), ["group_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_group_images_image_id"), ["image_id"], unique=False)

    op.create_table(
        "kasms",
        sa.Column("kasm_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("image_id", sa.String(length=32), nullable=False),
        sa.Column("zone_id", sa.String(length=32), nullable=True),
        sa.Column("server_id", sa.String(length=32), nullable=True),
        sa.Column("container_id", sa.String(length=255), nullable=True),
        sa.Column("container_ip", sa.String(length=64), nullable=True),
        sa.Column("docker_network", sa.String(length=255), nullable=True),
        sa.Column("cores", sa.Float(), nullable=False),
        sa.Column("memory", sa.BigInteger(), nullable=False),
        sa.Column("gpus", sa.Integer(), nullable=False),
        sa.Column("hostname", sa.String(length=255), nullable=True),
        sa.Column("host", sa.String(length=255), nullable=True),
        sa.Column("port", sa.Integer(), nullable=True),
        sa.Column("share_id", sa.String(length=16), nullable=True),
        sa.Column("operational_status", sa.String(length=32), nullable=False),
        sa.Column("operational_message", sa.Text(), nullable=True),
        sa.Column("operational_progress", sa.Integer(), nullable=False),
        sa.Column("start_date", sa.DateTime(), nullable=False),
        sa.Column("created_date", sa.DateTime(), nullable=False),
        sa.Column("keepalive_date", sa.DateTime(), nullable=False),
        sa.Column("expiration_date", sa.DateTime(), nullable=True),
        sa.Column("is_persistent_profile", sa.Boolean(), nullable=False),
        sa.Column("persistent_profile_mode", sa.String(length=32), nullable=True),
        sa.Column("is_standby", sa.Boolean(), nullable=False),
        sa.Column("staging_config_id", sa.String(length=32), nullable=True),
        sa.Column("cast_config_id", sa.String(length=32), nullable=True),
        sa.Column("autoscale_config_id", sa.String(length=32), nullable=True),
        sa.Column("connection_proxy_id", sa.String(length=32), nullable=True),
        sa.Column("connection_info", sa.JSON(), nullable=True),
        sa.Column("connection_credential", sa.Text(), nullable=True),
        sa.Column("queued_tasks", sa.JSON(), nullable=False),
        sa.Column("environment", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["image_id"], ["images.image_id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.user_id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["zone_id"], ["zones.zone_id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("kasm_id"),
    )
    with op.batch_alter_table("kasms", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_kasms_image_id"), ["image_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_kasms_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("kasms", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_kasms_user_id"))
        batch_op.drop_index(batch_op.f("ix_kasms_image_id"))

    op.drop_table("kasms")
    with op.batch_alter_table("group_images", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_group_images_image_id"))
        batch_op.drop_index(batch_op.f("ix_group_images_group_id"))

    op.drop_table("group_images")
    with op.batch_alter_table("user_groups", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_user_groups_user_id"))
        batch_op.drop_index(batch_op.f("ix_user_groups_group_id"))

    op.drop_table("user_groups")
    with op.batch_alter_table("user_attributes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_user_attributes_user_id"))

    op.drop_table("user_attributes")
    with op.batch_alter_table("session_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_session_tokens_user_id"))

    op.drop_table("session_tokens")
    op.drop_table("images")
    with op.batch_alter_table("group_settings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_group_settings_group_id"))

    op.drop_table("group_settings")
    with op.batch_alter_table("group_permissions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_group_permissions_group_id"))
        batch_op.drop_index(batch_op.f("ix_group_permissions_api_id"))

    op.drop_table("group_permissions")
    op.drop_table("zones")
    op.drop_table("users")
    op.drop_table("registries")
    with op.batch_alter_table("groups", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_groups_name"))

    op.drop_table("groups")
    op.drop_table("api_configs")
