"""kasm_user.authorized_images: nameable in ignore_changes without a warning, never settable."""

from __future__ import annotations

import json
from collections.abc import Callable

from tests.fixtures.terraform import Terraform

USER = """
resource "kasm_user" "u" {
  username = "jdoe"
  password = "s3cret-Passw0rd"
  %s
}
"""
#: validate never configures the provider; these only keep it from looking elsewhere.
ENV = {"KASM_BASE_URL": "http://127.0.0.1:9", "KASM_API_KEY": "k", "KASM_API_SECRET": "s"}


def test_setting_authorized_images_is_a_clear_error(terraform: Callable[..., Terraform]) -> None:
    tf = terraform(USER % 'authorized_images = ["0b8d3f6a1c2e4d5f9a7b6c5d4e3f2a1b"]', env=ENV)
    tf.init()
    report = json.loads(tf.run("validate", "-json", "-no-color", expect=(1,)).stdout)
    (diagnostic,) = report["diagnostics"]
    assert diagnostic["severity"] == "error"
    assert diagnostic["summary"] == "authorized_images cannot be set"
    assert "kasm_group_image" in diagnostic["detail"]
    assert "authorized_images" in diagnostic["snippet"]["code"]  # it points at the attribute's line


def test_ignore_changes_on_authorized_images_draws_no_warning(terraform: Callable[..., Terraform]) -> None:
    tf = terraform(USER % "lifecycle {\n    ignore_changes = [groups, authorized_images]\n  }", env=ENV)
    tf.init()
    report = json.loads(tf.run("validate", "-json", "-no-color").stdout)
    assert report["valid"] and report["warning_count"] == 0, report
