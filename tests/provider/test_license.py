"""kasm_license with a real Terraform and the local server's unsigned test keys: install, import and
record, replace, deleted outside, bad keys, activation offline, destroy."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from terraform_provider_kasm.client import KasmClient
from tests.fixtures.terraform import Terraform, step

pytestmark = pytest.mark.terraform


def hcl(claims: str, name: str = "l") -> str:
    """A license from the local server's test key format, written in HCL as its docs show."""
    return f"""
resource "kasm_license" "{name}" {{
  license_key = "${{base64encode(jsonencode({{ alg = "none" }}))}}.${{base64encode(jsonencode({claims}))}}."
}}
"""


GOOD = '{ limit = 10, license_type = "Per Concurrent Kasm", sku = "TEST", iat = 1700000000, issued_to = "Example" }'
MORE = '{ limit = 20, license_type = "Per Concurrent Kasm", sku = "TEST", iat = 1700000000, issued_to = "Example" }'


def licenses(client: KasmClient) -> dict[str, int | None]:
    return {lic.license_id: lic.limit for lic in client.licenses.list()}


def test_license(kasm_tf: Callable[..., Terraform], kasm_client: KasmClient) -> None:
    before = licenses(kasm_client)
    tf = kasm_tf(hcl(GOOD))
    with step("install from a license key; second plan empty; the key is sensitive"):
        out = tf.apply().output
        assert (
            re.search(r"license_key +\= \(sensitive value\)", out) and "eyJ" not in out
        )  # no part of the key
        values = tf.resource_values("kasm_license.l")
        license_id = values["id"]
        assert licenses(kasm_client)[license_id] == 10 and values["issued_to"] == "Example"
        tf.assert_no_changes()

    with step("import by id into a fresh directory: the key is recorded in place, then an empty plan"):
        other = kasm_tf(hcl(GOOD))
        other.import_("kasm_license.l", license_id)
        other.assert_actions({"kasm_license.l": ["update"]})
        other.apply()
        assert licenses(kasm_client) == {**before, license_id: 10}
        other.assert_no_changes()
        other.run("state", "rm", "kasm_license.l")

    with step("another key replaces the license"):
        tf.write(hcl(MORE))
        tf.assert_actions({"kasm_license.l": "replace"})
        tf.apply()
        license_id = tf.resource_values("kasm_license.l")["id"]
        assert licenses(kasm_client) == {**before, license_id: 20}
        tf.assert_no_changes()

    with step("deleted behind Terraform's back: planned again"):
        kasm_client.licenses.delete(license_id)
        tf.assert_actions({"kasm_license.l": ["create"]})
        tf.apply()
        license_id = tf.resource_values("kasm_license.l")["id"]

    with step("bad input: Kasm's message on the attribute, nothing installed, no secret shown"):
        bad = kasm_tf(hcl("{ limit = 1, exp = 1000000000 }", name="bad"))
        out = bad.apply(expect=(1,)).output
        assert "Invalid License: Signature has expired" in out and "from license_key" in out
        bad.write(
            'resource "kasm_license" "bad" {\n  activation_key = "ACTIVATE-1234-5678"\n  seats = 5\n}\n'
        )
        out = bad.apply(expect=(1,)).output
        assert "Missing license_server_url Setting" in out and "from activation_key" in out
        assert "ACTIVATE-1234-5678" not in out  # the key's source line is not printed
        bad.write('resource "kasm_license" "bad" {\n  seats = 5\n}\n')
        out = bad.plan(expect=(1,)).output
        assert "license_key" in out and "activation_key" in out
        assert bad.state_list() == [] and licenses(kasm_client) == {**before, license_id: 20}

    with step("destroy leaves the server as before"):
        tf.destroy()
        assert licenses(kasm_client) == before
