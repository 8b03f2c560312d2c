"""End to end with a real Terraform and the test-only provider (tests/tfplugin/thing_provider.py)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from terraform_provider_kasm import __version__
from tests.fixtures.terraform import TEST_PROVIDER_HCL, Terraform, step

pytestmark = pytest.mark.terraform


def thing_hcl(store: Path, body: str, extra: str = "") -> str:
    return (
        TEST_PROVIDER_HCL
        + f'provider "kasm" {{\n  store = "{store}"\n}}\n'
        + f'resource "kasm_test_thing" "a" {{\n{body}\n}}\n'
        + extra
    )


def test_lifecycle(terraform: Callable[..., Terraform], tmp_path: Path) -> None:
    store = tmp_path / "things.json"
    body = 'name = "one"\n ratio = 0.1\n tags = { env = "dev" }\n spec {\n key = "k1"\n }'
    output = 'output "id" {\n value = kasm_test_thing.a.id\n}\n'
    tf = terraform(thing_hcl(store, body + '\n token_wo = "s3cret"', output))
    with step("init from the offline mirror"):
        tf.init()
        assert (tf.workdir / ".terraform.lock.hcl").is_file()

    with step("write-only attributes: refused before Terraform 1.11, planned as null from 1.11"):
        if tf.version() < (1, 11, 0):
            result = tf.plan(expect=(1,))
            assert "Write-only attribute not supported" in result.output
            assert "token_wo" in result.output
        else:
            plan = tf.assert_actions({"kasm_test_thing.a": ["create"]})
            assert plan.after("kasm_test_thing.a")["token_wo"] is None

    with step("create: defaults, computed values and exact decimals"):
        tf.write(thing_hcl(store, body, output))
        tf.apply()
        values = tf.resource_values("kasm_test_thing.a")
        first_id = values["id"]
        assert values["name"] == "one"
        assert values["zone"] == "a" and values["size"] == 1  # defaults
        assert values["revision"] == 1 and values["created_at"]
        assert values["ratio"] == 0.1
        assert values["spec"] == [{"key": "k1", "value": None}]
        assert tf.output_json()["id"]["value"] == first_id
        assert '"ratio":0.1,' in json.loads(store.read_text())[first_id]  # exact, not 0.1000000000000000055…

    with step("nothing changed: the second plan is empty"):
        tf.assert_no_changes()

    with step("an in-place update keeps id (no RequiresReplace) and bumps the computed revision"):
        tf.write(thing_hcl(store, body.replace('"one"', '"two"')))
        plan = tf.assert_actions({"kasm_test_thing.a": ["update"]})
        assert plan.unknown("kasm_test_thing.a").get("revision") is True
        tf.apply()
        values = tf.resource_values("kasm_test_thing.a")
        assert values["id"] == first_id and values["name"] == "two" and values["revision"] == 2
        assert values["created_at"] == "2026-01-01T00:00:00Z"
        tf.assert_no_changes()

    with step("zone has RequiresReplace: a change replaces the thing"):
        replaced_body = body.replace('"one"', '"two"').replace("ratio", 'zone = "b"\n ratio')
        tf.write(thing_hcl(store, replaced_body))
        tf.assert_actions({"kasm_test_thing.a": "replace"})
        tf.apply()
        values = tf.resource_values("kasm_test_thing.a")
        assert values["id"] != first_id and values["zone"] == "b"
        assert set(json.loads(store.read_text())) == {values["id"]}

    with step("import into a fresh working directory and state"):
        second_id = values["id"]
        other = terraform(thing_hcl(store, replaced_body))
        other.init()
        other.import_("kasm_test_thing.a", second_id)
        assert other.state_list() == ["kasm_test_thing.a"]
        assert other.resource_values("kasm_test_thing.a")["name"] == "two"
        other.assert_no_changes()

    with step("destroy"):
        tf.destroy()
        assert json.loads(store.read_text()) == {}
        assert tf.state_list() == []

    with step("deleted outside this state: a refresh drops it instead of failing"):
        other.refresh()
        assert other.state_list() == []


def test_validator_errors_name_the_attribute(terraform: Callable[..., Terraform], tmp_path: Path) -> None:
    store = tmp_path / "things.json"
    tf = terraform(thing_hcl(store, 'name = ""\n size = 1000\n zone = "x"'))
    tf.init()
    result = tf.plan(expect=(1,))
    out = result.output
    assert "Attribute name must be between 1 and 32 characters long, got 0" in out
    assert "Attribute size must be between 1 and 100, got 1000" in out
    assert 'Attribute zone must be one of: "a", "b", "c"' in out
    # Terraform points each error at the attribute's line in the configuration.
    assert 'name = ""' in out and "size = 1000" in out
    assert not store.exists()


def test_provider_logs_reach_terraform_as_hclog(terraform: Callable[..., Terraform], tmp_path: Path) -> None:
    tf = terraform(
        thing_hcl(tmp_path / "things.json", 'name = "one"\n secret = "hunter2"'), env={"TF_LOG": "debug"}
    )
    tf.init()
    result = tf.plan()
    # Terraform parsed our JSON lines: it re-logs them under the plugin's name with our fields.
    lines = [
        ln
        for ln in result.stderr.splitlines()
        if f"terraform-provider-kasm_v{__version__}: provider configured:" in ln
    ]
    assert lines and "@module=kasm" in lines[0]  # (go-plugin prints the fields in random order)
    assert "hunter2" not in result.output


def test_failed_create_and_delete(terraform: Callable[..., Terraform], tmp_path: Path) -> None:
    store = tmp_path / "things.json"
    tf = terraform(thing_hcl(store, 'name = "x"\n fail_on = "create"'))
    tf.init()
    result = tf.apply(expect=(1,))
    assert "Unexpected error in kasm_test_thing create" in result.output
    assert "RuntimeError: injected failure in create" in result.output
    assert tf.state_list() == []

    # A create that fails after making the object keeps it in state, tainted: the next plan replaces it.
    tf.write(thing_hcl(store, 'name = "x"\n fail_on = "after_create"'))
    result = tf.apply(expect=(1,))
    assert "Created, but not finished" in result.output
    assert tf.state_list() == ["kasm_test_thing.a"]
    tainted = tf.show_json()["values"]["root_module"]["resources"][0]
    assert tainted["address"] == "kasm_test_thing.a" and tainted.get("tainted") is True
    tf.assert_actions({"kasm_test_thing.a": "replace"})
    tf.destroy()

    tf.write(thing_hcl(store, 'name = "x"\n fail_on = "delete"'))
    tf.apply()
    result = tf.destroy(expect=(1,))
    assert "Cannot delete this thing" in result.output
    assert tf.state_list() == ["kasm_test_thing.a"]
    tf.write(thing_hcl(store, 'name = "x"'))
    tf.apply()
    tf.destroy()
    assert tf.state_list() == []


def test_data_source_dynamic_nested_and_unknown_values(
    terraform: Callable[..., Terraform], tmp_path: Path
) -> None:
    store = tmp_path / "things.json"
    hcl = thing_hcl(
        store,
        'name = "one"\n ratio = 12345678901234567890123.5\n extra = ["a", 1, true]\n'
        ' ports = [{ number = 80 }, { number = 443, protocol = "udp" }]',
        # b's name and aliases are unknown until a exists.
        'resource "kasm_test_thing" "b" {\n name = kasm_test_thing.a.id\n extra = tolist(["x", "y"])\n'
        ' aliases = [kasm_test_thing.a.created_at, "q"]\n}\n'
        'data "kasm_test_thing" "b" {\n name = kasm_test_thing.b.name\n}\n'
        'output "b_size" {\n value = data.kasm_test_thing.b.size\n}\n',
    )
    tf = terraform(hcl)
    tf.init()
    plan = tf.plan_json()
    assert plan.unknown("kasm_test_thing.b").get("name") is True  # known after apply
    assert plan.unknown("kasm_test_thing.b").get("aliases") == [True, False]
    tf.apply()
    a = tf.resource_values("kasm_test_thing.a")
    b = tf.resource_values("kasm_test_thing.b")
    assert a["ports"] == [{"number": 80, "protocol": "tcp"}, {"number": 443, "protocol": "udp"}]
    assert a["extra"] == ["a", 1, True]
    assert b["name"] == a["id"] and b["aliases"] == [a["created_at"], "q"] and b["extra"] == ["x", "y"]
    assert tf.output_json()["b_size"]["value"] == 1
    stored = json.loads(json.loads(store.read_text())[a["id"]])
    assert stored["extra"] == {"value": ["a", 1, True], "type": ["tuple", ["string", "number", "bool"]]}
    # Big numbers, dynamic values and nested attributes survive the round trip: nothing to change.
    tf.assert_no_changes()
    tf.destroy()
    assert tf.state_list() == []


def test_install_into_the_implied_local_mirror(tmp_path: Path, terraform_base_env: dict[str, str]) -> None:
    """`terraform-provider-kasm install` (default directory) is all a user needs before `terraform init`,
    also for a configuration without required_providers (which means hashicorp/kasm)."""
    import subprocess
    import sys

    from tests.fixtures.terraform import terraform_binary

    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in terraform_base_env.items() if k != "TF_CLI_CONFIG_FILE"}
    env["HOME"] = str(home)
    subprocess.run(
        [sys.executable, "-m", "terraform_provider_kasm", "install"], env=env, check=True, timeout=60
    )
    assert (home / ".terraform.d" / "plugins" / "registry.terraform.io" / "hashicorp" / "kasm").is_dir()
    tf = Terraform(terraform_binary(), tmp_path, env)
    tf.write('provider "kasm" {\n  base_url = "http://127.0.0.1:9"\n}\n')
    tf.init()
    schema = json.loads(tf.run("providers", "schema", "-json").stdout)
    provider = schema["provider_schemas"]["registry.terraform.io/hashicorp/kasm"]["provider"]
    assert provider["block"]["attributes"]["api_secret"]["sensitive"] is True
    subprocess.run(
        [sys.executable, "-m", "terraform_provider_kasm", "uninstall"], env=env, check=True, timeout=60
    )
    assert not list((home / ".terraform.d" / "plugins").rglob("terraform-provider-kasm*"))


def test_read_only_and_null_required_attributes_fail_at_plan(
    terraform: Callable[..., Terraform], tmp_path: Path
) -> None:
    store = tmp_path / "things.json"
    tf = terraform(thing_hcl(store, 'name = "x"\n revision = 3'))
    tf.init()
    for result in (tf.plan(expect=(1,)), tf.destroy(expect=(1,))):
        out = result.output
        assert "Invalid Configuration for Read-Only Attribute" in out and "revision" in out
        assert "Provider produced invalid plan" not in out
    tf.write(thing_hcl(store, "name = null"))
    out = tf.plan(expect=(1,)).output
    assert "Missing Configuration for Required Attribute" in out and "name" in out
    assert "Unexpected error" not in out
    assert not store.exists()
