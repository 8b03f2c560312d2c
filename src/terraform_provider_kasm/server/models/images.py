from __future__ import annotations

from typing import Annotated, Any

from pydantic import AliasPath, BaseModel, BeforeValidator, ConfigDict, Field

from .common import EMPTY_LIST, EMPTY_OBJECT, SANITIZED, KasmRequest, RowOut, TargetImageRef


class ImageAttributeOut(BaseModel):
    attr_id: str
    name: str
    category: str
    value: str | None
    image_id: str


class ImageOut(RowOut):
    """Kasm 1.15's image object, key by key in Kasm's order (a set docker token masked)."""

    image_id: str
    cores: float
    description: str | None
    docker_registry: str | None
    docker_token: Annotated[str | None, BeforeValidator(lambda token: SANITIZED if token else token)]
    docker_user: str | None
    enabled: bool
    friendly_name: str | None
    hash: str | None
    memory: int
    name: str | None
    x_res: int
    y_res: int
    image_attributes: list[ImageAttributeOut] = Field([], alias="imageAttributes")
    restrict_to_network: bool
    restrict_network_names: Annotated[list[str], EMPTY_LIST]
    restrict_to_server: bool
    server_id: str | None
    persistent_profile_config: dict[str, Any]
    volume_mappings: Annotated[dict[str, Any], EMPTY_OBJECT]
    run_config: Annotated[dict[str, Any], EMPTY_OBJECT]
    image_src: str | None
    available: bool
    exec_config: Annotated[dict[str, Any], EMPTY_OBJECT]
    restrict_to_zone: bool
    zone_id: str | None
    zone_name: str | None = Field(None, validation_alias=AliasPath("zone", "zone_name"))
    persistent_profile_path: str | None
    filter_policy_id: str | None
    # No web filter policies on this server.
    filter_policy_name: str | None = None
    filter_policy_force_disabled: bool
    session_time_limit: int | None
    categories: Annotated[list[str], EMPTY_LIST]
    default_category: str
    allow_network_selection: bool
    require_gpu: bool
    gpu_count: int
    hidden: bool
    notes: str | None
    image_type: str
    server_pool_id: str | None
    link_url: str | None
    cpu_allocation_method: str
    uncompressed_size_mb: int
    launch_config: Annotated[dict[str, Any], EMPTY_OBJECT]


class ListedImageOut(ImageOut):
    """`get_images` adds the server and server pool (empty objects when unset)."""

    server: dict[str, Any] = {}
    server_pool: dict[str, Any] = {}


class GetImagesResponse(BaseModel):
    images: list[ListedImageOut]


class ImageResponse(BaseModel):
    image: ImageOut


class TargetImage(BaseModel):
    """The keys `create_image`/`update_image` accept (Kasm's `create_update_image` signature).

    JSON-valued fields (`run_config`, `exec_config`, `volume_mappings`, `launch_config`,
    `connection_info`) are JSON-encoded strings and `categories` is a newline-separated string, as the
    Kasm UI sends them. Any other key is an unhandled error (HTTP 500) in Kasm 1.15.
    """

    model_config = ConfigDict(extra="forbid")

    image_id: str | None = None
    image_name: str | None = None
    cores: float | None = None
    description: str | None = None
    docker_registry: str | None = None
    docker_token: str | None = None
    docker_user: str | None = None
    enabled: bool | None = None
    friendly_name: str | None = None
    hash: str | None = None
    memory: int | None = None
    name: str | None = None
    x_res: int | None = None
    y_res: int | None = None
    run_config: str | None = Field(None, description='JSON string, e.g. "{\\"hostname\\": \\"kasm\\"}"')
    restrict_to_network: bool | None = None
    restrict_network_names: list[str] | None = None
    restrict_to_server: bool | None = None
    server_id: str | None = None
    persistent_profile_path: str | None = None
    volume_mappings: str | None = Field(None, description="JSON string")
    image_src: str | None = None
    exec_config: str | None = Field(None, description="JSON string")
    restrict_to_zone: bool | None = None
    zone_id: str | None = None
    filter_policy_id: str | None = None
    filter_policy_force_disabled: bool | None = None
    session_time_limit: int | None = None
    categories: str = Field("", description="newline-separated (not null, not a list)")
    allow_network_selection: bool | None = None
    require_gpu: bool | None = None
    gpu_count: int | None = None
    hidden: bool | None = None
    notes: str | None = None
    image_type: str | None = None
    server_pool_id: str | None = None
    link_url: str | None = None
    cpu_allocation_method: str | None = None
    uncompressed_size_mb: int | None = None
    launch_config: str | None = Field(None, description="JSON string")
    connection_info: str | None = Field(None, description="JSON string")


class CreateImageRequest(KasmRequest):
    target_image: TargetImage


class UpdateImageRequest(KasmRequest):
    target_image: TargetImage


class DeleteImageRequest(KasmRequest):
    target_image: TargetImageRef
