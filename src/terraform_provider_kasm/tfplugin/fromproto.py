"""tfplugin6 protobuf → Python: the values, stored states and capabilities of the requests.

The counterpart of ``toproto``; neither holds any RPC logic (that is ``servicer``). Modelled on the
plugin framework's ``fromproto6`` split. Decoding raises ``codec.CodecError``; the servicer turns it
into a diagnostic naming the request field.
"""

from __future__ import annotations

import itertools
import os
import threading
from pathlib import Path
from typing import Any

from . import codec
from ._generated import tfplugin6_pb2 as pb
from .resource import ClientCapabilities
from .types import Type

#: Debug aid: when set to a directory, every DynamicValue received is written there as
#: ``<pid>-<n>-<RPC>-<field>.msgpack`` (or ``.json``). The files hold configuration values, secrets
#: included: use it only against test infrastructure.
DUMP_ENV = "TF_KASM_DUMP_DYNAMIC_VALUES"

_dump_counter = itertools.count(1)
_dump_lock = threading.Lock()


def _dump(rpc: str, field: str, dv: pb.DynamicValue | None = None, raw_json: bytes = b"") -> None:
    directory = os.environ.get(DUMP_ENV)
    if not directory:
        return
    with _dump_lock:
        n = next(_dump_counter)
    target = Path(directory)
    target.mkdir(parents=True, exist_ok=True)
    stem = f"{os.getpid()}-{n:04d}-{rpc}-{field}"
    if dv is not None and dv.msgpack:
        (target / f"{stem}.msgpack").write_bytes(dv.msgpack)
    elif dv is not None and dv.json:
        (target / f"{stem}.json").write_bytes(dv.json)
    elif raw_json:
        (target / f"{stem}.json").write_bytes(raw_json)


def dynamic_value(
    dv: pb.DynamicValue, t: Type, rpc: str = "", field: str = "", refined: dict[Any, Any] | None = None
) -> Any:
    """A request's DynamicValue as a plain value (an absent value is null). ``refined`` collects the
    refinements of unknowns, by path (see ``codec.decode_msgpack``)."""
    if rpc:
        _dump(rpc, field, dv)
    if dv.msgpack:
        return codec.decode_msgpack(dv.msgpack, t, refined)
    if dv.json:
        return codec.decode_json(dv.json, t)
    return None


def raw_state_json(raw: pb.RawState, rpc: str = "UpgradeResourceState") -> Any:
    """A stored state's JSON (``raw.json``, not empty) as loaded, numbers exact."""
    _dump(rpc, "raw_state", raw_json=raw.json)
    return codec.loads_json(raw.json)


def client_capabilities(msg: pb.ClientCapabilities | None) -> ClientCapabilities:
    if msg is None:
        return ClientCapabilities()
    return ClientCapabilities(
        deferral_allowed=msg.deferral_allowed,
        write_only_attributes_allowed=msg.write_only_attributes_allowed,
    )
