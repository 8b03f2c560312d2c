"""The DynamicValue codec: property-based round trips, cty wire details, and values captured from a real
Terraform (tests/tfplugin/fixtures/terraform-1.0.3/, dumped with TF_KASM_DUMP_DYNAMIC_VALUES)."""

from __future__ import annotations

import json
import string
from decimal import Decimal
from pathlib import Path
from typing import Any

import msgpack
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from terraform_provider_kasm.tfplugin import codec
from terraform_provider_kasm.tfplugin.codec import (
    CodecError,
    decode_json,
    decode_msgpack,
    encode_json,
    encode_msgpack,
    normalize_number,
    values_equal,
    wrap_dynamic,
)
from terraform_provider_kasm.tfplugin.types import (
    UNKNOWN,
    Bool,
    Dynamic,
    List,
    Map,
    Number,
    Object,
    Set,
    String,
    Tuple,
    Type,
    Typed,
    type_from_json,
    type_from_json_bytes,
)

FIXTURES = Path(__file__).parent / "fixtures" / "terraform-1.0.3"

# ---------------------------------------------------------------------------------------------------
# strategies

names = st.text(alphabet=string.ascii_lowercase + "_", min_size=1, max_size=6)


def type_strategy(allow_dynamic: bool = True) -> st.SearchStrategy[Type]:
    leaves = st.sampled_from([String, Number, Bool, Dynamic] if allow_dynamic else [String, Number, Bool])
    return st.recursive(
        leaves,
        lambda inner: st.one_of(
            st.builds(List, inner),
            st.builds(Set, inner),
            st.builds(Map, inner),
            st.dictionaries(names, inner, max_size=4).map(Object),
            st.lists(inner, max_size=3).map(Tuple),
        ),
        max_leaves=8,
    )


numbers = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.integers(min_value=-(2**200), max_value=2**200),
    st.floats(allow_nan=False, allow_infinity=False).filter(lambda f: not f.is_integer()),
    st.decimals(min_value=-(10**30), max_value=10**30, places=12, allow_nan=False, allow_infinity=False).map(
        normalize_number
    ),
)


def value_strategy(t: Type, unknowns: bool) -> st.SearchStrategy[Any]:
    """Values of type t (null and, when asked, unknown anywhere), in the codec's canonical form."""
    specials: list[st.SearchStrategy[Any]] = [st.none()]
    if unknowns:
        specials.append(st.just(UNKNOWN))
    return st.one_of(*specials, _known(t, unknowns))


def _known(t: Type, unknowns: bool) -> st.SearchStrategy[Any]:
    if t == String:
        return st.text(max_size=12)
    if t == Number:
        return numbers
    if t == Bool:
        return st.booleans()
    if t == Dynamic:
        return type_strategy(allow_dynamic=False).flatmap(
            lambda actual: value_strategy(actual, unknowns).map(lambda v: wrap_dynamic(v, actual))
        )
    if isinstance(t, List | Set):
        return st.lists(value_strategy(t.element, unknowns), max_size=3)
    if isinstance(t, Map):
        return st.dictionaries(st.text(max_size=5), value_strategy(t.element, unknowns), max_size=3)
    if isinstance(t, Object):
        return st.fixed_dictionaries({k: value_strategy(at, unknowns) for k, at in t.attributes.items()})
    assert isinstance(t, Tuple)
    return st.tuples(*[value_strategy(et, unknowns) for et in t.elements]).map(list)


def typed_values(unknowns: bool) -> st.SearchStrategy[tuple[Type, Any]]:
    return type_strategy().flatmap(lambda t: st.tuples(st.just(t), value_strategy(t, unknowns)))


# ---------------------------------------------------------------------------------------------------
# round trips


@settings(max_examples=400, deadline=None)
@given(typed_values(unknowns=True))
def test_msgpack_round_trip(tv: tuple[Type, Any]) -> None:
    t, value = tv
    assert decode_msgpack(encode_msgpack(value, t), t) == value


@settings(max_examples=400, deadline=None)
@given(typed_values(unknowns=False))
def test_json_round_trip(tv: tuple[Type, Any]) -> None:
    t, value = tv
    text = encode_json(value, t)
    json.loads(text)  # valid JSON
    assert decode_json(text, t) == value


@settings(max_examples=200, deadline=None)
@given(typed_values(unknowns=False))
def test_msgpack_and_json_agree(tv: tuple[Type, Any]) -> None:
    t, value = tv
    assert decode_json(encode_json(value, t), t) == decode_msgpack(encode_msgpack(value, t), t)


@settings(max_examples=200, deadline=None)
@given(type_strategy())
def test_type_json_round_trip(t: Type) -> None:
    assert type_from_json_bytes(t.json_bytes()) == t


@settings(max_examples=200, deadline=None)
@given(typed_values(unknowns=False))
def test_values_equal_is_reflexive_without_unknowns(tv: tuple[Type, Any]) -> None:
    t, value = tv
    assert values_equal(value, decode_msgpack(encode_msgpack(value, t), t), t)


@given(st.lists(st.text(max_size=4), unique=True, min_size=2, max_size=5))
def test_sets_compare_unordered_lists_do_not(items: list[str]) -> None:
    assert values_equal(items, list(reversed(items)), Set(String))
    assert not values_equal(items, list(reversed(items)), List(String))


# ---------------------------------------------------------------------------------------------------
# wire details


def test_unknown_is_extension_zero_and_any_extension_decodes_as_unknown() -> None:
    assert encode_msgpack(UNKNOWN, String) == b"\xd4\x00\x00"
    # A refined unknown (code 12, "definitely not null" + a string prefix) is tolerated.
    refined = msgpack.ExtType(12, msgpack.packb({1: False, 2: "ka"}))
    assert decode_msgpack(msgpack.packb(refined), String) is UNKNOWN
    assert decode_msgpack(msgpack.packb(msgpack.ExtType(5, b"")), List(Number)) is UNKNOWN


@pytest.mark.parametrize(
    ("value", "wire"),
    [
        (1, 1),
        (-(2**63), -(2**63)),
        (2**64 - 1, 2**64 - 1),
        (2**64, str(2**64)),
        (-(2**63) - 1, str(-(2**63) - 1)),
        (0.5, 0.5),
        (Decimal("0.1"), "0.1"),
        (Decimal("2.50"), 2.5),
        (Decimal("12345678901234567890123.5"), "12345678901234567890123.5"),
    ],
)
def test_number_wire_forms(value: Any, wire: Any) -> None:
    assert msgpack.unpackb(encode_msgpack(value, Number)) == wire


@pytest.mark.parametrize(
    ("wire", "value"),
    [
        (3, 3),
        (3.0, 3),
        ("3", 3),
        ("1e3", 1000),
        ("0.1", Decimal("0.1")),
        ("0.25", 0.25),
        (0.1, 0.1),
        ("123456789012345678901234567890", 123456789012345678901234567890),
    ],
)
def test_numbers_decode_exactly(wire: Any, value: Any) -> None:
    decoded = decode_msgpack(msgpack.packb(wire), Number)
    assert decoded == value and type(decoded) is type(value)


def test_dynamic_forms() -> None:
    wire = msgpack.unpackb(encode_msgpack(["a", 1], Dynamic), raw=False)
    assert wire == [b'["tuple",["string","number"]]', ["a", 1]]
    listed = Typed(List(String), ["x"])
    assert decode_msgpack(encode_msgpack(listed, Dynamic), Dynamic) == listed
    assert json.loads(encode_json(listed, Dynamic)) == {"value": ["x"], "type": ["list", "string"]}
    # A null of a known type keeps its type; a dynamic null and unknown stay plain.
    assert decode_msgpack(encode_msgpack(Typed(String, None), Dynamic), Dynamic) == Typed(String, None)
    assert decode_msgpack(encode_msgpack(None, Dynamic), Dynamic) is None
    assert decode_msgpack(encode_msgpack(UNKNOWN, Dynamic), Dynamic) is UNKNOWN


def test_object_decoding_fills_missing_attributes_and_ignores_extra_ones() -> None:
    t = Object({"a": String, "b": Number})
    assert decode_msgpack(msgpack.packb({"a": "x", "zzz": 1}), t) == {"a": "x", "b": None}
    assert decode_json(b'{"b": 2, "old": true}', t) == {"a": None, "b": 2}


def test_type_json() -> None:
    t = Object({"a": List(String), "b": Map(Number), "c": Set(Bool), "d": Tuple([String, Dynamic])})
    assert json.loads(t.json_bytes()) == [
        "object",
        {
            "a": ["list", "string"],
            "b": ["map", "number"],
            "c": ["set", "bool"],
            "d": ["tuple", ["string", "dynamic"]],
        },
    ]
    assert type_from_json(["object", {"a": "string"}, ["a"]]) == Object({"a": String}, frozenset({"a"}))
    with pytest.raises(ValueError):
        type_from_json(["nope", "string"])


@pytest.mark.parametrize(
    ("value", "t"),
    [
        ("x", Number),
        (1, String),
        ("true", Bool),
        ({"a": 1}, List(String)),
        ([1], Map(Number)),
        (float("nan"), Number),
    ],
)
def test_encoding_a_mistyped_value_fails_without_showing_it(value: Any, t: Type) -> None:
    with pytest.raises(CodecError) as e:
        encode_msgpack({"secret": value}, Object({"secret": t}))
    assert "secret" in str(e.value)  # the path, not the value
    assert repr(value) not in str(e.value) or isinstance(value, float)


def test_bad_input_is_a_codec_error() -> None:
    with pytest.raises(CodecError):
        decode_msgpack(b"\xc1", String)
    with pytest.raises(CodecError):
        decode_msgpack(msgpack.packb(1), String)
    with pytest.raises(CodecError):
        decode_json(b"{", String)
    with pytest.raises(CodecError):
        encode_json(UNKNOWN, String)


def test_contains_unknown() -> None:
    assert codec.contains_unknown({"a": [1, {"b": UNKNOWN}]})
    assert not codec.contains_unknown({"a": [1, {"b": None}]})


# ---------------------------------------------------------------------------------------------------
# values captured from Terraform 1.0.3 (tests/tfplugin/thing_provider.py's kasm_test_thing)


@pytest.fixture(scope="module")
def thing_type() -> Object:
    from tests.tfplugin.thing_provider import ThingResource

    return ThingResource.schema.value_type


def _fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def test_captured_config_with_big_number_tuple_and_nested_attributes(thing_type: Object) -> None:
    config = decode_msgpack(_fixture("validate-config-a.msgpack"), thing_type)
    assert config["name"] == "one"
    # Terraform sends 12345678901234567890123.5 as a decimal string: kept exact.
    assert config["ratio"] == Decimal("12345678901234567890123.5")
    assert config["extra"] == ["a", 1, True]  # a tuple in a dynamic attribute: plain
    assert config["ports"] == [{"number": 80, "protocol": None}, {"number": 443, "protocol": "udp"}]
    assert config["spec"] == []  # an absent list block is an empty list
    assert config["id"] is None and config["zone"] is None
    assert set(config) == set(thing_type.attributes)
    # And it encodes back to the very same bytes' meaning.
    assert decode_msgpack(encode_msgpack(config, thing_type), thing_type) == config


def test_captured_config_with_unknowns(thing_type: Object) -> None:
    config = decode_msgpack(_fixture("validate-config-b-unknowns.msgpack"), thing_type)
    assert config["name"] is UNKNOWN
    assert config["aliases"] == [UNKNOWN, "q"]
    assert config["extra"] == Typed(List(String), ["x", "y"])  # tolist(): a list, so typed


def test_captured_planned_state(thing_type: Object) -> None:
    planned = decode_msgpack(_fixture("apply-planned-a.msgpack"), thing_type)
    assert planned["id"] is UNKNOWN and planned["revision"] is UNKNOWN
    assert planned["zone"] == "a" and planned["size"] == 1  # defaults planned by the layer
    assert planned["ports"][0] == {"number": 80, "protocol": "tcp"}
    assert decode_msgpack(_fixture("plan-prior-null.msgpack"), thing_type) is None


def test_captured_provider_config() -> None:
    from tests.tfplugin.thing_provider import ThingProvider

    config = decode_msgpack(_fixture("configure-provider.msgpack"), ThingProvider.schema.value_type)
    assert set(config) == {"store"} and config["store"].endswith(".json")


def test_captured_stored_state_json(thing_type: Object) -> None:
    a = decode_json(_fixture("upgrade-raw-state-a.json"), thing_type)
    assert a["ratio"] == Decimal("12345678901234567890123.5")
    assert a["extra"] == ["a", 1, True]
    assert a["token_set"] is False and a["revision"] == 1
    b = decode_json(_fixture("upgrade-raw-state-b.json"), thing_type)
    assert b["extra"] == Typed(List(String), ["x", "y"])
    assert b["aliases"] == ["2026-01-01T00:00:00Z", "q"]
    assert b["ports"] is None


def test_refinements_can_be_collected_and_sent_back() -> None:
    t = Object({"a": String, "b": List(String), "s": Set(String)})
    refined = msgpack.ExtType(12, msgpack.packb({2: "x-"}))
    wire = msgpack.packb({"a": refined, "b": [refined], "s": [refined]}, use_bin_type=True)
    found: dict[Any, Any] = {}
    value = decode_msgpack(wire, t, found)
    assert value == {"a": UNKNOWN, "b": [UNKNOWN], "s": [UNKNOWN]}
    assert found == {("a",): refined, ("b", 0): refined}  # none inside the set
    back = msgpack.unpackb(encode_msgpack(value, t, found), raw=False)
    assert back == {"a": refined, "b": [refined], "s": [msgpack.ExtType(0, b"\x00")]}
