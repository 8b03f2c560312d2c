"""Release packaging without a freeze: a stand-in bundle (an executable script and a data file) goes
through the same zip / SHA256SUMS / manifest / mirror code as the frozen one (tests/release/
test_release_build.py runs the real build under Terraform)."""

from __future__ import annotations

import hashlib
import json
import subprocess
import urllib.request
import zipfile
from pathlib import Path

import pytest

from terraform_provider_kasm import __version__, cli, release

PLATFORM = "linux_amd64"


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    root = tmp_path / "bundle"
    (root / "_internal" / "lib").mkdir(parents=True)
    exe = root / release.executable_name(__version__, PLATFORM)
    exe.write_text("#!/bin/sh\necho frozen\n")
    exe.chmod(0o755)
    (root / "_internal" / "lib" / "data.bin").write_bytes(b"\x00\x01data")
    return root


def test_package_writes_the_registry_layout(bundle: Path, tmp_path: Path) -> None:
    rel = release.package(bundle, tmp_path / "out", __version__, PLATFORM)
    assert sorted(p.name for p in rel.files()) == sorted(
        [
            f"terraform-provider-kasm_{__version__}_linux_amd64.zip",
            f"terraform-provider-kasm_{__version__}_SHA256SUMS",
            f"terraform-provider-kasm_{__version__}_manifest.json",
        ]
    )
    assert json.loads(rel.manifest.read_text()) == {"version": 1, "metadata": {"protocol_versions": ["6.0"]}}
    with zipfile.ZipFile(rel.zips[PLATFORM]) as z:
        infos = {i.filename: i for i in z.infolist()}
    # Bundle contents at the top level, no directory entries, the executable bit kept.
    assert sorted(infos) == ["_internal/lib/data.bin", f"terraform-provider-kasm_v{__version__}"]
    assert (infos[f"terraform-provider-kasm_v{__version__}"].external_attr >> 16) & 0o111
    assert not (infos["_internal/lib/data.bin"].external_attr >> 16) & 0o111


def test_sha256sums_verify_with_sha256sum_and_catch_a_changed_zip(bundle: Path, tmp_path: Path) -> None:
    rel = release.package(bundle, tmp_path / "out", __version__, PLATFORM)
    assert release.verify_checksums(rel) == []
    check = subprocess.run(["sha256sum", "-c", rel.sums.name], cwd=rel.dir, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.count(": OK") == 2  # the zip and the manifest
    with rel.zips[PLATFORM].open("ab") as f:
        f.write(b"tampered")
    assert release.verify_checksums(rel) == [rel.zips[PLATFORM].name]


def test_packaging_again_gives_the_same_names_and_bytes(bundle: Path, tmp_path: Path) -> None:
    first = release.package(bundle, tmp_path / "a", __version__, PLATFORM)
    (bundle / "_internal" / "lib" / "data.bin").touch()  # a newer mtime must not change the zip
    second = release.package(bundle, tmp_path / "b", __version__, PLATFORM)
    assert [p.name for p in first.files()] == [p.name for p in second.files()]
    assert [p.read_bytes() for p in first.files()] == [p.read_bytes() for p in second.files()]


def test_h1_hash_is_go_dirhash_hash1(bundle: Path, tmp_path: Path) -> None:
    rel = release.package(bundle, tmp_path / "out", __version__, PLATFORM)
    # dirhash.Hash1 written out: sorted "<sha256 hex>  <name>\n" lines, SHA-256, base64.
    exe = f"terraform-provider-kasm_v{__version__}"
    summary = "".join(
        f"{hashlib.sha256(data).hexdigest()}  {name}\n"
        for name, data in sorted(
            [("_internal/lib/data.bin", b"\x00\x01data"), (exe, b"#!/bin/sh\necho frozen\n")]
        )
    )
    import base64

    assert (
        release.h1_hash(rel.zips[PLATFORM])
        == "h1:" + base64.b64encode(hashlib.sha256(summary.encode()).digest()).decode()
    )
    assert release.zh_hash(rel.zips[PLATFORM]) == "zh:" + rel.sums.read_text().split()[0]


def test_a_bundle_without_the_executable_is_refused(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(FileNotFoundError, match="no provider executable"):
        release.package(tmp_path / "empty", tmp_path / "out", __version__, PLATFORM)


def test_sign_writes_a_detached_signature_that_gpg_verifies(bundle: Path, tmp_path: Path) -> None:
    gnupghome = tmp_path / "gnupg"
    gnupghome.mkdir(mode=0o700)
    env = {"GNUPGHOME": str(gnupghome), "PATH": "/usr/bin:/bin"}
    gen = subprocess.run(
        [
            "gpg",
            "--batch",
            "--passphrase",
            "",
            "--quick-gen-key",
            "release-test@example.com",
            "ed25519",
            "sign",
            "1d",
        ],
        env=env,
        capture_output=True,
        timeout=120,
    )
    if gen.returncode != 0:
        pytest.skip(f"gpg cannot make a key here: {gen.stderr.decode()[-200:]}")
    rel = release.package(bundle, tmp_path / "out", __version__, PLATFORM)
    import os

    old = os.environ.get("GNUPGHOME")
    os.environ["GNUPGHOME"] = str(gnupghome)
    try:
        sig = release.sign(rel, "release-test@example.com")
    finally:
        if old is None:
            del os.environ["GNUPGHOME"]
        else:
            os.environ["GNUPGHOME"] = old
    assert sig.name == f"terraform-provider-kasm_{__version__}_SHA256SUMS.sig"
    verify = subprocess.run(
        ["gpg", "--batch", "--verify", str(sig), str(rel.sums)], env=env, capture_output=True
    )
    assert verify.returncode == 0, verify.stderr
    rel.sums.write_text(rel.sums.read_text() + "x\n")
    assert subprocess.run(["gpg", "--batch", "--verify", str(sig), str(rel.sums)], env=env).returncode != 0
    # Rewriting the checksums drops the signature that no longer matches.
    release.write_checksums(rel.dir, __version__)
    assert not sig.exists()


def test_mirror_command_writes_both_mirror_kinds_and_serves_them(
    bundle: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rel = release.package(bundle, tmp_path / "out", __version__, PLATFORM)
    mirror = tmp_path / "mirror"
    assert cli.main(["mirror", str(mirror), "--release-dir", str(rel.dir)]) == 0
    assert "filesystem_mirror" in capsys.readouterr().out
    pdir = mirror / "registry.terraform.io" / "kasmtech" / "kasm"
    zip_path = pdir / rel.zips[PLATFORM].name
    assert zip_path.read_bytes() == rel.zips[PLATFORM].read_bytes()
    assert json.loads((pdir / "index.json").read_text()) == {"versions": {__version__: {}}}
    assert json.loads((pdir / f"{__version__}.json").read_text()) == {
        "archives": {
            PLATFORM: {
                "url": zip_path.name,
                "hashes": [release.h1_hash(zip_path), release.zh_hash(zip_path)],
            }
        }
    }
    server = release.serve(mirror, tmp_path / "cert")
    try:
        import ssl

        ctx = ssl.create_default_context(cafile=str(server.cert))
        with urllib.request.urlopen(
            server.url + "registry.terraform.io/kasmtech/kasm/index.json", context=ctx
        ) as r:
            assert json.load(r) == {"versions": {__version__: {}}}
        with urllib.request.urlopen(
            f"{server.url}registry.terraform.io/kasmtech/kasm/{zip_path.name}", context=ctx
        ) as r:
            assert r.read() == zip_path.read_bytes()
    finally:
        server.close()


def test_mirror_command_without_release_zips_says_what_to_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["mirror", str(tmp_path / "m"), "--release-dir", str(tmp_path)]) == 1
    assert "scripts/release" in capsys.readouterr().err


def test_python_build_gives_a_wheel_and_sdist_with_the_server_only_in_its_extra(tmp_path: Path) -> None:
    # --no-isolation: the venv's setuptools (a build from a clean environment fetches it from PyPI).
    import sys
    from email.parser import Parser

    from tests.fixtures.terraform import REPO_ROOT

    subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(tmp_path), str(REPO_ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    built = sorted(p.name for p in tmp_path.iterdir())
    assert built == [
        f"terraform_provider_kasm-{__version__}-py3-none-any.whl",
        f"terraform_provider_kasm-{__version__}.tar.gz",
    ]
    with zipfile.ZipFile(tmp_path / built[0]) as z:
        names = z.namelist()
        meta = Parser().parsestr(z.read(f"terraform_provider_kasm-{__version__}.dist-info/METADATA").decode())
        entry_points = z.read(f"terraform_provider_kasm-{__version__}.dist-info/entry_points.txt").decode()
    assert meta["Version"] == __version__
    requires = meta.get_all("Requires-Dist") or []
    unconditional = {r.split(">")[0].split("[")[0].strip() for r in requires if "extra ==" not in r}
    assert unconditional == {"grpcio", "protobuf", "msgpack", "cryptography", "httpx"}
    server_extra = {r.split(">")[0].strip() for r in requires if 'extra == "server"' in r}
    assert {"fastapi", "uvicorn", "sqlalchemy", "alembic"} <= server_extra
    assert "terraform-provider-kasm = terraform_provider_kasm.cli:main" in entry_points
    assert "terraform_provider_kasm/_version.py" in names
    assert not [n for n in names if n.startswith("tests/")]


def test_the_frozen_executable_refuses_install_and_says_what_to_do(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import sys

    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert cli.main(["install", "--dir", str(tmp_path)]) == 1
    assert "terraform-provider-kasm mirror DIR" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
