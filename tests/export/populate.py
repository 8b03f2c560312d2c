"""A Kasm populated through the API (never through Terraform), for the export tests."""

from __future__ import annotations

from dataclasses import dataclass

from terraform_provider_kasm.client import KasmClient
from terraform_provider_kasm.client.models import CastConfigSpec, ImageSpec, StagingConfigSpec, ZoneSpec

ADMINISTRATORS_GROUP_ID = "31aa063c670648589533d3c42092d02a"


@dataclass
class Populated:
    users: dict[str, str]
    groups: dict[str, str]
    images: dict[str, str]
    zone_id: str


def populate(client: KasmClient) -> Populated:
    """Two groups (one a name that needs mangling, one with a name clashing after mangling), three
    users, memberships (one in the built-in Administrators), group images of a new and a seeded image,
    group settings, a zone, an image with a docker password, staging configs in the new and the
    built-in zone, a cast config."""
    ops = client.groups.create("Ops Team", priority=10, description='On call: "ops" ${not a template}')
    dev = client.groups.create("ops-team", priority=20)
    users = {
        name: client.users.create(name, password="Passw0rd!export", first_name=first).user_id
        for name, first in (("alice@example.com", "Alice"), ("bob", "Bob"), ("1carol", None))
    }
    client.groups.add_user(ops.group_id, users["alice@example.com"])
    client.groups.add_user(ops.group_id, users["bob"])
    client.groups.add_user(dev.group_id, users["1carol"])
    client.groups.add_user(ADMINISTRATORS_GROUP_ID, users["bob"])
    zone = client.zones.create(ZoneSpec(zone_name="east", proxy_port=8443))
    image = client.images.create(
        ImageSpec(
            name="example/tools:1.0",
            friendly_name="Tools",
            cores=2.0,
            memory=2_048_000_000,
            docker_user="puller",
            docker_token="s3cret-token",
            run_config={"hostname": "tools"},
            categories=("Dev", "Ops"),
            restrict_to_zone=True,
            zone_id=zone.zone_id,
        )
    )
    seeded = next(i for i in client.images.list() if i.name.startswith("kasmweb/terminal"))
    client.groups.add_image(ops.group_id, image.image_id)
    client.groups.add_image(dev.group_id, seeded.image_id)
    catalogue = {s.name: s for s in client.groups.settings()}
    client.groups.add_setting(ops.group_id, catalogue["allow_kasm_audio"], "false")
    client.staging_configs.create(
        StagingConfigSpec(zone_id=zone.zone_id, image_id=image.image_id, num_sessions=1, expiration=2.5)
    )
    default_zone = next(z for z in client.zones.list() if z.zone_name == "default")
    client.staging_configs.create(
        StagingConfigSpec(zone_id=default_zone.zone_id, image_id=image.image_id, num_sessions=2, expiration=1)
    )
    client.cast_configs.create(
        CastConfigSpec(key="kiosk", casting_config_name="Kiosk", image_id=image.image_id)
    )
    return Populated(
        users,
        {"Ops Team": ops.group_id, "ops-team": dev.group_id},
        {"Tools": image.image_id, "Terminal": seeded.image_id},
        zone.zone_id,
    )
