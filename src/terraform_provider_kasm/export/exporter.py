"""``terraform-provider-kasm export``: a Kasm as Terraform configuration that plans clean.

Every object is read the way ``terraform import`` reads it: the provider's own resource
(``import_state`` then ``read``, on the same client and read cache the provider uses), so the written
arguments are exactly the state the import will produce. The configuration is that state minus what
cannot be configured (computed-only and write-only attributes, nulls, aliases), with ids of other
exported objects replaced by references and secrets by variables.

A type is one :class:`Kind` entry in :data:`KINDS`: how to list its objects (one listing per type;
links one per group), how to name them, which attributes refer to other types, and which hold secrets.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from ..client import KasmClient
from ..provider.context import ALL_USERS_GROUP_ID, KasmData
from ..provider.provider import KasmProvider
from ..provider.resources.cast_config import ALIASES as CAST_ALIASES
from ..tfplugin.resource import Resource, ResourceContext
from . import hcl

PROVIDER_SOURCE = "kasmtech/kasm"
#: Kasm's default accounts (present on every install).
BUILTIN_USERS = frozenset({"admin@kasm.local", "user@kasm.local"})
OFFICIAL_REGISTRY = "https://registry.kasmweb.com/"


@dataclass(frozen=True)
class Found:
    """One object as listed: what ``terraform import`` takes, its Kasm id (what references point at),
    the Kasm name its Terraform name comes from, and whether Kasm made it itself."""

    import_id: str
    ref_id: str
    label: str
    builtin: bool = False
    #: Names of objects this one hangs on (a membership's user), for the filters.
    usernames: tuple[str, ...] = ()
    #: A link's ends as (type, Kasm id, Kasm name): its name is made of theirs (their Terraform
    #: names when exported).
    ends: tuple[tuple[str, str, str], ...] = ()
    #: What follows the ends' names (a group setting's name).
    suffix: str = ""


@dataclass(frozen=True)
class Kind:
    type_name: str
    file: str
    list: Callable[[Listing], Iterable[Found]]
    #: attribute → the type whose ids it holds (a list attribute: each element).
    references: Mapping[str, str] = field(default_factory=dict)
    #: Attributes whose value cannot be read back: a sensitive variable each, and ignore_changes.
    secrets: tuple[str, ...] = ()
    #: Attributes never written (aliases of another attribute, attributes owned elsewhere).
    omit: frozenset[str] = frozenset()
    #: Attributes written with a fixed value.
    fixed: Mapping[str, Any] = field(default_factory=dict)
    #: Attributes in lifecycle ignore_changes (besides the secrets).
    ignore: tuple[str, ...] = ()
    #: The secrets' variables have no default (the resource cannot be configured without them).
    required_secrets: bool = False
    note: str = ""


class Listing:
    """The listings of one export, each made once (the links list per group from the groups), through
    the provider's read cache, so the resources' reads that follow are served from the same answers."""

    def __init__(self, data: KasmData) -> None:
        self.data = data
        self.client: KasmClient = data.client
        self._memo: dict[str, Any] = {}

    def once(self, name: str, load: Callable[[], Any]) -> Any:
        if name not in self._memo:
            self._memo[name] = load()
        return self._memo[name]

    def users(self) -> list[Any]:
        return self.once("users", lambda: sorted(self.data.users(), key=lambda u: u.username))

    def groups(self) -> list[Any]:
        return self.once("groups", lambda: sorted(self.data.groups(), key=lambda g: g.name))

    def images(self) -> list[Any]:
        return self.once("images", lambda: sorted(self.data.images(), key=lambda i: (i.name, i.image_id)))

    def zones(self) -> list[Any]:
        return self.once("zones", lambda: sorted(self.data.zones(), key=lambda z: z.zone_name))

    def by_id(self, type_name: str, kasm_id: str) -> Any:
        """The listed object of a type by its Kasm id, or None (one dict per type)."""
        listed, key = {
            "kasm_user": (self.users, "user_id"),
            "kasm_group": (self.groups, "group_id"),
            "kasm_image": (self.images, "image_id"),
            "kasm_zone": (self.zones, "zone_id"),
        }[type_name]
        index = self.once(f"{type_name} by id", lambda: {getattr(x, key): x for x in listed()})
        return index.get(kasm_id)

    def image_label(self, image_id: str) -> str:
        image = self.by_id("kasm_image", image_id)
        return image_label(image) if image is not None else image_id

    def zone_name(self, zone_id: str | None) -> str:
        zone = self.by_id("kasm_zone", zone_id or "")
        return str(zone.zone_name) if zone is not None else zone_id or "none"


def image_label(image: Any) -> str:
    return str(image.friendly_name or image.name)


def _users(ls: Listing) -> Iterator[Found]:
    for u in ls.users():
        yield Found(u.user_id, u.user_id, u.username, u.username in BUILTIN_USERS, (u.username,))


def _groups(ls: Listing) -> Iterator[Found]:
    for g in ls.groups():
        yield Found(g.group_id, g.group_id, g.name, g.is_system)


def _memberships(ls: Listing) -> Iterator[Found]:
    for g in ls.groups():
        # Kasm puts every user in All Users itself; those memberships are never written.
        if g.group_id == ALL_USERS_GROUP_ID:
            continue
        for m in sorted(ls.data.group_users(g.group_id) or (), key=lambda m: m.username):
            builtin = g.is_system and m.username in BUILTIN_USERS
            yield Found(
                f"{g.group_id}:{m.user_id}",
                "",
                f"{g.name}_{m.username}",
                builtin,
                (m.username,),
                (("kasm_group", g.group_id, g.name), ("kasm_user", m.user_id, m.username)),
            )


def _group_images(ls: Listing) -> Iterator[Found]:
    for g in ls.groups():
        for gi in sorted(ls.data.group_images(g.group_id) or (), key=lambda x: ls.image_label(x.image_id)):
            yield Found(
                f"{g.group_id}:{gi.image_id}",
                "",
                f"{g.name}_{ls.image_label(gi.image_id)}",
                ends=(
                    ("kasm_group", g.group_id, g.name),
                    ("kasm_image", gi.image_id, ls.image_label(gi.image_id)),
                ),
            )


def _group_settings(ls: Listing) -> Iterator[Found]:
    for g in ls.groups():
        for st in sorted(ls.data.group_settings(g.group_id) or (), key=lambda x: x.name):
            # All Users' settings are Kasm's defaults.
            yield Found(
                f"{g.group_id}:{st.name}",
                "",
                f"{g.name}_{st.name}",
                g.group_id == ALL_USERS_GROUP_ID,
                ends=(("kasm_group", g.group_id, g.name),),
                suffix=st.name,
            )


def _zones(ls: Listing) -> Iterator[Found]:
    for z in ls.zones():
        yield Found(z.zone_id, z.zone_id, z.zone_name, z.zone_name == "default")


def _images(ls: Listing) -> Iterator[Found]:
    for i in ls.images():
        # Kasm's own workspace images, as seeded on install or installed from its registry.
        yield Found(i.image_id, i.image_id, image_label(i), i.name.startswith("kasmweb/"))


def _registries(ls: Listing) -> Iterator[Found]:
    for r in sorted(ls.data.registries(), key=lambda r: r.registry_url):
        label = str(r.config.get("name") or r.registry_url)
        yield Found(r.registry_id, r.registry_id, label, r.registry_url == OFFICIAL_REGISTRY)


def _staging_configs(ls: Listing) -> Iterator[Found]:
    for c in sorted(ls.client.staging_configs.list(), key=lambda c: c.staging_config_id):
        yield Found(
            c.staging_config_id,
            c.staging_config_id,
            f"{ls.zone_name(c.zone_id)}_{ls.image_label(c.image_id)}",
        )


def _cast_configs(ls: Listing) -> Iterator[Found]:
    for c in sorted(ls.client.cast_configs.list(), key=lambda c: c.key):
        yield Found(c.cast_config_id, c.cast_config_id, c.casting_config_name or c.key)


def _licenses(ls: Listing) -> Iterator[Found]:
    for lic in sorted(ls.client.licenses.list(), key=lambda x: x.license_id):
        yield Found(lic.license_id, lic.license_id, lic.issued_to or "license")


#: Every type the export writes, in dependency order (a type refers only to types before it).
KINDS: tuple[Kind, ...] = (
    Kind("kasm_zone", "zones.tf", _zones),
    Kind("kasm_registry", "registries.tf", _registries),
    Kind(
        "kasm_image", "images.tf", _images, references={"zone_id": "kasm_zone"}, secrets=("docker_password",)
    ),
    Kind("kasm_group", "groups.tf", _groups),
    Kind(
        "kasm_user",
        "users.tf",
        _users,
        secrets=("password",),
        # Read from the user's groups, never configurable (kasm_group_image owns them).
        omit=frozenset({"authorized_images"}),
        # Memberships are kasm_group_membership resources (one owner per link, DESIGN.md): [] leaves
        # them alone, and ignore_changes keeps the groups an import reads from being planned away.
        fixed={"groups": []},
        ignore=("groups",),
    ),
    Kind(
        "kasm_group_membership",
        "group_memberships.tf",
        _memberships,
        references={"group_id": "kasm_group", "user_id": "kasm_user"},
    ),
    Kind(
        "kasm_group_image",
        "group_images.tf",
        _group_images,
        references={"group_id": "kasm_group", "image_id": "kasm_image"},
    ),
    Kind("kasm_group_setting", "group_settings.tf", _group_settings, references={"group_id": "kasm_group"}),
    Kind(
        "kasm_staging_config",
        "staging_configs.tf",
        _staging_configs,
        references={"zone_id": "kasm_zone", "image_id": "kasm_image"},
    ),
    Kind(
        "kasm_cast_config",
        "cast_configs.tf",
        _cast_configs,
        references={"image_id": "kasm_image", "group_id": "kasm_group"},
        omit=frozenset(CAST_ALIASES),
    ),
    Kind(
        "kasm_license",
        "licenses.tf",
        _licenses,
        secrets=("license_key",),
        # issued_to goes with activation_key only; a license is written with its key.
        omit=frozenset({"activation_key", "issued_to"}),
        # license_key or activation_key must be set even to import: the variable has no default.
        required_secrets=True,
    ),
)
KIND_BY_TYPE = {k.type_name: k for k in KINDS}
SUPPORT_FILES = ("terraform.tf", "data.tf", "variables.tf", "imports.tf", "imports.sh")
#: Every file an export may write.
OWN_FILES = (*(k.file for k in KINDS), *SUPPORT_FILES)
#: Resource types the export leaves out, and why.
NOT_EXPORTED: Mapping[str, str] = {
    "kasm_session": "a running session is not configuration: it ends, and a new one is a new container",
    "kasm_session_permission": "a grant on a running session, which is not exported either",
}


@dataclass
class Options:
    out: Path
    types: frozenset[str] = frozenset(KIND_BY_TYPE)
    include_builtin: bool = False
    exclude_users: re.Pattern[str] | None = None
    import_blocks: bool = True
    dry_run: bool = False


@dataclass
class Entry:
    kind: Kind
    found: Found
    name: str

    @property
    def address(self) -> str:
        return f"{self.kind.type_name}.{self.name}"


@dataclass
class Result:
    #: type → number of resources written.
    counts: dict[str, int]
    files: list[Path]


def select(listing: Listing, options: Options) -> list[Entry]:
    """The objects to export, each with its unique Terraform name (deterministic: listings sorted)."""
    entries: list[Entry] = []
    named: dict[tuple[str, str], str] = {}
    for kind in KINDS:
        if kind.type_name not in options.types:
            continue
        names = hcl.Names()
        for found in kind.list(listing):
            if found.builtin and not options.include_builtin:
                continue
            if options.exclude_users and any(options.exclude_users.search(u) for u in found.usernames):
                continue
            label = hcl.identifier(found.label, kind.type_name[5:])
            if found.ends:
                # A link is named after its ends: kasm_group_membership.ops_bob.
                parts = [named.get((t, i)) or hcl.identifier(n, t[5:]) for t, i, n in found.ends]
                label = "_".join([*parts, *([hcl.identifier(found.suffix)] if found.suffix else [])])
            entry = Entry(kind, found, names.take(label))
            entries.append(entry)
            if found.ref_id:
                named[(kind.type_name, found.ref_id)] = entry.name
    return entries


class Writer:
    """Turns states into blocks: references to exported objects, data lookups for the others."""

    def __init__(self, listing: Listing, entries: list[Entry]) -> None:
        self.listing = listing
        self.addresses = {(e.kind.type_name, e.found.ref_id): e.address for e in entries if e.found.ref_id}
        self.lookups: dict[str, hcl.Block] = {}
        self.variables: list[hcl.Block] = []
        #: expression → the Kasm id it stands for on the Kasm exported (for tests and reviews).
        self.resolved: dict[str, str] = {}
        self._lookup_names: dict[tuple[str, str], str] = {}
        self._data_names: dict[str, hcl.Names] = {}

    def _data(self, type_name: str, kasm_id: str, label: str, arguments: dict[str, Any]) -> hcl.Expr:
        """``data.<type>.<name>.id`` of one lookup per object (names unique per data type)."""
        key = (type_name, kasm_id)
        name = self._lookup_names.get(key)
        if name is None:
            names = self._data_names.setdefault(type_name, hcl.Names())
            name = self._lookup_names[key] = names.take(hcl.identifier(label, type_name[5:]))
            self.lookups[f"{type_name}.{name}"] = hcl.Block("data", [type_name, name], arguments)
        return hcl.Expr(f"data.{type_name}.{name}.id")

    def reference(self, type_name: str, kasm_id: Any) -> Any:
        if not isinstance(kasm_id, str):
            return kasm_id
        address = self.addresses.get((type_name, kasm_id))
        found = hcl.Expr(f"{address}.id") if address is not None else self.lookup(type_name, kasm_id)
        if isinstance(found, hcl.Expr):
            self.resolved[found.text] = kasm_id
        return found

    def lookup(self, type_name: str, kasm_id: str) -> Any:
        """An object left out of the export (built in, filtered): found by name on the Kasm the
        configuration is applied to, so it works on another Kasm too. Built-in groups have the same
        id on every Kasm, so their ids stay as they are."""
        if type_name == "kasm_image":
            image = self.listing.by_id("kasm_image", kasm_id)
            if image is not None:
                return self._data("kasm_image", kasm_id, image_label(image), {"name": image.name})
        if type_name == "kasm_user":
            user = self.listing.by_id("kasm_user", kasm_id)
            if user is not None:
                return self._data("kasm_user", kasm_id, user.username, {"username": user.username})
        if type_name == "kasm_group":
            group = self.listing.by_id("kasm_group", kasm_id)
            if group is not None and not group.is_system:
                return self._data("kasm_group", kasm_id, group.name, {"name": group.name})
        if type_name == "kasm_zone":
            zone = self.listing.by_id("kasm_zone", kasm_id)
            if zone is None:
                return kasm_id
            self.lookups.setdefault("kasm_zones.all", hcl.Block("data", ["kasm_zones", "all"], {}))
            return hcl.Expr(
                f"one([for z in data.kasm_zones.all.zones : z.id if z.name == {hcl.quote(zone.zone_name)}])"
            )
        return kasm_id

    def block(self, entry: Entry, resource: Resource, state: Mapping[str, Any]) -> hcl.Block:
        attributes, lifecycle = self.arguments(entry, resource, state)
        blocks = [hcl.Block("lifecycle", (), lifecycle)] if lifecycle else []
        return hcl.Block("resource", [entry.kind.type_name, entry.name], attributes, blocks)

    def arguments(
        self, entry: Entry, resource: Resource, state: Mapping[str, Any]
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """The resource's arguments and its lifecycle block's, from its imported state."""
        kind = entry.kind
        attributes: dict[str, Any] = {}
        ignore: list[str] = list(kind.ignore)
        for name, attr in resource.schema.attributes.items():
            if (
                name in kind.omit
                or attr.write_only
                or (attr.computed and not attr.optional and not attr.required)
            ):
                continue
            if name in kind.fixed:
                attributes[name] = kind.fixed[name]
                continue
            if name in kind.secrets:
                var = f"{kind.type_name[5:]}_{entry.name}_{name}"
                self.variables.append(
                    hcl.Block(
                        "variable",
                        [var],
                        {
                            "description": f"{name} of {entry.address} (Kasm never returns it)",
                            "type": hcl.Expr("string"),
                            "sensitive": True,
                            **({} if kind.required_secrets else {"default": None}),
                        },
                    )
                )
                attributes[name] = hcl.Expr(f"var.{var}")
                ignore.append(name)
                continue
            v = state.get(name)
            if v is None:
                continue
            target = kind.references.get(name)
            if target is not None:
                v = (
                    [self.reference(target, x) for x in v]
                    if isinstance(v, (list, tuple))
                    else self.reference(target, v)
                )
            attributes[name] = v
        lifecycle: dict[str, Any] = {}
        if entry.found.builtin:
            # Kasm made it; the configuration adopts it and must never delete it.
            lifecycle["prevent_destroy"] = True
        if ignore:
            lifecycle["ignore_changes"] = hcl.Expr("[" + ", ".join(ignore) + "]")
        return attributes, lifecycle


def read_state(resource: Resource, data: KasmData, import_id: str) -> dict[str, Any] | None:
    """What ``terraform import`` puts in the state: ImportResourceState, then ReadResource."""
    ctx = ResourceContext(type_name=resource.type_name, provider_data=data)
    state: dict[str, Any] = resource.schema.empty_value()
    state.update(resource.import_state(ctx, import_id))
    new = resource.read(ctx, state)
    if new is None:
        return None
    return {**state, **new}


def run(data: KasmData, options: Options, progress: TextIO | None = sys.stderr) -> Result:
    listing = Listing(data)
    entries = select(listing, options)
    counts = {k.type_name: 0 for k in KINDS if k.type_name in options.types}
    for e in entries:
        counts[e.kind.type_name] += 1
    if options.dry_run:
        return Result(counts, [])
    resources = {cls.type_name: cls() for cls in KasmProvider.resources}
    writer = Writer(listing, entries)
    out = options.out
    out.mkdir(parents=True, exist_ok=True)
    # A previous export's files (a type now empty, imports.tf before --no-import-blocks) would be
    # read with the new ones; only the export's own file names are removed.
    for name in OWN_FILES:
        (out / name).unlink(missing_ok=True)
    files: list[Path] = []
    written = {t: 0 for t in counts}
    handles: dict[str, TextIO] = {}
    imports: list[tuple[Entry, str]] = []
    try:
        for i, entry in enumerate(entries, 1):
            resource = resources[entry.kind.type_name]
            state = read_state(resource, data, entry.found.import_id)
            if state is None:  # gone between the listing and the read
                continue
            handle = handles.get(entry.kind.file)
            if handle is None:
                path = out / entry.kind.file
                handle = handles[entry.kind.file] = path.open("w", encoding="utf-8")
                files.append(path)
            else:
                handle.write("\n")
            handle.write(writer.block(entry, resource, state).render())
            imports.append((entry, entry.found.import_id))
            written[entry.kind.type_name] += 1
            if progress is not None and (i % 500 == 0 or i == len(entries)):
                progress.write(f"export: {i}/{len(entries)} objects read\n")
    finally:
        for handle in handles.values():
            handle.close()
    files += _write_support(out, writer, imports, options)
    return Result(written, files)


def _write_support(
    out: Path, writer: Writer, imports: list[tuple[Entry, str]], options: Options
) -> list[Path]:
    files = []

    def write(name: str, text: str) -> None:
        path = out / name
        path.write_text(text, encoding="utf-8")
        files.append(path)

    terraform = hcl.Block(
        "terraform",
        (),
        blocks=[hcl.Block("required_providers", (), {"kasm": {"source": PROVIDER_SOURCE}})],
    )
    write(
        "terraform.tf",
        hcl.document(
            [terraform],
            header="Written by `terraform-provider-kasm export`. The provider reads KASM_BASE_URL,\n"
            "KASM_API_KEY and KASM_API_SECRET from the environment.",
        ),
    )
    if writer.lookups:
        write(
            "data.tf",
            hcl.document(
                [writer.lookups[k] for k in sorted(writer.lookups)],
                header="Objects the export left out (built in or filtered), found by name.",
            ),
        )
    if writer.variables:
        write(
            "variables.tf",
            hcl.document(
                writer.variables,
                header="Secrets Kasm never returns. Unset (null) is fine for importing; give them\n"
                "(-var or a .tfvars file) to create the objects on another Kasm. ignore_changes keeps a\n"
                "value given here from being applied to the objects imported.",
            ),
        )
    if options.import_blocks and imports:
        write(
            "imports.tf",
            hcl.document(
                (hcl.Block("import", (), {"to": hcl.Expr(e.address), "id": i}) for e, i in imports),
                header="Terraform >= 1.5 imports these on the next apply. Delete this file to create the\n"
                "objects on another, empty Kasm instead (ids are those of the Kasm exported).",
            ),
        )
    lines = [
        "#!/bin/sh",
        "# For Terraform < 1.5 (no import blocks): run once after `terraform init`.",
        "set -e",
        *(f"terraform import {_sh(e.address)} {_sh(i)}" for e, i in imports),
    ]
    write("imports.sh", "\n".join(lines) + "\n")
    (out / "imports.sh").chmod(0o755)
    return files


def _sh(text: str) -> str:
    return text if re.fullmatch(r"[A-Za-z0-9_.:/@=-]+", text) else "'" + text.replace("'", "'\\''") + "'"
