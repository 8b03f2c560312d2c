"""go-plugin handshake constants (stdlib only, so the CLI can check them without loading gRPC)."""

from __future__ import annotations

import os

MAGIC_COOKIE_KEY = "TF_PLUGIN_MAGIC_COOKIE"
MAGIC_COOKIE_VALUE = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2"
CORE_PROTOCOL_VERSION = 1
APP_PROTOCOL_VERSION = 6

NOT_A_PLUGIN_MESSAGE = """\
This is a Terraform plugin: Terraform (or OpenTofu) starts it, it is not meant to be run directly.
To make it available to Terraform, run `terraform-provider-kasm install`, then `terraform init` in
your configuration's directory. See `terraform-provider-kasm --help` for the other commands.
"""


def has_magic_cookie() -> bool:
    return os.environ.get(MAGIC_COOKIE_KEY) == MAGIC_COOKIE_VALUE
