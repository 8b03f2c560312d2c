"""kasm_image (resource and data source) against the local Kasm server, driven by the real Terraform
binary: one walk through create, empty plan, update in place, import, drift, bad input and destroy."""

from __future__ import annotations

import json
from collections.abc import Callable

from terraform_provider_kasm.client import KasmClient
from tests.fixtures.kasm_server import KasmServer
from tests.fixtures.terraform import Terraform, step

TF = Callable[..., Terraform]
NAME = "kasmweb/tf-image:1.0"

# Written by hand, not with jsonencode(): key order and whitespace differ from what Kasm returns.
RUN_CONFIG = (
    '<<-EOT\n    {\n      "hostname": "kasm",\n      "environment": {"TZ": "UTC", "A": "1"}\n    }\n  EOT'
)


MORE = (
    'resource "kasm_image" "more" {\n  count = 3\n  name  = "kasmweb/tf-more-${count.index}:1.0"\n'
    '  exec_config = jsonencode({ go = { cmd = "true" } })\n}\n\n'
)


def image_hcl(*, cores: str = "1.5", description: str | None = '"first"', run_config: str = RUN_CONFIG,
              extra: str = "", more: bool = True) -> str:  # fmt: skip
    lines = [
        f'  name          = "{NAME}"',
        '  friendly_name = "TF image"',
        f"  cores         = {cores}",
        "  memory        = 2768000000",
        '  categories    = ["Dev", "Tools"]',
        f"  run_config    = {run_config}",
        '  volume_mappings = jsonencode({ "/data" = { bind = "/data", mode = "rw" } })',
        '  persistent_profile_path = "/profiles/{username}"',
    ]
    if description is not None:
        lines.append(f"  description   = {description}")
    resource = 'resource "kasm_image" "i" {\n' + "\n".join(lines) + f"\n{extra}}}\n\n"
    if not more:  # just the one image (the import step's directory)
        return resource
    return (
        MORE
        + resource
        + 'data "kasm_image" "by_id" {\n  id = kasm_image.i.id\n}\n\n'
        + 'output "ds_run_config" {\n  value = data.kasm_image.by_id.run_config\n}\n'
    )


def _images(client: KasmClient) -> set[tuple[str, str]]:
    return {(i.image_id, i.name) for i in client.images.list()}


def test_image_lifecycle(
    kasm_tf: TF, terraform: TF, kasm_env: dict[str, str], kasm_client: KasmClient, kasm_server: KasmServer
) -> None:
    client = kasm_client
    before = _images(client)
    t = kasm_tf(image_hcl())

    with step("create: every configured field reaches Kasm; unset ones stay null; second plan empty"):
        t.apply()
        values = t.resource_values("kasm_image.i")
        image = client.images.get(values["id"])
        assert (image.name, image.friendly_name, image.cores, image.memory) == (
            NAME,
            "TF image",
            1.5,
            2768000000,
        )
        assert image.run_config == {"hostname": "kasm", "environment": {"TZ": "UTC", "A": "1"}}
        assert image.volume_mappings == {"/data": {"bind": "/data", "mode": "rw"}}
        assert image.categories == ("Dev", "Tools") and image.description == "first"
        for unset in ("docker_registry", "docker_user", "docker_password", "exec_config", "zone_id"):
            assert values[unset] is None, unset
        assert json.loads(t.output_json()["ds_run_config"]["value"]) == image.run_config
        kasm_server.reset_call_counts()
        t.assert_no_changes()
        # A refresh of four images and the data source: the plan's one provider process lists the
        # images once (configure's get_images primes the cache) and makes no call per image.
        assert kasm_server.call_counts() == {"get_images": 1}

    with step("the same JSON written differently is no change"):
        t.write(
            image_hcl(run_config='jsonencode({ environment = { A = "1", TZ = "UTC" }, hostname = "kasm" })')
        )
        t.assert_no_changes()

    with step("update in place: cores, description and run_config"):
        t.write(image_hcl(cores="2", description='"second"', run_config='jsonencode({ hostname = "other" })'))
        t.assert_actions({"kasm_image.i": ["update"]})
        t.apply()
        image = client.images.get(values["id"])
        assert (image.cores, image.description, image.run_config) == (2.0, "second", {"hostname": "other"})
        assert t.resource_values("kasm_image.i")["id"] == values["id"]
        t.assert_no_changes()

    with step("import by docker name into another directory, then an empty plan"):
        other = terraform(image_hcl(cores="2", description='"second"', run_config='jsonencode({ hostname = "other" })',
                                    more=False), env=kasm_env)  # fmt: skip
        other.init()
        other.import_("kasm_image.i", f"name:{NAME}")
        assert other.resource_values("kasm_image.i")["id"] == values["id"]
        other.assert_no_changes()
        other.run("state", "rm", "kasm_image.i")

    with step("deleted on the server: the next plan creates it again"):
        client.images.delete(values["id"])
        t.assert_actions({"kasm_image.i": ["create"]})
        t.apply()
        values = t.resource_values("kasm_image.i")
        assert client.images.get(values["id"]).description == "second"
        t.assert_no_changes()

    with step("bad input: errors name the attribute, nothing is written"):
        current = _images(client)
        t.write(image_hcl(cores="-1"))
        bad = t.plan(expect=(1,))
        assert "Attribute cores" in bad.output and "greater than 0" in bad.output
        t.write(image_hcl(run_config='"{not json"'))
        bad = t.plan(expect=(1,))
        assert "Attribute run_config" in bad.output and "not valid JSON" in bad.output
        t.write(image_hcl(extra=f'  restrict_to_zone = true\n  zone_id = "{"e" * 32}"\n'))
        bad = t.apply(expect=(1,))
        assert "Unknown zone" in bad.output and "zone_id" in bad.output
        assert _images(client) == current

    if t.version()[:2] >= (1, 11):
        with step("write-only docker password (Terraform >= 1.11): sent, never stored"):
            t.write(image_hcl(description='"second"', run_config='jsonencode({ hostname = "other" })',
                              extra='  docker_password_wo = "tok-1"\n  docker_password_wo_version = 1\n'))  # fmt: skip
            t.apply()
            state = t.resource_values("kasm_image.i")
            assert state["docker_password_wo"] is None and state["docker_password_wo_version"] == 1
            assert client.images.get(values["id"]).docker_token == "**********"
            assert "tok-1" not in json.dumps(t.show_json())
            t.assert_no_changes()
    else:
        with step("write-only docker password on Terraform < 1.11: a clear error"):
            t.write(image_hcl(extra='  docker_password_wo = "tok-1"\n'))
            bad = t.plan(expect=(1,))
            assert "Write-only attribute not supported" in bad.output and "docker_password_wo" in bad.output

    with step("destroy leaves the server as it was"):
        t.write(image_hcl())
        t.destroy()
        assert _images(client) == before
