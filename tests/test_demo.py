"""The README's demo command, end to end, in a throwaway home directory."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fixtures.terraform import REPO_ROOT, terraform_binary

pytestmark = pytest.mark.terraform


def test_the_demo_converges_and_writes_nothing_outside_its_directory(tmp_path: Path) -> None:
    home, workdir = tmp_path / "home", tmp_path / "demo"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("TF_")}
    env.update(HOME=str(home), TERRAFORM=terraform_binary())
    done = subprocess.run(
        [sys.executable, str(REPO_ROOT / "scripts" / "demo.py"), "--dir", str(workdir)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Demo complete" in done.stdout
    assert "Using Terraform v" in done.stdout  # which Terraform ran is said, not silent
    # The provider went into the demo's own plugin directory, not the user's ~/.terraform.d.
    assert list(home.iterdir()) == []
    assert list((workdir / "plugins").rglob("terraform-provider-kasm_v*"))
