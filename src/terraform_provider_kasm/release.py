"""Release packaging: the registry's file layout, its hashes, and the two kinds of provider mirror.

``scripts/release`` freezes the provider into a self-contained directory (an executable
``terraform-provider-kasm_v<version>`` plus what it needs beside it), then :func:`package` writes, into
``dist/release/``, exactly what a registry or a mirror serves:

- ``terraform-provider-kasm_<version>_<os>_<arch>.zip`` (one per platform),
- ``terraform-provider-kasm_<version>_SHA256SUMS`` (``sha256sum`` format, every zip of the version),
- ``terraform-provider-kasm_<version>_manifest.json`` (``{"version": 1, "metadata":
  {"protocol_versions": ["6.0"]}}``, as the registry reads it),
- ``terraform-provider-kasm_<version>_SHA256SUMS.sig`` when a GPG key is configured (:func:`sign`).

:func:`write_mirror` lays the zips out as a packed filesystem mirror
(``DIR/<hostname>/<namespace>/kasm/<zip>``) and, in the same directories, the static files of
Terraform's provider network mirror protocol (``index.json``, ``<version>.json``); :func:`serve`
serves such a directory over HTTPS on localhost (Terraform accepts only ``https:`` network mirrors).

Only the standard library (and ``cryptography`` for the test certificate) is used: the ``mirror``
command also runs from the frozen executable.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shutil
import subprocess
import threading
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

NAME = "terraform-provider-kasm"
TYPE = "kasm"
PROTOCOL_VERSIONS = ("6.0",)
DEFAULT_HOSTNAME = "registry.terraform.io"
DEFAULT_NAMESPACE = "kasmtech"
#: The platforms a release is built for, each on a native runner (freezers do not cross-compile).
PLATFORMS = ("linux_amd64", "linux_arm64", "darwin_amd64", "darwin_arm64", "windows_amd64")
#: A fixed timestamp for every zip entry, so the same files give the same zip bytes.
ZIP_DATE_TIME = (2020, 1, 1, 0, 0, 0)
_ZIP_NAME = re.compile(rf"^{NAME}_(?P<version>[^_]+)_(?P<platform>[a-z0-9]+_[a-z0-9]+)\.zip$")


def zip_name(version: str, platform: str) -> str:
    return f"{NAME}_{version}_{platform}.zip"


def executable_name(version: str, platform: str) -> str:
    """The executable Terraform starts: ``terraform-provider-kasm_v<version>`` (``.exe`` on Windows)."""
    return f"{NAME}_v{version}" + (".exe" if platform.startswith("windows_") else "")


def sums_name(version: str) -> str:
    return f"{NAME}_{version}_SHA256SUMS"


def manifest_name(version: str) -> str:
    return f"{NAME}_{version}_manifest.json"


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def zh_hash(zip_path: Path) -> str:
    """Terraform's ``zh:`` hash (the zip's SHA-256, as in SHA256SUMS)."""
    return "zh:" + sha256_file(zip_path)


def h1_hash(zip_path: Path) -> str:
    """Terraform's ``h1:`` hash of a provider package: Go's ``dirhash.Hash1`` over the files in the zip
    (SHA-256 of the sorted ``"<sha256>  <name>\\n"`` lines, base64), what the lock file records."""
    lines = []
    with zipfile.ZipFile(zip_path) as z:
        for name in sorted(i.filename for i in z.infolist() if not i.is_dir()):
            lines.append(f"{hashlib.sha256(z.read(name)).hexdigest()}  {name}\n")
    return "h1:" + base64.b64encode(hashlib.sha256("".join(lines).encode()).digest()).decode()


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() or p.is_symlink())


def write_zip(bundle: Path, zip_path: Path) -> Path:
    """Zips a frozen bundle directory (its contents at the zip's top level, as Terraform unpacks it):
    entries sorted, fixed timestamps, modes kept (the executable stays executable), no directory
    entries; so the same bundle gives the same bytes."""
    tmp = zip_path.with_name(zip_path.name + ".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for path in _files(bundle):
            if path.is_symlink():
                raise ValueError(f"{path}: symbolic links cannot go into a provider zip")
            info = zipfile.ZipInfo(path.relative_to(bundle).as_posix(), ZIP_DATE_TIME)
            info.external_attr = (0o100000 | (0o755 if os.access(path, os.X_OK) else 0o644)) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, so the modes above are read
            z.writestr(info, path.read_bytes(), compresslevel=9)
    tmp.replace(zip_path)
    return zip_path


@dataclass(frozen=True)
class Release:
    """The files of one version in a release directory."""

    dir: Path
    version: str

    @property
    def zips(self) -> dict[str, Path]:
        """Platform → zip, for every zip of this version in the directory."""
        found = {}
        for path in sorted(self.dir.glob(f"{NAME}_{self.version}_*.zip")):
            m = _ZIP_NAME.match(path.name)
            if m and m["version"] == self.version:
                found[m["platform"]] = path
        return found

    @property
    def sums(self) -> Path:
        return self.dir / sums_name(self.version)

    @property
    def manifest(self) -> Path:
        return self.dir / manifest_name(self.version)

    @property
    def signature(self) -> Path:
        return self.dir / (sums_name(self.version) + ".sig")

    def files(self) -> list[Path]:
        files = [*self.zips.values(), self.sums, self.manifest]
        return files + ([self.signature] if self.signature.exists() else [])


def package(bundle: Path, out: Path, version: str, platform: str) -> Release:
    """Writes the zip of ``bundle`` for ``platform`` into ``out``, then SHA256SUMS (over every zip of the
    version there, so zips built on other runners can be gathered first) and the manifest."""
    exe = bundle / executable_name(version, platform)
    if not exe.is_file():
        raise FileNotFoundError(f"{exe}: the bundle has no provider executable")
    out.mkdir(parents=True, exist_ok=True)
    write_zip(bundle, out / zip_name(version, platform))
    return write_checksums(out, version)


def write_checksums(out: Path, version: str) -> Release:
    """(Re)writes SHA256SUMS and the manifest for the zips of ``version`` in ``out``; a signature of an
    older SHA256SUMS is removed (it would no longer verify)."""
    release = Release(out, version)
    lines = [f"{sha256_file(p)}  {p.name}\n" for p in release.zips.values()]
    lines.append(f"{sha256_file_text(manifest_text())}  {release.manifest.name}\n")
    release.manifest.write_text(manifest_text())
    release.sums.write_text("".join(sorted(lines, key=lambda ln: ln.split()[1])))
    release.signature.unlink(missing_ok=True)
    return release


def manifest_text() -> str:
    return (
        json.dumps({"version": 1, "metadata": {"protocol_versions": list(PROTOCOL_VERSIONS)}}, indent=2)
        + "\n"
    )


def sha256_file_text(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def verify_checksums(release: Release) -> list[str]:
    """The files of SHA256SUMS whose SHA-256 does not match (empty when all verify)."""
    bad = []
    for line in release.sums.read_text().splitlines():
        digest, name = line.split(maxsplit=1)
        path = release.dir / name.lstrip("*")
        if not path.is_file() or sha256_file(path) != digest:
            bad.append(name)
    return bad


def sign(release: Release, key: str, gpg: str = "gpg") -> Path:
    """A detached binary signature of SHA256SUMS (``<sums>.sig``) with the GPG key ``key`` (an id,
    fingerprint or e-mail of a secret key in the keyring), as Terraform's registry requires. The
    passphrase, if any, comes from gpg-agent (or ``GPG_PASSPHRASE`` with loopback pinentry)."""
    args = [gpg, "--batch", "--yes", "--local-user", key, "--detach-sign", "--output", str(release.signature)]
    passphrase = os.environ.get("GPG_PASSPHRASE")
    if passphrase is not None:
        args += ["--pinentry-mode", "loopback", "--passphrase-fd", "0"]
    subprocess.run([*args, str(release.sums)], input=(passphrase or "").encode(), check=True)
    return release.signature


# --- mirrors -------------------------------------------------------------------------------------------


def provider_dir(base: Path, hostname: str, namespace: str) -> Path:
    return base / hostname / namespace / TYPE


def versions_in(release_dir: Path) -> list[str]:
    return sorted({m["version"] for p in release_dir.glob("*.zip") if (m := _ZIP_NAME.match(p.name))})


def write_mirror(
    release_dir: Path,
    dir: Path,
    *,
    hostnames: Sequence[str] = (DEFAULT_HOSTNAME,),
    namespaces: Sequence[str] = (DEFAULT_NAMESPACE,),
) -> list[Path]:
    """Copies every release zip in ``release_dir`` into ``dir`` as a packed filesystem mirror
    (``dir/<hostname>/<namespace>/kasm/<zip>``) and writes beside them the network mirror protocol's
    ``index.json`` and ``<version>.json`` (relative URLs; ``h1:`` and ``zh:`` hashes), so the same
    directory serves ``filesystem_mirror`` and, behind any static HTTPS server, ``network_mirror``.
    Returns the files written."""
    versions = versions_in(release_dir)
    if not versions:
        raise FileNotFoundError(f"{release_dir}: no {NAME}_<version>_<os>_<arch>.zip (run scripts/release)")
    written = []
    for hostname in hostnames:
        for namespace in namespaces:
            target = provider_dir(dir, hostname, namespace)
            target.mkdir(parents=True, exist_ok=True)
            for version in versions:
                archives = {}
                for platform, src in Release(release_dir, version).zips.items():
                    dst = target / src.name
                    if not dst.exists() or sha256_file(dst) != sha256_file(src):
                        shutil.copyfile(src, dst)
                    written.append(dst)
                    archives[platform] = {"url": dst.name, "hashes": [h1_hash(dst), zh_hash(dst)]}
                written.append(_write_json(target / f"{version}.json", {"archives": archives}))
            known: dict[str, dict[str, object]] = {v: {} for v in versions_in(target)}
            written.append(_write_json(target / "index.json", {"versions": known}))
    return written


def _write_json(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")
    return path


def cli_config(dir: Path | None = None, url: str | None = None, hostname: str = DEFAULT_HOSTNAME) -> str:
    """The ``provider_installation`` block that installs kasmtech/kasm from a packed mirror directory
    (``dir``) or a network mirror (``url``), and every other provider from its registry."""
    source = f'"{hostname}/{DEFAULT_NAMESPACE}/{TYPE}"'
    if url is not None:
        method = f"  network_mirror {{\n    url     = {json.dumps(url)}\n    include = [{source}]\n  }}\n"
    else:
        method = f"  filesystem_mirror {{\n    path    = {json.dumps(str(Path(dir or '.').resolve()))}\n    include = [{source}]\n  }}\n"
    return f"provider_installation {{\n{method}  direct {{\n    exclude = [{source}]\n  }}\n}}\n"


# --- serving a network mirror on localhost ------------------------------------------------------------


def self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    """A certificate for ``localhost`` and ``127.0.0.1`` and its key (PEM files in ``directory``);
    give Terraform the certificate with ``SSL_CERT_FILE``."""
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    directory.mkdir(parents=True, exist_ok=True)
    cert_path, key_path = directory / "mirror-cert.pem", directory / "mirror-key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    key_path.chmod(0o600)
    return cert_path, key_path


@dataclass
class MirrorServer:
    """A running HTTPS static server for a mirror directory (see :func:`serve`)."""

    url: str
    cert: Path
    _server: object
    _thread: threading.Thread

    def close(self) -> None:
        self._server.shutdown()  # type: ignore[attr-defined]
        self._server.server_close()  # type: ignore[attr-defined]
        self._thread.join(10)


def serve(dir: Path, cert_dir: Path, port: int = 0, host: str = "127.0.0.1") -> MirrorServer:
    """Serves ``dir`` over HTTPS on localhost in a background thread (port 0: any free port)."""
    import functools
    import ssl
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class Handler(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # quiet; Terraform reports failures
            pass

    cert, key = self_signed_certificate(cert_dir)
    server = ThreadingHTTPServer((host, port), functools.partial(Handler, directory=str(dir)))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, name="mirror-server", daemon=True)
    thread.start()
    return MirrorServer(f"https://{host}:{server.server_address[1]}/", cert, server, thread)
