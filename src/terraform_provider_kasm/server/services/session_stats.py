"""Session screenshots, KasmVNC statistics and RDP connection info (of a running session)."""

from __future__ import annotations

import io
import secrets
import time
from typing import Any

from PIL import Image as PILImage
from PIL import ImageDraw
from starlette.responses import Response

from ..constants import LOCAL_AGENT_IP
from ..endpoints import EndpointGroup, KasmCall
from ..errors import KasmError
from ..models.sessions import (
    FrameStatsRequest,
    FrameStatsResponse,
    KasmIdRequest,
    RdpConnectionInfoRequest,
    RdpConnectionInfoResponse,
    ScreenshotRequest,
)
from ..permissions import Permission as P
from ..storage.tables import Kasm, utcnow
from .session_state import hostname_for, settle, state_message, target_session
from .users import new_session_token

endpoints = EndpointGroup("session_stats")


def _running_for_user(call: KasmCall) -> Kasm:
    """The caller's running session (stats calls answer with get_kasm_status's state messages)."""
    kasm = target_session(call, "Access Denied")[0]
    status = settle(kasm, utcnow()).status
    if status != "running":
        raise KasmError(state_message(status) or f"Kasm ({kasm.kasm_id}) is not running")
    return kasm


def _dimension(value: Any, default: int) -> int:
    try:
        number = int(value) if value is not None else default
    except (TypeError, ValueError):
        return default
    return max(1, min(number, 4096))


@endpoints.read_only([P.USER], ScreenshotRequest, None, writes=True)
def get_kasm_screenshot(call: KasmCall) -> Response:
    """A JPEG of the session's screen (`width`/`height` swapped, as Kasm 1.15 does)."""
    if call.kasm is None:
        return Response(b"", status_code=400)
    if call.user is None or call.kasm.user_id != call.user.user_id:
        return Response(b"", status_code=404)
    kasm = call.kasm
    now = utcnow()
    if settle(kasm, now).status != "running":
        return Response(b"", status_code=404)
    new_session_token(call.db, call.user.user_id)
    # Kasm 1.15 hands `width` to the agent as the height and `height` as the width.
    width = _dimension(call.body.get("height"), 300)
    height = _dimension(call.body.get("width"), 300)
    return Response(render_screenshot(kasm, width, height), media_type="image/jpeg")


def render_screenshot(kasm: Kasm, width: int, height: int) -> bytes:
    """A small fake desktop: a gradient from the session id, a title bar, and the image's name."""
    seed = bytes.fromhex(kasm.kasm_id[:6])
    base = PILImage.new("RGB", (width, height), (seed[0], seed[1], seed[2]))
    draw = ImageDraw.Draw(base)
    for y in range(0, height, 4):
        shade = int(255 * y / max(1, height))
        draw.rectangle([0, y, width, y + 3], fill=((seed[0] + shade) % 256, seed[1], (seed[2] + 128) % 256))
    bar = max(1, height // 12)
    draw.rectangle([0, 0, width, bar], fill=(32, 32, 32))
    draw.text((4, bar + 4), kasm.image.friendly_name or kasm.image.name or "Kasm", fill=(255, 255, 255))
    out = io.BytesIO()
    base.save(out, format="JPEG", quality=80)
    return out.getvalue()


@endpoints.read_only([P.USER], FrameStatsRequest, FrameStatsResponse, writes=True)
def get_kasm_frame_stats(call: KasmCall) -> dict[str, Any]:
    """KasmVNC frame statistics of a running session."""
    kasm = _running_for_user(call)
    client = call.body.get("client", "auto")
    if client not in ("auto", "all", "none"):
        raise KasmError(f"Invalid client ({client})")
    new_session_token(call.db, kasm.user_id)
    rng = secrets.SystemRandom()
    clients = (
        []
        if client == "none"
        else [
            {
                "client": LOCAL_AGENT_IP,
                "client_time": rng.randint(2, 12),
                "ping": rng.randint(1, 30),
                "processes": [{"process_name": "Client Render", "time": rng.randint(1, 8)}],
            }
        ]
    )
    encode = rng.randint(2, 20)
    return {
        "frame": {
            "resx": kasm.image.x_res,
            "resy": kasm.image.y_res,
            "changed": rng.randint(0, 100),
            "server_time": int(time.time() * 1000),
        },
        "clients": clients,
        "analysis": rng.randint(0, 3),
        "screenshot": rng.randint(0, 3),
        "encoding_total": encode,
        "videoscaling": 0,
        "tightjpegencoder": {"time": encode, "count": rng.randint(1, 50), "area": rng.randint(1, 10**6)},
        "tightwebpencoder": {"time": 0, "count": 0, "area": 0},
    }


@endpoints.read_only([P.USER], KasmIdRequest, None, writes=True)
def get_kasm_bottleneck_stats(call: KasmCall) -> dict[str, Any]:
    """KasmVNC bottleneck statistics of a running session."""
    _running_for_user(call)
    rng = secrets.SystemRandom()
    return {"kasm_user": {LOCAL_AGENT_IP: [round(rng.uniform(0, 50), 2) for _ in range(4)]}}


@endpoints.read_only([P.USER], RdpConnectionInfoRequest, RdpConnectionInfoResponse, writes=True)
def get_rdp_client_connection_info(call: KasmCall) -> dict[str, Any]:
    """An .rdp file or rdp:// URL pointing at the session's proxy (Kasm 1.16+; shape from clients)."""
    kasm = _running_for_user(call)
    kind = call.body.get("connection_type", "file")
    if kind not in ("file", "url"):
        raise KasmError("Invalid Request. connection_type must be 'file' or 'url'")
    host = f"{hostname_for(kasm.zone, call.host)}:{kasm.port}"
    username = kasm.user.username
    if kind == "url":
        return {"url": f"rdp://full%20address=s:{host}&username=s:{username}"}
    lines = [
        f"full address:s:{host}",
        f"username:s:{username}",
        "prompt for credentials:i:1",
        "screen mode id:i:2",
    ]
    return {"file": "\r\n".join(lines) + "\r\n"}
