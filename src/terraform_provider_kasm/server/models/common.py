from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Self

from pydantic import BaseModel, BeforeValidator, ConfigDict

# What Kasm answers for a secret that is set (and takes back as "unchanged").
SANITIZED = "**********"


def kasm_time(value: datetime | None) -> str | None:
    """Kasm renders datetimes as `str(datetime)`: naive UTC, space separator."""
    return None if value is None else str(value)


def _time(value: Any) -> Any:
    return kasm_time(value) if isinstance(value, datetime) else value


# How Kasm answers columns: datetimes as `str(datetime)`; unset (NULL) JSON as `{}` or `[]`
# (`Annotated[dict[str, Any], EMPTY_OBJECT]`).
KasmTime = Annotated[str | None, BeforeValidator(_time)]
EMPTY_OBJECT = BeforeValidator(lambda value: {} if value is None else value)
EMPTY_LIST = BeforeValidator(lambda value: [] if value is None else value)


class RowOut(BaseModel):
    """An output object read from a row's attributes (`from_attributes`): fields named as the columns,
    `validation_alias` (an `AliasPath` for related rows) where Kasm's key differs, defaults for what this
    server never has."""

    model_config = ConfigDict(from_attributes=True, populate_by_name=True)

    @classmethod
    def of(cls, row: object, **values: Any) -> Self:
        """The model of `row`, `values` standing in for (or adding to) its attributes."""
        return cls.model_validate(_Overlay(row, values) if values else row, from_attributes=True)

    @classmethod
    def dump(cls, row: object, **values: Any) -> dict[str, Any]:
        """`of(row, **values)` as the JSON object Kasm answers."""
        return cls.of(row, **values).model_dump(by_alias=True)


class _Overlay:
    """A row seen through computed values (what `RowOut.of` reads)."""

    def __init__(self, row: object, values: dict[str, Any]) -> None:
        self._row = row
        self._values = values

    def __getattr__(self, name: str) -> Any:
        return self._values[name] if name in self._values else getattr(self._row, name)


class OpenModel(BaseModel):
    """Input objects take keys they do not name (Kasm ignores them)."""

    model_config = ConfigDict(extra="allow")


class KasmRequest(OpenModel):
    """Every call carries the API key and secret in the body (or the `api-key`/`api-key-secret` headers)."""

    api_key: str | None = None
    api_key_secret: str | None = None


class ErrorMessage(BaseModel):
    error_message: str


class Empty(BaseModel):
    """`{}`: a success with nothing to return."""

    model_config = ConfigDict(extra="forbid")


class TargetUserRef(OpenModel):
    user_id: str | None = None
    username: str | None = None


class TargetGroupRef(OpenModel):
    group_id: str | None = None


class TargetImageRef(OpenModel):
    image_id: str | None = None
