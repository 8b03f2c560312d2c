"""No secret ever reaches a log line, an exception message or a repr during a full run."""

from __future__ import annotations

import logging

import pytest

from terraform_provider_kasm.client import errors
from terraform_provider_kasm.client.models import ImageSpec
from terraform_provider_kasm.client.redact import MASK, redact, redact_body, secret_values

from .conftest import LocalKasm

PASSWORD = "Pa55word!Secret-4711"
NEW_PASSWORD = "N3w!Passw0rd-0815xyz"
DOCKER_TOKEN = "dckr_pat_SuperSecretToken42"


def test_full_run_leaks_no_secret(local_kasm: LocalKasm, caplog: pytest.LogCaptureFixture) -> None:
    kasm = local_kasm.client
    caplog.set_level(logging.DEBUG)  # every logger: ours, httpx, httpcore, the server's
    seen: list[str] = []  # reprs and exception messages

    image = kasm.images.create(
        ImageSpec(
            name=local_kasm.name("kasmweb/private:1.0"),
            docker_registry="https://reg.example.com/",
            docker_user="robot",
            docker_token=DOCKER_TOKEN,
        )
    )
    seen.append(repr(image))
    user = kasm.users.create(local_kasm.name("mallory@example.com"), password=PASSWORD, first_name="M")
    seen.append(repr(user))
    seen.append(repr(kasm.users.update(user.user_id, password=NEW_PASSWORD)))
    try:
        kasm.users.update(user.user_id, password="weak")
    except errors.APIError as exc:
        seen.extend([str(exc), repr(exc)])
    group = kasm.groups.create(local_kasm.name("Secretive"), priority=70)
    kasm.groups.add_user(group.group_id, user.user_id)
    kasm.groups.add_image(group.group_id, image.image_id)

    requested = kasm.sessions.request(
        user_id=user.user_id, image_id=image.image_id, kasm_url="https://kasm.example.com/secret-link"
    )
    seen.append(repr(requested))
    status = kasm.sessions.wait_until_running(requested.kasm_id, user.user_id, timeout=30, interval=0.1)
    seen.append(repr(status))
    token = kasm.session_tokens.create(user.user_id)
    seen.append(repr(token))
    seen.append(repr(kasm.session_tokens.list(user.user_id)))
    login = kasm.users.login_url(user.user_id)
    kasm.session_tokens.delete(token.session_token)
    try:
        kasm.session_tokens.get(token.session_token)
    except errors.NotFound as exc:
        seen.extend([str(exc), repr(exc)])
    kasm.sessions.destroy(requested.kasm_id, user.user_id)
    seen.append(repr(kasm))
    seen.append(repr(kasm.images.get(image.image_id)))

    secrets: dict[str, str | None] = {
        "api secret": kasm.transport._secret,
        "password": PASSWORD,
        "new password": NEW_PASSWORD,
        "docker token": DOCKER_TOKEN,
        "request_kasm session token": requested.session_token,
        "request_kasm kasm_url": requested.kasm_url,
        "status kasm_url": status.kasm_url,
        "session token": token.session_token,
        "login url": login,
    }
    assert all(secrets.values()), secrets.keys()
    logs = "\n".join(f"{r.name} {r.getMessage()} {r.args!r}" for r in caplog.records)
    assert "kasm request_kasm: status=200" in logs  # the capture did see our debug lines
    for what, value in secrets.items():
        assert value is not None
        assert value not in logs, f"{what} in logs"
        for text in seen:
            assert value not in text, f"{what} in {text[:80]}"


def test_redaction_helpers() -> None:
    body = {
        "target_user": {"username": "a", "password": "hunter2!!"},
        "api_key_secret": "s3cr3t-value",
        "list": [{"session_token": "12345678-aaaa"}],
    }
    assert secret_values(body) == {"hunter2!!", "s3cr3t-value", "12345678-aaaa"}
    assert redact("token 12345678aaaa and s3cr3t-value", secret_values(body)) == f"token {MASK} and {MASK}"
    masked = redact_body(body)
    assert masked["target_user"] == {"username": "a", "password": MASK}
    assert masked["list"] == [{"session_token": MASK}]
