"""The released provider under real Terraform: ``scripts/release`` builds the linux_amd64 zip (once per
source tree: later pytest runs, e.g. the second Terraform leg, reuse it), its build tree is deleted,
and Terraform installs it from a packed filesystem mirror and from a network mirror served over HTTPS
on localhost, with no Python on PATH, then applies the seed workflow, plans empty and destroys."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from terraform_provider_kasm import __version__, release
from terraform_provider_kasm.client import KasmClient
from terraform_provider_kasm.install import terraform_platform
from tests.fixtures.kasm_server import KasmServer
from tests.fixtures.terraform import REPO_ROOT, Terraform, step, terraform_binary
from tests.provider.test_workflow_example import WORKFLOW, snapshot

pytestmark = pytest.mark.terraform

PLATFORM = terraform_platform()
SOURCE = "registry.terraform.io/kasmtech/kasm"
REQUIRED_PROVIDERS = 'terraform {\n  required_providers {\n    kasm = { source = "kasmtech/kasm" }\n  }\n}\n'


def source_key() -> str:
    """A hash of everything the build depends on (the package, pyproject.toml, scripts/release)."""
    h = hashlib.sha256()
    files = [REPO_ROOT / "pyproject.toml", REPO_ROOT / "scripts" / "release"]
    # Not what setuptools writes (egg-info changes with every editable install or python -m build).
    files += sorted(
        p
        for p in (REPO_ROOT / "src").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and not any(x.endswith(".egg-info") for x in p.parts)
    )
    for path in files:
        h.update(path.relative_to(REPO_ROOT).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()[:20]


@pytest.fixture(scope="session")
def release_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """dist/release of this source tree, built by scripts/release into a cache directory keyed by
    :func:`source_key` (``KASM_RELEASE_CACHE``, default ``~/.cache/terraform-provider-kasm``)."""
    if not sys.platform.startswith("linux"):
        pytest.skip("the release test builds linux zips")
    cache = Path(os.environ.get("KASM_RELEASE_CACHE", Path.home() / ".cache" / "terraform-provider-kasm"))
    out = cache / f"release-{source_key()}"
    cache.mkdir(parents=True, exist_ok=True)
    with (cache / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one build, even for two xdist workers or two runs
        if not (out / release.sums_name(__version__)).is_file():
            work = tmp_path_factory.mktemp("release-work")
            staging = cache / f".staging-{os.getpid()}"
            shutil.rmtree(staging, ignore_errors=True)
            subprocess.run(
                [
                    sys.executable,
                    str(REPO_ROOT / "scripts" / "release"),
                    "--out",
                    str(staging),
                    "--work",
                    str(work),
                ],
                check=True,
                timeout=900,
            )
            assert not work.exists(), "scripts/release leaves no build tree"
            for old in cache.glob("release-*"):  # keep one tree's build only
                shutil.rmtree(old, ignore_errors=True)
            staging.replace(out)
    return out


def test_release_files_verify_and_are_named_by_version_and_platform(
    release_dir: Path, tmp_path: Path
) -> None:
    rel = release.Release(release_dir, __version__)
    expected = {
        f"terraform-provider-kasm_{__version__}_{PLATFORM}.zip",
        f"terraform-provider-kasm_{__version__}_SHA256SUMS",
        f"terraform-provider-kasm_{__version__}_manifest.json",
    }
    assert {p.name for p in rel.files()} == expected
    assert release.verify_checksums(rel) == []
    assert subprocess.run(["sha256sum", "--quiet", "-c", rel.sums.name], cwd=release_dir).returncode == 0
    assert json.loads(rel.manifest.read_text())["metadata"]["protocol_versions"] == ["6.0"]
    # Re-running scripts/release on the same tree writes the same names (and the same sums for the same zip).
    again = tmp_path / "again"
    shutil.copytree(release_dir, again)
    subprocess.run(
        [sys.executable, str(REPO_ROOT / "scripts" / "release"), "--checksums", "--out", str(again)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    assert sorted(p.name for p in again.iterdir()) == sorted(expected)
    assert (again / rel.sums.name).read_bytes() == rel.sums.read_bytes()
    # The bundle: one executable at the top level, Python's runtime inside, no server extra.
    import zipfile

    with zipfile.ZipFile(rel.zips[PLATFORM]) as z:
        names = z.namelist()
    assert [n for n in names if "/" not in n] == [f"terraform-provider-kasm_v{__version__}"]
    assert any(re.search(r"libpython3\.\d+", n) for n in names)
    assert not [n for n in names if re.search(r"(^|/)(fastapi|sqlalchemy|uvicorn|PIL)/", n)]


@pytest.fixture
def mirror(release_dir: Path, tmp_path: Path) -> Iterator[tuple[Path, release.MirrorServer]]:
    """The release as a packed mirror directory, also served over HTTPS on localhost."""
    directory = tmp_path / "mirror"
    release.write_mirror(release_dir, directory)
    server = release.serve(directory, tmp_path / "cert")
    try:
        yield directory, server
    finally:
        server.close()


def no_python_env(tmp_path: Path, cli_config: str, extra: dict[str, str]) -> dict[str, str]:
    """Terraform's environment: PATH is an empty directory, so nothing can start a Python."""
    empty = tmp_path / "empty-path"
    empty.mkdir(exist_ok=True)
    rc = tmp_path / f"terraformrc-{hashlib.sha256(cli_config.encode()).hexdigest()[:8]}"
    rc.write_text(cli_config)
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env = {
        "PATH": str(empty),
        "HOME": str(home),
        "TF_CLI_CONFIG_FILE": str(rc),
        "CHECKPOINT_DISABLE": "1",
        "TF_IN_AUTOMATION": "1",
        "TF_INPUT": "0",
        **extra,
    }
    assert (
        shutil.which("python3", path=env["PATH"]) is None and shutil.which("python", path=env["PATH"]) is None
    )
    return env


def lock_hashes(tf: Terraform) -> list[str]:
    text = (tf.workdir / ".terraform.lock.hcl").read_text()
    block = text[text.index(f'provider "{SOURCE}"') :]
    return re.findall(r'"((?:h1|zh):[^"]+)"', block[: block.index("}")])


def installed_executable(tf: Terraform) -> Path:
    return (
        tf.workdir
        / ".terraform"
        / "providers"
        / SOURCE
        / __version__
        / PLATFORM
        / f"terraform-provider-kasm_v{__version__}"
    )


def test_terraform_installs_the_release_from_both_mirrors_and_runs_the_workflow_without_python(
    release_dir: Path,
    mirror: tuple[Path, release.MirrorServer],
    kasm_server: KasmServer,
    tmp_path: Path,
) -> None:
    directory, server = mirror
    rel = release.Release(release_dir, __version__)
    zip_path = rel.zips[PLATFORM]
    zh = release.zh_hash(zip_path)
    h1 = release.h1_hash(zip_path)
    assert zh == "zh:" + rel.sums.read_text().split()[0]
    binary = terraform_binary()
    modules_file = tmp_path / "handshake-modules.txt"
    kasm = {
        "KASM_BASE_URL": kasm_server.base_url,
        "KASM_API_KEY": kasm_server.api_key,
        "KASM_API_SECRET": kasm_server.api_secret,
        "KASM_PROVIDER_HANDSHAKE_MODULES": str(modules_file),
    }

    def workdir(name: str, cli_config: str, hcl: str) -> Terraform:
        (tmp_path / name).mkdir()
        tf = Terraform(binary, tmp_path / name, no_python_env(tmp_path, cli_config, kasm))
        tf.write(REQUIRED_PROVIDERS + hcl)
        return tf

    with step("init from the packed filesystem mirror records the release's h1: hash"):
        packed = workdir("packed", release.cli_config(dir=directory), "")
        packed.init()
        assert lock_hashes(packed) == [h1]
        exe = installed_executable(packed)
        assert exe.read_bytes()[:4] == b"\x7fELF"  # the frozen executable, not a launcher script

    with step("a lock file with a zh: hash other than the release's refuses the package"):
        packed_bad = workdir("packed-bad", release.cli_config(dir=directory), "")
        (packed_bad.workdir / ".terraform.lock.hcl").write_text(
            f'provider "{SOURCE}" {{\n  version = "{__version__}"\n  hashes = ["zh:{"0" * 64}"]\n}}\n'
        )
        result = packed_bad.init(expect=(1,))
        assert "doesn't match any of the checksums" in result.output

    with step("init from the network mirror served on localhost keeps the release's zh: hash in the lock"):
        # As after `terraform providers lock` against a registry: the lock holds SHA256SUMS' zh: hash;
        # Terraform checks the mirror's zip against it and adds the h1: hash.
        net = workdir("network", release.cli_config(url=server.url), WORKFLOW)
        net.env["SSL_CERT_FILE"] = str(server.cert)
        (net.workdir / ".terraform.lock.hcl").write_text(
            f'provider "{SOURCE}" {{\n  version = "{__version__}"\n  hashes = ["{zh}"]\n}}\n'
        )
        out = net.init().output
        assert "Installed kasmtech/kasm v" in out
        assert sorted(lock_hashes(net)) == sorted([h1, zh])
        assert installed_executable(net).read_bytes()[:4] == b"\x7fELF"

    with KasmClient(
        kasm_server.base_url, kasm_server.api_key, kasm_server.api_secret, max_retries=0
    ) as client:
        before = snapshot(client)
        with step("the seed workflow applies with the frozen provider"):
            net.apply()
            assert len(net.state_list()) == 6
            session = net.resource_values("kasm_session.developer_workspace")
            assert {s.kasm_id for s in client.sessions.list()} >= {session["id"]}

        with step("the frozen provider loads no client, provider or server module before the handshake"):
            loaded = modules_file.read_text().split()
            assert "terraform_provider_kasm.tfplugin.server" in loaded
            early = [
                m
                for m in loaded
                if m.startswith(
                    (
                        "terraform_provider_kasm.client",
                        "terraform_provider_kasm.provider",
                        "terraform_provider_kasm.server",
                        "httpx",
                    )
                )
            ]
            assert early == []

        with step("the second plan is empty"):
            net.assert_no_changes()

        with step("destroy leaves the server as before"):
            net.destroy()
            assert snapshot(client) == before
