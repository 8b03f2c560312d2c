"""Licenses: ``client.licenses`` (reference §2.10). License and activation keys are secrets."""

from __future__ import annotations

import builtins
from typing import Any

from . import convert
from ._area import Area, ignore_missing, member, members
from .models import License


class Licenses(Area):
    def list(self) -> builtins.list[License]:
        """Installed licenses (``get_licenses``; *Licenses View*)."""
        data = self._call("get_licenses", {}, idempotent=True)
        return [License.from_json(x) for x in members("get_licenses", data, "licenses")]

    def add(self, license_key: str) -> License:
        """Install a license from its key (``add_license``; *Licenses Create*). Not retried after
        an ambiguous failure: list the licenses to see whether it was added."""
        data = self._call("add_license", {"license_key": license_key}, idempotent=False)
        return License.from_json(member("add_license", data, "license"))

    def activate(
        self, activation_key: str, *, seats: int | None = None, issued_to: str | None = None
    ) -> License:
        """Activate online through Kasm's license server (``activate``; *Licenses Create*)."""
        body: dict[str, Any] = {"activation_key": activation_key}
        if seats is not None:
            body["seats"] = seats
        if issued_to is not None:
            body["issued_to"] = issued_to
        data = self._call("activate", body, idempotent=False)
        return License.from_json(member("activate", data, "license"))

    def delete(self, license_id: str, *, missing_ok: bool = False) -> None:
        """Remove a license (``delete_license``; *Licenses Delete*)."""
        body = {"license_id": convert.require_id(license_id, "license_id")}
        ignore_missing(lambda: self._call("delete_license", body, idempotent=True), missing_ok)
