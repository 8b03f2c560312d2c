"""The exporter against the local server in-process: what it selects and names, and for every
object, that its written arguments plan no change against the state ``terraform import`` gives."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from terraform_provider_kasm.export import exporter, hcl
from terraform_provider_kasm.provider.context import KasmData
from tests.export.populate import populate
from tests.fixtures.inprocess import Harness
from tests.provider.test_inprocess_license import unsigned_key


def _resolve(v: Any, resolved: dict[str, str]) -> Any:
    if isinstance(v, hcl.Expr):
        # A secret's variable is unset (null) when importing.
        return None if v.text.startswith("var.") else resolved[v.text]
    if isinstance(v, list):
        return [_resolve(x, resolved) for x in v]
    return v


def has(text: str, name: str, expression: str) -> bool:
    """``name = expression`` on one line, whatever the alignment of the ``=``."""
    return re.search(rf"^\s*{re.escape(name)}\s+= {re.escape(expression)}$", text, re.M) is not None


def test_every_exported_object_plans_clean(provider_harness: Harness, tmp_path: Path) -> None:
    h = provider_harness
    populate(h.client)
    key = unsigned_key(issued_to="Example Corp", features=["branding"], exp=4_102_444_800)
    h.client.licenses.add(key)
    data = KasmData(h.client)
    listing = exporter.Listing(data)
    options = exporter.Options(out=tmp_path, include_builtin=True)
    entries = exporter.select(listing, options)
    writer = exporter.Writer(listing, entries)
    checked: dict[str, int] = {}
    for entry in entries:
        resource = h.servicer.resources[entry.kind.type_name]
        state = h.import_(entry.kind.type_name, entry.found.import_id)
        assert state is not None
        attributes, lifecycle = writer.arguments(entry, resource, state)
        config = h.config(entry.kind.type_name)
        for name, v in attributes.items():
            config[name] = _resolve(v, writer.resolved)
        # What Terraform does with ignore_changes: the prior value stands for the configuration's.
        for name in lifecycle.get("ignore_changes", hcl.Expr("[]")).text.strip("[]").split(", "):
            if name:
                config[name] = state[name]
        if entry.kind.required_secrets:
            # The variable must be given (here: the key installed); Terraform's ignore_changes then
            # plans the prior null in its place, which the harness cannot show: the key alone is
            # planned, recorded in place.
            for name in entry.kind.secrets:
                config[name] = key
            planned = h.plan(entry.kind.type_name, state, config)
            assert planned.requires_replace == []
            assert {k for k, v in planned.state.items() if v != state.get(k)} == set(entry.kind.secrets)
            checked[entry.kind.type_name] = checked.get(entry.kind.type_name, 0) + 1
            continue
        planned = h.plan(entry.kind.type_name, state, config)
        changed = {k: (state.get(k), v) for k, v in planned.state.items() if v != state.get(k)}
        assert changed == {}, f"{entry.address}: {changed}"
        assert planned.requires_replace == []
        checked[entry.kind.type_name] = checked.get(entry.kind.type_name, 0) + 1
    assert checked == {
        "kasm_zone": 2,
        "kasm_registry": 1,
        "kasm_image": len(h.client.images.list()),
        "kasm_group": 4,
        "kasm_user": 4,
        "kasm_group_membership": 5,
        "kasm_group_image": 2,
        "kasm_group_setting": checked["kasm_group_setting"],
        "kasm_staging_config": 2,
        "kasm_cast_config": 1,
        "kasm_license": 1,
    }
    assert checked["kasm_group_setting"] > 1


def test_names_references_and_builtins(provider_harness: Harness, tmp_path: Path) -> None:
    h = provider_harness
    populate(h.client)
    result = exporter.run(KasmData(h.client), exporter.Options(out=tmp_path), progress=None)
    assert result.counts == {
        "kasm_zone": 1,
        "kasm_registry": 0,
        "kasm_image": 1,
        "kasm_group": 2,
        "kasm_user": 3,
        "kasm_group_membership": 4,
        "kasm_group_image": 2,
        "kasm_group_setting": 1,
        "kasm_staging_config": 2,
        "kasm_cast_config": 1,
        "kasm_license": 0,
    }
    groups = (tmp_path / "groups.tf").read_text()
    # "Ops Team" and "ops-team" mangle to the same name: the second (in name order) gets _2.
    assert 'resource "kasm_group" "ops_team" {' in groups and 'resource "kasm_group" "ops_team_2" {' in groups
    assert has(groups, "description", r'"On call: \"ops\" $${not a template}"')
    users = (tmp_path / "users.tf").read_text()
    assert 'resource "kasm_user" "u_1carol" {' in users and "admin@kasm.local" not in users
    assert has(users, "password", "var.user_bob_password") and "Passw0rd" not in users
    assert has(users, "groups", "[]")
    memberships = (tmp_path / "group_memberships.tf").read_text()
    assert has(memberships, "group_id", "kasm_group.ops_team.id")
    assert has(memberships, "user_id", "kasm_user.alice_example_com.id")
    # A link is named after the Terraform names of its ends.
    assert 'resource "kasm_group_membership" "ops_team_2_u_1carol" {' in memberships
    assert (
        'resource "kasm_group_setting" "ops_team_allow_kasm_audio" {'
        in (tmp_path / "group_settings.tf").read_text()
    )
    # Administrators is built in: its id is the same on every Kasm.
    assert has(memberships, "group_id", '"31aa063c670648589533d3c42092d02a"')
    group_images = (tmp_path / "group_images.tf").read_text()
    # The seeded image is left out, and found by name.
    assert has(group_images, "image_id", "data.kasm_image.terminal.id")
    assert 'data "kasm_image" "terminal" {' in (tmp_path / "data.tf").read_text()
    # The built-in zone is left out, and found by name.
    staging = (tmp_path / "staging_configs.tf").read_text()
    assert has(staging, "zone_id", 'one([for z in data.kasm_zones.all.zones : z.id if z.name == "default"])')
    images = (tmp_path / "images.tf").read_text()
    assert has(images, "zone_id", "kasm_zone.east.id") and "s3cret" not in images
    assert has(images, "ignore_changes", "[docker_password]")
    variables = (tmp_path / "variables.tf").read_text()
    assert variables.count('variable "') == 4 and has(variables, "sensitive", "true")
    imports = (tmp_path / "imports.tf").read_text()
    assert imports.count("import {") == sum(result.counts.values())
    script = (tmp_path / "imports.sh").read_text().splitlines()
    assert len([x for x in script if x.startswith("terraform import ")]) == sum(result.counts.values())
    assert "prevent_destroy" not in "".join(p.read_text() for p in tmp_path.glob("*.tf"))


def test_builtins_are_never_destroyed(provider_harness: Harness, tmp_path: Path) -> None:
    h = provider_harness
    # A previous export's file of a type this one does not write is removed; other files stay.
    (tmp_path / "staging_configs.tf").write_text('resource "kasm_staging_config" "stale" {}\n')
    (tmp_path / "mine.tf").write_text("# the user's own\n")
    result = exporter.run(
        KasmData(h.client), exporter.Options(out=tmp_path, include_builtin=True), progress=None
    )
    groups = (tmp_path / "groups.tf").read_text()
    assert groups.count("prevent_destroy = true") == 2 == result.counts["kasm_group"]
    assert not (tmp_path / "staging_configs.tf").exists() and (tmp_path / "mine.tf").exists()
    for path in tmp_path.glob("*.tf"):
        if path.name == "mine.tf":
            continue
        text = path.read_text()
        assert text.count('resource "') == text.count("prevent_destroy = true"), path.name


def test_filters_and_dry_run(provider_harness: Harness, tmp_path: Path) -> None:
    h = provider_harness
    populate(h.client)
    options = exporter.Options(
        out=tmp_path / "out",
        types=frozenset({"kasm_user", "kasm_group_membership"}),
        exclude_users=re.compile(r"@example\.com$"),
        dry_run=True,
    )
    result = exporter.run(KasmData(h.client), options, progress=None)
    assert result.counts == {"kasm_user": 2, "kasm_group_membership": 3} and result.files == []
    assert not (tmp_path / "out").exists()


def test_references_to_filtered_out_objects_are_lookups(provider_harness: Harness, tmp_path: Path) -> None:
    h = provider_harness
    populate(h.client)
    options = exporter.Options(out=tmp_path, types=frozenset({"kasm_group_membership"}))
    result = exporter.run(KasmData(h.client), options, progress=None)
    assert result.counts == {"kasm_group_membership": 4}
    memberships = (tmp_path / "group_memberships.tf").read_text()
    assert has(memberships, "group_id", "data.kasm_group.ops_team.id")
    assert has(memberships, "user_id", "data.kasm_user.bob.id")
    # "ops-team" clashes with "Ops Team" after mangling: its lookup is another data block.
    assert has(memberships, "group_id", "data.kasm_group.ops_team_2.id")
    assert has(memberships, "group_id", '"31aa063c670648589533d3c42092d02a"')
    data = (tmp_path / "data.tf").read_text()
    assert 'data "kasm_group" "ops_team" {' in data and has(data, "name", '"Ops Team"')
    assert 'data "kasm_group" "ops_team_2" {' in data and has(data, "name", '"ops-team"')
    assert 'data "kasm_user" "alice_example_com" {' in data
