"""``terraform-provider-kasm export`` with the real Terraform against the local server: a Kasm populated
through the API is exported; the output passes ``terraform fmt -check`` and ``validate``; the import
(import blocks on Terraform >= 1.5, ``imports.sh`` on older ones) plans only imports and no change; the
plan after the apply is empty; the same directory, without its imports, builds the same structure on a
second, freshly seeded Kasm, and plans empty there too."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from terraform_provider_kasm.cli import main as cli_main
from terraform_provider_kasm.client import KasmClient
from terraform_provider_kasm.server.app import create_app
from tests.export.populate import populate
from tests.fixtures.kasm_server import KasmServer, _serve, external_server, make_settings
from tests.fixtures.terraform import Terraform, step, terraform_binary, terraform_version

ALL_USERS = "All Users"
#: Types whose -generate-config-out output does not plan clean yet (the export writes them right).
GENERATE_CONFIG_GAPS = {
    # Optional only so that ignore_changes may name it; kasm_user refuses it in any configuration,
    # and Terraform writes every optional attribute.
    "kasm_user": "authorized_images cannot be set",
    # Sensitive, so Terraform writes it as null, and a null docker_user is planned as a removal.
    "kasm_image": "docker_user",
}


@pytest.fixture
def kasm_client(kasm_server: KasmServer) -> Iterator[KasmClient]:
    with KasmClient(
        kasm_server.base_url, kasm_server.api_key, kasm_server.api_secret, max_retries=0
    ) as client:
        yield client


@pytest.fixture
def second_kasm(tmp_path: Path) -> Iterator[KasmServer]:
    """Another local server, migrated and seeded on its own (its seeded images and default zone
    have other ids than the first one's)."""
    if external_server() is not None:
        pytest.skip("needs a second local server")
    directory = tmp_path / "second"
    directory.mkdir()
    for settings in make_settings(directory):
        app = create_app(settings)
        try:
            yield from _serve(app, settings)
        finally:
            app.state.kasm.db.dispose()


def structure(client: KasmClient) -> dict[str, Any]:
    """What the export must carry to another Kasm, by name (ids differ between Kasms)."""
    groups = {g.group_id: g.name for g in client.groups.list()}
    images = {i.image_id: i.name for i in client.images.list()}
    zones = {z.zone_id: z.zone_name for z in client.zones.list()}
    return {
        "users": sorted((u.username, u.first_name) for u in client.users.list()),
        "groups": sorted((g.name, g.priority, g.description) for g in client.groups.list()),
        "memberships": sorted(
            (name, m.username)
            for gid, name in groups.items()
            if name != ALL_USERS
            for m in client.groups.users(gid)
        ),
        "group_images": sorted(
            (name, images[gi.image_id]) for gid, name in groups.items() for gi in client.groups.images(gid)
        ),
        "group_settings": sorted(
            (name, st.name, st.value)
            for gid, name in groups.items()
            if name != ALL_USERS
            for st in client.groups.settings(gid)
        ),
        "zones": sorted(zones.values()),
        "images": sorted((i.name, i.friendly_name, zones.get(i.zone_id or "")) for i in client.images.list()),
        "staging": sorted(
            (zones[c.zone_id], images[c.image_id], c.num_sessions) for c in client.staging_configs.list()
        ),
        "cast": sorted(
            (c.key, c.casting_config_name, images[c.image_id or ""]) for c in client.cast_configs.list()
        ),
    }


def export(server: KasmServer, out: Path, *extra: str) -> None:
    argv = ["export", "--out", str(out), "--base-url", server.base_url, "--api-key", server.api_key]
    argv += ["--api-secret", server.api_secret, *extra]
    assert cli_main(argv) == 0


def test_export_imports_clean_and_clones(
    terraform: Callable[..., Terraform],
    kasm_server: KasmServer,
    kasm_client: KasmClient,
    second_kasm: KasmServer,
    tmp_path: Path,
) -> None:
    binary = terraform_binary()
    import_blocks = terraform_version(binary)[:2] >= (1, 5)
    populate(kasm_client)
    before = structure(kasm_client)
    env = {
        "KASM_BASE_URL": kasm_server.base_url,
        "KASM_API_KEY": kasm_server.api_key,
        "KASM_API_SECRET": kasm_server.api_secret,
    }
    tf = terraform(env=env, name="export")
    out = tf.workdir

    with step("export, fmt -check, init, validate"):
        export(kasm_server, out, *(() if import_blocks else ("--no-import-blocks",)))
        written = sorted(p.name for p in out.iterdir())
        assert "imports.sh" in written and "variables.tf" in written and "terraform.tf" in written
        assert ("imports.tf" in written) is import_blocks
        tf.run("fmt", "-check", "-diff")
        tf.init()
        tf.run("validate", "-no-color")
        expected = [
            line.split()[2]
            for line in (out / "imports.sh").read_text().splitlines()
            if line.startswith("terraform import ")
        ]
        assert len(expected) == 17, expected

    if import_blocks:
        with step("the plan shows only imports, no change"):
            plan = tf.plan_json()
            assert plan.actions == {}, plan.actions
            importing = sorted(a for a, rc in plan.changes.items() if rc["change"].get("importing"))
            assert importing == sorted(expected)
            assert plan.raw["resource_changes"] and len(plan.raw["resource_changes"]) == len(expected)
        with step("apply imports them"):
            tf.apply()
            assert sorted(tf.state_list()) == sorted(
                [*expected, "data.kasm_image.terminal", "data.kasm_zones.all"]
            )
    else:
        with step("imports.sh imports them (Terraform < 1.5)"):
            bin_dir = tmp_path / "bin"
            bin_dir.mkdir()
            (bin_dir / "terraform").symlink_to(binary)
            script_env = {**tf.env, "PATH": f"{bin_dir}{os.pathsep}{tf.env.get('PATH', '')}"}
            subprocess.run(
                ["sh", "imports.sh"], cwd=out, env=script_env, check=True, capture_output=True, timeout=600
            )
            assert sorted(a for a in tf.state_list() if not a.startswith("data.")) == sorted(expected)
        with step("apply changes nothing"):
            tf.apply()

    with step("the next plan is empty, and nothing drifted"):
        tf.assert_no_changes()
        tf.assert_no_drift()
        assert structure(kasm_client) == before

    if import_blocks:
        with step("-generate-config-out output plans clean (types without a listed gap)"):
            generated = terraform(env=env, name="generated")
            shutil.copy(out / "terraform.tf", generated.workdir / "terraform.tf")
            blocks = (out / "imports.tf").read_text().split("\n\n")
            left_out = tuple(f"{t}." for t in GENERATE_CONFIG_GAPS)
            generated.write("\n\n".join(b for b in blocks if not any(x in b for x in left_out)), "imports.tf")
            expected_generated = sorted(a for a in expected if not a.startswith(left_out))
            generated.init()
            generated.plan("-generate-config-out=generated.tf")
            plan = generated.plan_json()
            changed = {
                a: {
                    k: (plan.before(a).get(k), v)
                    for k, v in plan.after(a).items()
                    if plan.before(a).get(k) != v
                }
                for a in plan.actions
            }
            assert plan.actions == {}, (changed, (generated.workdir / "generated.tf").read_text())
            importing = sorted(a for a, rc in plan.changes.items() if rc["change"].get("importing"))
            assert importing == expected_generated
            assert {a.split(".")[0] for a in importing} == {
                "kasm_zone",
                "kasm_group",
                "kasm_group_membership",
                "kasm_group_image",
                "kasm_group_setting",
                "kasm_staging_config",
                "kasm_cast_config",
            }

    clone_env = {
        "KASM_BASE_URL": second_kasm.base_url,
        "KASM_API_KEY": second_kasm.api_key,
        "KASM_API_SECRET": second_kasm.api_secret,
    }
    clone = terraform(env=clone_env, name="clone")
    with step("the same configuration, without its imports, recreates the structure on an empty Kasm"):
        for path in out.glob("*.tf"):
            if path.name != "imports.tf":
                shutil.copy(path, clone.workdir / path.name)
        names = re.findall(r'^variable "([^"]+)"', (out / "variables.tf").read_text(), re.M)
        clone.write(
            "".join(f'{n} = "Clone-Passw0rd-{i}"\n' for i, n in enumerate(names)), "secrets.auto.tfvars"
        )
        clone.init()
        clone.apply()
        second = KasmClient(second_kasm.base_url, second_kasm.api_key, second_kasm.api_secret)
        with second:
            # admin@kasm.local (built in) is on both; everything else was made by the apply.
            assert structure(second) == before
    with step("the second plan there is empty"):
        clone.assert_no_changes()
