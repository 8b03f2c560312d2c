"""Settings of the local Kasm-compatible server (the CLI and the test fixtures build these)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


def default_database_url() -> str:
    """A SQLite file in the user's data directory, so restarts keep their data."""
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return f"sqlite:///{base / 'terraform-provider-kasm' / 'kasm-local.sqlite3'}"


@dataclass
class ServerSettings:
    """Everything `create_app` needs.

    `api_key`/`api_secret` name the seeded full-permission key: when both are given the key is created
    (or its secret replaced) on start-up; when omitted a key is generated on first start and kept.
    `faults` holds specs like ``"get_images=503,times=2"`` (see `faults.py`).
    """

    database_url: str = field(default_factory=default_database_url)
    api_key: str | None = None
    api_secret: str | None = None
    # Give the seeded key (the one generated on first start) a new secret, for a lost one.
    reset_api_key: bool = False
    faults: list[str] = field(default_factory=list)
    latency_ms: int = 0
    # How long a requested session takes to reach "running" (the sessions area reads this).
    session_start_seconds: float = 5.0
    # How long after create/rename an image reports `available: true` (a simulated docker pull).
    image_pull_seconds: float = 0.0
    seed: bool = True
    # Whether `/_local/calls` answers without a Global Admin key (in the `api-key`/`api-key-secret`
    # headers). Open for in-process apps (the test fixtures); the CLI requires the key unless
    # `--open-local-calls`.
    open_local_calls: bool = True
    # Larger request bodies are refused with 413 before they are read (as the proxy in front of Kasm does).
    max_body_bytes: int = 1024 * 1024
    # Echo SQL statements (debugging).
    echo_sql: bool = False
