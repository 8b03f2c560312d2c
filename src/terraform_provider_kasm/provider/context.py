"""What ``KasmProvider.configure`` hands every resource and data source as ``ctx.provider_data``.

:class:`KasmData` holds the shared :class:`~terraform_provider_kasm.client.KasmClient` and
:class:`ReadCache`, a per-provider-process cache of Kasm's list calls. Kasm has no get-by-id for
images or groups, so without the cache a refresh of N group images would list every image N times.
With it, a refresh costs at most one list call per type plus one call per group (or user), however
many resources read the same data; Terraform runs up to 10 RPCs at once on threads, and concurrent
readers of the same key wait for the one call in flight. Every write invalidates the whole cache
(``with data.writing(): ...``), so nothing read before a change is served after it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from typing import Any, TypeVar

from ..client import KasmClient
from ..client import errors as kerr
from ..client.models import Group, GroupImage, GroupMember, GroupSetting, Image, Registry, Session, User, Zone
from ..tfplugin.diagnostics import DiagnosticError
from ..tfplugin.resource import ResourceContext

T = TypeVar("T")

#: Kasm's built-in default group; every user is put in it by Kasm itself.
ALL_USERS_GROUP_ID = "68d557ac4cac42cca9f31c7c853de0f3"


class _Flight:
    """One load of one key: the first caller runs it, later callers wait for its outcome."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.value: Any = None
        self.error: BaseException | None = None


class ReadCache:
    """Single-flight, thread-safe memo of read calls, dropped as a whole by :meth:`invalidate`.

    ``get(key, loader)`` returns the cached value of ``key``, or runs ``loader()`` once while
    concurrent callers of the same key wait for it. A loader that raises caches nothing (the next
    caller tries again) and its exception is raised in every waiting caller. Values should be
    immutable (tuples, frozen models): they are shared between threads.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._values: dict[Hashable, Any] = {}
        self._flights: dict[Hashable, _Flight] = {}
        # Bumped by invalidate(): a load that started before a write never stores its result.
        self._generation = 0

    def get(self, key: Hashable, loader: Callable[[], T]) -> T:
        with self._lock:
            if key in self._values:
                value: T = self._values[key]
                return value
            flight = self._flights.get(key)
            owner = flight is None
            if flight is None:
                flight = self._flights[key] = _Flight()
            generation = self._generation
        if not owner:
            flight.done.wait()
            if flight.error is not None:
                raise flight.error
            result: T = flight.value
            return result
        try:
            flight.value = loader()
        except BaseException as e:
            flight.error = e
            raise
        finally:
            with self._lock:
                if self._flights.get(key) is flight:
                    del self._flights[key]
                if flight.error is None and generation == self._generation:
                    self._values[key] = flight.value
            flight.done.set()
        loaded: T = flight.value
        return loaded

    def invalidate(self) -> None:
        """Forget everything (called after every write)."""
        with self._lock:
            self._generation += 1
            self._values.clear()
            # Callers already waiting keep their flight; new callers start a fresh load.
            self._flights.clear()


@dataclass
class KasmData:
    """The provider data: the client, the read cache and the cached reads shared by resources.

    The ``images``/``groups``/``group_images``/``group_users`` helpers go through the cache; a
    resource that needs another read can use ``reads.get((<call name>, <id>), loader)`` the same way.
    Wrap every write in ``with data.writing():``.
    """

    client: KasmClient
    reads: ReadCache = field(default_factory=ReadCache)
    #: The provider's ``adopt_existing``: a create may take over an existing object whose every
    #: configured field matches (recovery after an interrupted apply); off by default.
    adopt_existing: bool = False

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Invalidate the read cache after a write, also after a failed one (it may have half-applied)."""
        try:
            yield
        finally:
            self.reads.invalidate()

    def read_or_gone(self, key: tuple[str, ...], fetch: Callable[[], T]) -> T | None:
        """One object read once per provider process and write (cached under ``key``); None when
        Kasm no longer has it (``NotFound``), so read can drop it from the state."""

        def fetch_or_none() -> T | None:
            try:
                return fetch()
            except kerr.NotFound:
                return None

        return self.reads.get(key, fetch_or_none)

    def remove(self, delete: Callable[[], object]) -> None:
        """Run a delete call as a write; an object already gone (``NotFound``) counts as removed."""
        with self.writing(), suppress(kerr.NotFound):
            delete()

    def images(self) -> tuple[Image, ...]:
        """Every image (one ``get_images`` per provider process and write)."""
        return self.reads.get(("get_images",), lambda: tuple(self.client.images.list()))

    def image(self, image_id: str) -> Image | None:
        return next((i for i in self.images() if i.image_id == image_id), None)

    def groups(self) -> tuple[Group, ...]:
        """Every group the key may see (one ``get_groups``)."""
        return self.reads.get(("get_groups",), lambda: tuple(self.client.groups.list()))

    def group(self, group_id: str) -> Group | None:
        return next((g for g in self.groups() if g.group_id == group_id), None)

    def zones(self) -> tuple[Zone, ...]:
        """Every deployment zone, with its servers (one ``get_zones``, shared by ``kasm_zone`` and
        both forms of ``data.kasm_zones``)."""
        return self.reads.get(("get_zones",), lambda: tuple(self.client.zones.list(brief=False)))

    def zone(self, zone_id: str) -> Zone | None:
        return next((z for z in self.zones() if z.zone_id == zone_id), None)

    def registries(self) -> tuple[Registry, ...]:
        """Every installed workspace registry (one ``get_registries``)."""
        return self.reads.get(("get_registries",), lambda: tuple(self.client.registries.list()))

    def registry(self, registry_id: str) -> Registry | None:
        return next((r for r in self.registries() if r.registry_id == registry_id), None)

    def group_images(self, group_id: str) -> tuple[GroupImage, ...] | None:
        """The images the group may launch (one ``get_images_group`` per group); None when the
        group does not exist."""
        return self.reads.get(
            ("get_images_group", group_id), lambda: _or_none(self.client.groups.images, group_id)
        )

    def group_users(self, group_id: str) -> tuple[GroupMember, ...] | None:
        """The group's members (``get_users_group``, all pages, once per group); None when the
        group does not exist."""
        return self.reads.get(
            ("get_users_group", group_id), lambda: _or_none(self.client.groups.users, group_id)
        )

    def sessions(self) -> tuple[Session, ...]:
        """Every session of every user, in any state (one ``get_kasms``; never ``get_kasm_status``,
        which mints a session token)."""
        return self.reads.get(("get_kasms",), lambda: tuple(self.client.sessions.list()))

    def users(self) -> tuple[User, ...]:
        """Every user, all pages (one paged ``get_users`` per provider process and write)."""
        return self.reads.get(("get_users",), lambda: tuple(self.client.users.list()))

    def settings_catalogue(self) -> tuple[GroupSetting, ...]:
        """Kasm's default group settings, the catalogue of setting names (one ``get_settings_group``
        without a group)."""
        return self.reads.get(("get_settings_group", None), lambda: tuple(self.client.groups.settings()))

    def group_settings(self, group_id: str) -> tuple[GroupSetting, ...] | None:
        """The group's own settings (one ``get_settings_group`` per group); None when the group does
        not exist."""
        return self.reads.get(
            ("get_settings_group", group_id), lambda: _or_none(self.client.groups.settings, group_id)
        )


def _or_none(fn: Callable[[str], list[T]], arg: str) -> tuple[T, ...] | None:
    try:
        return tuple(fn(arg))
    except kerr.NotFound:
        return None


@dataclass(frozen=True)
class Unconfigured:
    """Provider data when configure could not build a client yet (e.g. ``base_url`` comes from a
    resource that does not exist before apply). Using it raises an error that says why."""

    reason: str
    attribute: str


def kasm(ctx: ResourceContext) -> KasmData:
    """The provider data of a resource or data source call, or a clear error if there is none."""
    data = ctx.provider_data
    if isinstance(data, KasmData):
        return data
    if isinstance(data, Unconfigured):
        # No attribute path: the problem is in the provider block, not in this resource.
        raise DiagnosticError("Provider not configured", data.reason)
    raise DiagnosticError(
        "Provider not configured",
        f"{ctx.type_name} needs a configured kasm provider; Terraform did not configure it.",
    )
