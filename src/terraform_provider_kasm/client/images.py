"""Workspace images: ``client.images`` (reference §2.1)."""

from __future__ import annotations

import builtins
from collections.abc import Mapping
from typing import Any

from . import convert, errors
from ._area import Area, ignore_missing, member, members
from .models import Image, ImageSpec


class Images(Area):
    def list(self) -> builtins.list[Image]:
        """Every image, enabled or not (``get_images``; needs *Images View*)."""
        return [Image.from_json(i) for i in self._list_json()]

    def _list_json(self) -> builtins.list[Mapping[str, Any]]:
        data = self._call("get_images", {}, idempotent=True)
        return members("get_images", data, "images")

    def find(self, image_id: str) -> Image | None:
        """The image with this id, or None (Kasm has no get-by-id: lists and filters)."""
        wanted = convert.require_id(image_id, "image_id")
        return next((i for i in self.list() if i.image_id == wanted), None)

    def get(self, image_id: str) -> Image:
        """The image with this id; NotFound if there is none (*Images View*)."""
        image = self.find(image_id)
        if image is None:
            raise errors.NotFound("get_images", 200, f"Image ({image_id}) does not exist", kind="image")
        return image

    def create(self, spec: ImageSpec) -> Image:
        """Create an image (``create_image``; needs *Images Create*).

        Image names are not unique, so to retry safely after an ambiguous failure the ids of the
        images already carrying this docker name are noted first (one extra ``get_images``); the
        lookup then adopts a new image with this name instead of creating a second one.
        """
        body = {"target_image": spec.to_json()}
        recover = None
        if self._t.max_retries > 0:
            before = {
                convert.kasm_id(i.get("image_id")) for i in self._list_json() if i.get("name") == spec.name
            }

            def recover() -> dict[str, Any] | None:
                new = [
                    i
                    for i in self._list_json()
                    if i.get("name") == spec.name and convert.kasm_id(i.get("image_id")) not in before
                ]
                if len(new) > 1:
                    raise errors.Conflict(
                        "create_image",
                        200,
                        f"several new images named {spec.name!r} appeared; not adopting any",
                    )
                return {"image": new[0]} if new else None

        data = self._call("create_image", body, idempotent=False, recover=recover)
        return Image.from_json(member("create_image", data, "image"))

    def update(self, image_id: str, spec: ImageSpec) -> Image:
        """Replace an image's settings (``update_image``; *Images Modify*, and *Images Modify
        Resources* for cores/memory/GPU/volume/run-config/docker changes). Send the whole desired
        image: fields left None are cleared by Kasm."""
        target = spec.to_json()
        target["image_id"] = convert.require_id(image_id, "image_id")
        data = self._call("update_image", {"target_image": target}, idempotent=True)
        return Image.from_json(member("update_image", data, "image"))

    def delete(self, image_id: str, *, missing_ok: bool = False) -> None:
        """Delete an image (``delete_image``; *Images Delete*). ``missing_ok``: no error if gone."""
        body = {"target_image": {"image_id": convert.require_id(image_id, "image_id")}}
        ignore_missing(lambda: self._call("delete_image", body, idempotent=True), missing_ok)
