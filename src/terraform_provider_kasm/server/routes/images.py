"""Images ("workspaces")."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.responses import Response

from ..endpoints import EndpointGroup, KasmCall
from ..models.common import Empty
from ..models.images import (
    CreateImageRequest,
    DeleteImageRequest,
    GetImagesRequest,
    GetImagesResponse,
    ImageResponse,
    UpdateImageRequest,
)
from ..permissions import Permission as P
from ..services import images

endpoints = EndpointGroup("images")


@endpoints.endpoint(
    "get_images",
    actions=[P.IMAGES_VIEW],
    read_only=True,
    request=GetImagesRequest,
    response=GetImagesResponse,
)
def get_images(call: KasmCall) -> Response:
    """All images, enabled and disabled, ordered by friendly_name then image_id."""
    return images.get_images(call)


@endpoints.endpoint(
    "create_image",
    actions=[P.IMAGES_CREATE],
    read_only=False,
    request=CreateImageRequest,
    response=ImageResponse,
)
def create_image(call: KasmCall) -> Mapping[str, Any]:
    """Create an image (no group is authorised to launch it until `add_images_group`)."""
    return images.create_image(call)


@endpoints.endpoint(
    "update_image",
    actions=[P.IMAGES_MODIFY, P.IMAGES_MODIFY_RESOURCES],
    read_only=False,
    request=UpdateImageRequest,
    response=ImageResponse,
)
def update_image(call: KasmCall) -> Mapping[str, Any]:
    """Update an image; send the whole image (some omitted fields are cleared, as in Kasm)."""
    return images.update_image(call)


@endpoints.endpoint(
    "delete_image", actions=[P.IMAGES_DELETE], read_only=False, request=DeleteImageRequest, response=Empty
)
def delete_image(call: KasmCall) -> Mapping[str, Any]:
    """Delete an image and its group authorisations (refused while sessions use it)."""
    return images.delete_image(call)
