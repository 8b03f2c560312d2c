"""Sessions ("kasms"): ``client.sessions`` (reference §2.4, §3.2).

``request`` starts a session for a user; it answers while the session is still starting, so
poll ``status`` (or call ``wait_until_running``) until ``operational_status`` is ``running``.
"""

from __future__ import annotations

import builtins
import re
import threading
from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import Any

from . import convert, errors
from ._area import Area, ignore_missing, member, members
from .models import RequestedSession, Session, SessionStatus

# request_kasm's one non-fatal error_message: the session exists, only sharing failed.
_SHARE_WARNING = "Failed to create Share ID"
_CURRENTLY = re.compile(r"^This session is currently (\w+)\.?$")
_SCHEDULED = {
    "deleted": "delete_pending",
    "paused": "pausing",
    "stopped": "stopping",
}
_SCHEDULED_RE = re.compile(r"scheduled to be (deleted|paused|stopped)")
#: States from which a session will not reach "running" on its own.
ENDED_STATES = frozenset(
    {
        "stopped",
        "paused",
        "stopping",
        "pausing",
        "delete_pending",
        "user_delete_pending",
        "admin_delete_pending",
        "destroying",
        "deleting",
    }
)


def _status_from_message(message: str) -> str | None:
    m = _CURRENTLY.match(message)
    if m:
        return m.group(1).lower()
    m = _SCHEDULED_RE.search(message)
    return _SCHEDULED[m.group(1)] if m else None


def _pending(_status: int, data: Mapping[str, Any]) -> bool:
    """get_kasm_status's "not running yet" answers carry an error_message but are not failures."""
    if data.get("kasm"):
        return True
    message = data.get("error_message")
    return "operational_status" in data or (
        isinstance(message, str) and _status_from_message(message) is not None
    )


class Sessions(Area):
    def request(
        self,
        *,
        user_id: str | None,
        image_id: str | None = None,
        enable_sharing: bool | None = None,
        environment: Mapping[str, str] | None = None,
        kasm_url: str | None = None,
        client_language: str | None = None,
        client_timezone: str | None = None,
        persistent_profile_mode: str | None = None,
        zone_id: str | None = None,
        x_res: int | None = None,
        y_res: int | None = None,
        launch_selections: Mapping[str, Any] | None = None,
    ) -> RequestedSession:
        """Start a session of ``image_id`` for ``user_id`` (``request_kasm``; the key needs *User*
        and *Users Auth Session*). ``user_id=None`` makes Kasm create an anonymous user.

        The user must be in a group the image is added to, else PermissionDenied ("Image Not
        Authorized"); limits give NoResourcesAvailable. If only sharing failed the session is
        returned with ``warning`` set. After an ambiguous failure the user's sessions are listed
        (``get_kasms``, *Sessions View*) and a session created since the request is adopted
        instead of starting a second one.
        """
        body: dict[str, Any] = {}
        uid = convert.require_id(user_id, "user_id") if user_id is not None else None
        iid = convert.require_id(image_id, "image_id") if image_id is not None else None
        optional: dict[str, Any] = {
            "user_id": uid,
            "image_id": iid,
            "enable_sharing": enable_sharing,
            "environment": dict(environment) if environment is not None else None,
            "kasm_url": kasm_url,
            "client_language": client_language,
            "client_timezone": client_timezone,
            "persistent_profile_mode": persistent_profile_mode,
            "zone_id": convert.require_id(zone_id, "zone_id") if zone_id else None,
            "x_res": x_res,
            "y_res": y_res,
            "launch_selections": dict(launch_selections) if launch_selections is not None else None,
        }
        body.update({k: v for k, v in optional.items() if v is not None})
        started = self._t.clock()

        def accept(_status: int, data: Mapping[str, Any]) -> bool:
            return data.get("error_message") == _SHARE_WARNING and bool(data.get("kasm_id"))

        def recover() -> dict[str, Any] | None:
            return self._find_new_session(uid, iid, started) if uid is not None else None

        data = self._call(
            "request_kasm",
            body,
            idempotent=False,
            recover=recover if uid is not None else None,
            accept_error=accept,
        )
        if not data.get("kasm_id"):
            raise errors.InvalidResponse("request_kasm", 200, "the answer has no 'kasm_id'")
        return RequestedSession.from_json(data)

    def _find_new_session(self, user_id: str, image_id: str | None, started: float) -> dict[str, Any] | None:
        """A session of this user (and image) created since ``started`` (monotonic clock), found by
        comparing with the server's own ``current_time`` so clock skew does not matter."""
        data = self._call("get_kasms", {}, idempotent=True)
        now = convert.parse_datetime(data.get("current_time"))
        if now is None:
            raise errors.InvalidResponse("get_kasms", 200, "no 'current_time' to date new sessions by")
        # One second of slack: Kasm's dates and our clocks have different resolutions.
        since = now - timedelta(seconds=self._t.clock() - started + 1.0)
        found = []
        for raw in members("get_kasms", data, "kasms"):
            session = Session.from_json(raw)
            created = session.created_date or session.start_date
            if session.user_id != user_id or (image_id is not None and session.image_id != image_id):
                continue
            if created is not None and created >= since:
                found.append(session)
        if len(found) > 1:
            raise errors.Conflict("request_kasm", 200, "several sessions started meanwhile; not adopting any")
        if not found:
            return None
        s = found[0]
        return {
            "kasm_id": s.kasm_id,
            "status": s.operational_status,
            "user_id": s.user_id,
            "username": s.username,
            "share_id": s.share_id,
        }

    def status(self, kasm_id: str, user_id: str, *, skip_agent_check: bool = False) -> SessionStatus:
        """Where the session is in its life (``get_kasm_status``; *User* and *Users Auth Session*).

        Not an error while starting: ``kasm`` is None and ``status`` says "starting" etc.
        NotFound (kind "session") once the session is gone. Each call makes Kasm mint a new
        session token for the user (in ``kasm_url``, an absolute URL on ``base_url``).
        """
        body = {
            "kasm_id": convert.require_id(kasm_id, "kasm_id"),
            "user_id": convert.require_id(user_id, "user_id"),
            "skip_agent_check": skip_agent_check,
        }
        data = self._call("get_kasm_status", body, idempotent=True, accept_error=_pending)
        if data.get("operational_status") is None and not data.get("kasm") and data.get("error_message"):
            data = {**data, "operational_status": _status_from_message(str(data["error_message"]))}
        link = data.get("kasm_url")
        if isinstance(link, str) and link and "://" not in link:
            # Kasm's link is relative to the Kasm address: made absolute once, here.
            data = {**data, "kasm_url": f"{self._t.base_url}/{link.lstrip('/')}"}
        return SessionStatus.from_json(data)

    def wait_until_running(
        self,
        kasm_id: str,
        user_id: str,
        *,
        timeout: float = 300.0,
        interval: float = 0.25,
        max_interval: float = 5.0,
        stop: threading.Event | Callable[[], bool] | None = None,
    ) -> SessionStatus:
        """Poll ``status`` until the session runs, waiting ``interval`` seconds after the first poll
        and twice as long after each further one (at most ``max_interval``).

        Raises StartTimeout (a Timeout) when it is not running after ``timeout`` seconds, SessionEnded when it is
        stopped, paused or being deleted instead, and Interrupted as soon as ``stop`` is set (an
        Event, which also cuts a wait short, or a callable asked before each wait). The answer's
        ``kasm_url`` is the valid link: each status call voids the previous one.
        """
        deadline = self._t.clock() + timeout
        delay = interval
        while True:
            current = self.status(kasm_id, user_id)
            if current.running:
                return current
            if current.status in ENDED_STATES:
                raise errors.SessionEnded(
                    "get_kasm_status",
                    200,
                    f"session {kasm_id} is {current.status} and will not start",
                    operational_status=current.status or "",
                )
            stopped = stop.is_set if isinstance(stop, threading.Event) else stop
            if stopped is not None and stopped():
                raise errors.Interrupted(
                    f"stopped waiting for Kasm session {kasm_id} (last status: {current.status})",
                    call="get_kasm_status",
                )
            remaining = deadline - self._t.clock()
            if remaining <= 0:
                raise errors.StartTimeout(
                    f"Kasm session {kasm_id} not running after {timeout:g}s (last status: {current.status})",
                    call="get_kasm_status",
                )
            wait = min(delay, remaining)
            if isinstance(stop, threading.Event):
                stop.wait(wait)
            else:
                self._t.sleep(wait)
            delay = min(delay * 2, max_interval)

    def list(self) -> builtins.list[Session]:
        """Every session of every user, in any state (``get_kasms``; *Sessions View*)."""
        data = self._call("get_kasms", {}, idempotent=True)
        return [Session.from_json(k) for k in members("get_kasms", data, "kasms")]

    def find(self, kasm_id: str) -> Session | None:
        """The session with this id, or None (``get_kasm``; *Sessions View*)."""
        body = {"target_kasm": {"kasm_id": convert.require_id(kasm_id, "kasm_id")}}
        try:
            data = self._call("get_kasm", body, idempotent=True)
        except errors.NotFound:
            return None
        # Kasm answers {} for an unknown session.
        return Session.from_json(member("get_kasm", data, "kasm")) if data.get("kasm") else None

    def get(self, kasm_id: str) -> Session:
        """The session with this id; NotFound otherwise (*Sessions View*)."""
        session = self.find(kasm_id)
        if session is None:
            raise errors.NotFound("get_kasm", 200, f"Invalid kasm_id ({kasm_id})", kind="session")
        return session

    def destroy(self, kasm_id: str, user_id: str, *, missing_ok: bool = False) -> None:
        """Destroy a session (``destroy_kasm``; *User* and *Users Auth Session*; *Sessions Delete*
        for another user's session). Kasm may finish the deletion later: the session can still be
        listed for a while with a delete state."""
        body = {
            "kasm_id": convert.require_id(kasm_id, "kasm_id"),
            "user_id": convert.require_id(user_id, "user_id"),
        }
        ignore_missing(lambda: self._call("destroy_kasm", body, idempotent=True), missing_ok)

    def keepalive(self, kasm_id: str) -> bool:
        """Push the session's expiry back (``keepalive``; *Sessions Modify*). Returns
        ``usage_reached`` (True when a usage limit stopped the extension)."""
        data = self._call("keepalive", {"kasm_id": convert.require_id(kasm_id, "kasm_id")}, idempotent=True)
        return bool(data.get("usage_reached", False))

    def exec_command(
        self,
        kasm_id: str,
        user_id: str,
        cmd: str,
        *,
        workdir: str | None = None,
        privileged: bool = False,
        environment: Mapping[str, str] | None = None,
        user: str | None = None,
    ) -> Session:
        """Run a command in the session, fire and forget (``exec_command_kasm``; *Sessions Modify*
        and *Users Auth Session*). Never retried after an ambiguous failure."""
        exec_config: dict[str, Any] = {"cmd": cmd, "privileged": privileged}
        if workdir is not None:
            exec_config["workdir"] = workdir
        if environment is not None:
            exec_config["environment"] = dict(environment)
        if user is not None:
            exec_config["user"] = user
        body = {
            "kasm_id": convert.require_id(kasm_id, "kasm_id"),
            "user_id": convert.require_id(user_id, "user_id"),
            "exec_config": exec_config,
        }
        data = self._call("exec_command_kasm", body, idempotent=False)
        return Session.from_json(member("exec_command_kasm", data, "kasm"))
