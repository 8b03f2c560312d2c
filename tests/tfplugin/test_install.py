"""install / uninstall and the console script's subcommands."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from terraform_provider_kasm import __version__, cli
from terraform_provider_kasm.install import (
    cli_config_block,
    install,
    launcher_path,
    terraform_platform,
    uninstall,
)
from tests.fixtures.terraform import Terraform


def all_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*"))


def test_install_writes_a_launcher_per_namespace(tmp_path: Path) -> None:
    paths = install(dir=tmp_path)
    assert [p.relative_to(tmp_path).parts[:4] for p in paths] == [
        ("registry.terraform.io", "kasmtech", "kasm", __version__),
        ("registry.terraform.io", "hashicorp", "kasm", __version__),
        ("registry.opentofu.org", "kasmtech", "kasm", __version__),
        ("registry.opentofu.org", "hashicorp", "kasm", __version__),
    ]
    for p in paths:
        assert p.parent.name == terraform_platform()
        assert p.name == f"terraform-provider-kasm_v{__version__}"
        assert os.access(p, os.X_OK)
        text = p.read_text()
        assert text.startswith("#!/bin/sh\n")
        assert f"exec {sys.executable} -E -m terraform_provider_kasm" in text


def test_install_twice_is_harmless(tmp_path: Path) -> None:
    first = install(dir=tmp_path)
    before = {p: (p.read_text(), p.stat().st_mtime_ns) for p in all_files(tmp_path) if p.is_file()}
    assert install(dir=tmp_path) == first
    after = {p: (p.read_text(), p.stat().st_mtime_ns) for p in all_files(tmp_path) if p.is_file()}
    assert before == after


def test_uninstall_removes_exactly_what_install_wrote(tmp_path: Path) -> None:
    other = (
        tmp_path
        / "registry.terraform.io"
        / "hashicorp"
        / "null"
        / "3.0.0"
        / "linux_amd64"
        / "terraform-provider-null"
    )
    other.parent.mkdir(parents=True)
    other.write_text("not ours")
    before = all_files(tmp_path)
    install(dir=tmp_path)
    removed = uninstall(dir=tmp_path)
    assert len(removed) == 4
    assert all_files(tmp_path) == before
    assert uninstall(dir=tmp_path) == []


def test_uninstall_into_an_empty_dir_leaves_nothing(tmp_path: Path) -> None:
    install(dir=tmp_path)
    uninstall(dir=tmp_path)
    assert all_files(tmp_path) == []


def test_uninstall_keeps_a_file_it_did_not_write(tmp_path: Path) -> None:
    path = launcher_path(tmp_path, "kasmtech")
    path.parent.mkdir(parents=True)
    path.write_text("#!/bin/sh\necho someone else's\n")
    assert uninstall(dir=tmp_path) == []
    assert path.exists()


def test_the_launcher_runs_the_plugin(tmp_path: Path) -> None:
    (launcher,) = install(dir=tmp_path, namespaces=("kasmtech",), hostnames=("registry.terraform.io",))
    env = {k: v for k, v in os.environ.items() if k != "TF_PLUGIN_MAGIC_COOKIE"}
    proc = subprocess.run([str(launcher)], env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1 and "This is a Terraform plugin" in proc.stderr


def test_cli_install_uninstall_version(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["install", "--dir", str(tmp_path)]) == 0
    assert "installed" in capsys.readouterr().out
    assert len([p for p in all_files(tmp_path) if p.is_file()]) == 4
    assert cli.main(["uninstall", "--dir", str(tmp_path)]) == 0
    assert all_files(tmp_path) == []
    assert cli.main(["version"]) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1] == (
        f"terraform-provider-kasm {__version__} (Terraform plugin protocol 6)"
    )


def test_cli_without_arguments_or_cookie(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("TF_PLUGIN_MAGIC_COOKIE", raising=False)
    assert cli.main([]) == 1
    assert "terraform-provider-kasm install" in capsys.readouterr().err


def test_cli_server_without_the_extra(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "fastapi", None)  # as if the extra were not installed
    assert cli.main(["server", "--help"]) == 1
    err = capsys.readouterr().err
    assert "'server' extra" in err and "missing: fastapi" in err and "pip install '.[server]'" in err


@pytest.mark.parametrize("module", cli.SERVER_EXTRA_MODULES)
def test_cli_server_without_the_extra_in_a_fresh_process(module: str) -> None:
    # The real entry point in a process where one of the extra's modules cannot be imported: one
    # hint naming it, exit 1, no traceback (the server itself imports these lazily, deep inside).
    blocker = f"import sys; sys.modules[{module!r}] = None; "
    code = blocker + "from terraform_provider_kasm.cli import main; sys.exit(main(['server', '--port', '0']))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert f"missing: {module}" in done.stderr


def test_cli_server_delegates(monkeypatch: pytest.MonkeyPatch) -> None:
    import types

    seen: list[list[str]] = []
    fake = types.ModuleType("terraform_provider_kasm.server.cli")

    def fake_main(argv: list[str]) -> int:
        seen.append(list(argv))
        return 7

    fake.main = fake_main  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "terraform_provider_kasm.server.cli", fake)
    assert cli.main(["server", "run", "--port", "1"]) == 7
    assert seen == [["run", "--port", "1"]]


def _gone_launcher(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A launcher written from a Python environment that has since been deleted."""
    gone = tmp_path / "deleted-venv"
    monkeypatch.setattr(sys, "executable", str(gone / "bin" / "python"))
    monkeypatch.setattr(sys, "prefix", str(gone))
    (launcher,) = install(
        dir=tmp_path / "plugins", namespaces=("kasmtech",), hostnames=("registry.terraform.io",)
    )
    monkeypatch.undo()
    return launcher


def test_a_launcher_whose_environment_is_gone_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    launcher = _gone_launcher(tmp_path, monkeypatch)
    proc = subprocess.run([str(launcher)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert f"Python environment at {tmp_path / 'deleted-venv'} is gone" in proc.stdout
    assert "terraform-provider-kasm install" in proc.stdout


def test_terraform_shows_why_a_launcher_cannot_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, terraform: Callable[..., Terraform]
) -> None:
    _gone_launcher(tmp_path, monkeypatch)
    rc = tmp_path / "terraformrc"
    rc.write_text(cli_config_block(tmp_path / "plugins"))
    tf = terraform('terraform {\n  required_providers {\n    kasm = { source = "kasmtech/kasm" }\n  }\n}\n')
    tf.env["TF_CLI_CONFIG_FILE"] = str(rc)
    tf.init()
    # Terraform wraps lines of the plugin's message; compare without line breaks.
    output = " ".join(tf.plan(expect=(1,)).output.split())
    assert "Python environment at" in output and "is gone" in output


def test_install_into_a_directory_prints_the_cli_configuration_terraform_needs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], terraform: Callable[..., Terraform]
) -> None:
    plugins = tmp_path / "plugins"
    assert cli.main(["install", "--dir", str(plugins)]) == 0
    out = capsys.readouterr().out
    assert "Run `terraform init` next." not in out
    block = out[out.index("provider_installation {") :]
    assert block == cli_config_block(plugins)
    # The printed block is what makes `terraform init` find the provider there, offline.
    rc = tmp_path / "terraformrc"
    rc.write_text(block)
    tf = terraform('terraform {\n  required_providers {\n    kasm = { source = "kasmtech/kasm" }\n  }\n}\n')
    tf.env["TF_CLI_CONFIG_FILE"] = str(rc)
    assert "Installed kasmtech/kasm" in tf.init().output
