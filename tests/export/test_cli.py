"""``terraform-provider-kasm export``'s arguments and settings (the provider's, from flags or KASM_*)."""

from __future__ import annotations

from pathlib import Path

import pytest

from terraform_provider_kasm.cli import main
from tests.fixtures.kasm_server import KasmServer


def test_missing_settings_name_the_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for var in ("KASM_BASE_URL", "KASM_API_KEY", "KASM_API_SECRET"):
        monkeypatch.delenv(var, raising=False)
    assert main(["export", "--out", str(tmp_path / "out")]) == 2
    assert "KASM_BASE_URL" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--types", "kasm_user,kasm_nope"], "unknown type(s) kasm_nope"),
        (["--exclude-users-matching", "("], "not a regular expression"),
    ],
)
def test_bad_filters(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    argv = ["export", "--out", str(tmp_path), "--base-url", "http://127.0.0.1:9", "--api-key", "k"]
    assert main([*argv, "--api-secret", "s", *extra]) == 2
    assert message in capsys.readouterr().err


def test_settings_from_the_environment_and_dry_run(
    kasm_server: KasmServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("KASM_BASE_URL", kasm_server.base_url)
    monkeypatch.setenv("KASM_API_KEY", kasm_server.api_key)
    monkeypatch.setenv("KASM_API_SECRET", kasm_server.api_secret)
    assert main(["export", "--out", str(tmp_path / "out"), "--dry-run", "--include-builtin"]) == 0
    out = capsys.readouterr().out
    assert "kasm_group: 2\n" in out and "(dry run, nothing written)" in out
    assert kasm_server.api_secret not in out
    # A wrong secret is Kasm's refusal, reported without a traceback and without the secret.
    monkeypatch.setenv("KASM_API_SECRET", "wrong-secret-value")
    assert main(["export", "--out", str(tmp_path / "out"), "--dry-run"]) == 1
    err = capsys.readouterr().err
    assert "failed" in err and "wrong-secret-value" not in err
