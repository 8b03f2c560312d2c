"""kasm_user: password_wo_version without password_wo fails at validate, naming both attributes."""

from __future__ import annotations

import json
from collections.abc import Callable

from tests.fixtures.terraform import Terraform

#: validate never configures the provider; these only keep it from looking elsewhere.
ENV = {"KASM_BASE_URL": "http://127.0.0.1:9", "KASM_API_KEY": "k", "KASM_API_SECRET": "s"}


def test_password_wo_version_needs_password_wo(terraform: Callable[..., Terraform]) -> None:
    tf = terraform(
        'resource "kasm_user" "u" {\n  username = "jdoe"\n  password = "s3cret-Passw0rd"\n'
        "  password_wo_version = 2\n}\n",
        env=ENV,
    )
    tf.init()
    report = json.loads(tf.run("validate", "-json", "-no-color", expect=(1,)).stdout)
    (diagnostic,) = report["diagnostics"]
    assert diagnostic["severity"] == "error"
    assert '"password_wo"' in diagnostic["detail"] and '"password_wo_version"' in diagnostic["detail"]
    assert "password_wo_version" in diagnostic["snippet"]["code"]
