"""A list filter's choices (categories, buildings, repairers…), read once per school and kept in the
cache until a record they come from changes.

Each list says what it is built from; saving or deleting one of those records in a school forgets
that school's list at once (in every process: the cache is Redis where Redis is configured), and a
list is read again after LIST_OPTIONS_CACHE_SECONDS in any case. Without the cache (Redis out of
reach, or the setting at 0) the list is read from the database, as before.

    @option_list("repairs.category", depends_on=[Category])
    def categories(school_id):
        return list(Category.objects.filter(school_id=school_id).values_list("pk", "name"))

    options("repairs.category", school)   # [(pk, name), ...]

A person's count shown in the navigation (approvals waiting…) is kept the same way, per person:
a change to what it counts in a school moves that school's generation on, so every person's
count there is read again on their next page.

    @person_count("procurement.awaiting", depends_on=[Requisition, Delegation, Membership])
    def awaiting(user, school): ...
    count_for("procurement.awaiting", request.user, request.school)

Anything else read on every page is kept the same way under a generation of its own: what a person
may do (logistics.permissions.ACCESS: memberships, roles, permissions), a canteen's day page
(canteen.selectors.DAY_PAGE, per school). `watch` moves a generation on when its records change;
`move_on` does it by hand after an update() or bulk_create(), which send no signal.

    watch("canteen.day", [Sample, MorningCheck, ...], per_school=True)
    kept(f"canteen.day:{school.pk}", f"{canteen.pk}:{day}:...", draw)
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Callable, Iterable, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

Choices = list[tuple[Any, str]]
T = TypeVar("T")
Builder = Callable[[int], Choices]


@dataclass(frozen=True)
class OptionList:
    name: str
    build: Builder


_lists: dict[str, OptionList] = {}
_dependents: dict[type[models.Model], set[str]] = {}
_kept: set[str] = set()  # the keys this process has set (forget_all)
_counts: dict[str, Callable[[Any, Any], int]] = {}
_count_dependents: dict[type[models.Model], set[str]] = {}


def _key(name: str, school_id: int) -> str:
    return f"options:{name}:{school_id}"


def option_list(name: str, *, depends_on: Iterable[type[models.Model]]) -> Callable[[Builder], Builder]:
    """Register `build(school_id) -> [(value, label), ...]` as the list `name`, forgotten whenever
    one of `depends_on` is saved or deleted in that school."""

    def register(build: Builder) -> Builder:
        _lists[name] = OptionList(name, build)
        for model in depends_on:
            _connect(model)
            _dependents.setdefault(model, set()).add(name)
        return build

    return register


def _connect(model: type[models.Model]) -> None:
    post_save.connect(_changed, sender=model, dispatch_uid=f"options:{model._meta.label}:save")
    post_delete.connect(_changed, sender=model, dispatch_uid=f"options:{model._meta.label}:delete")


def person_count(name: str, *, depends_on: Iterable[type[models.Model]]) -> Callable[[Callable[[Any, Any], int]], Callable[[Any, Any], int]]:
    """Register `count(user, school) -> int` as `name`, read again by everyone in a school whenever
    one of `depends_on` is saved or deleted there."""

    def register(count: Callable[[Any, Any], int]) -> Callable[[Any, Any], int]:
        _counts[name] = count
        for model in depends_on:
            _connect(model)
            _count_dependents.setdefault(model, set()).add(name)
        return count

    return register


def count_for(name: str, user: Any, school: Any) -> int:
    """The count `name` for this person in `school`: from the cache when its school's generation has
    not moved since it was kept, else counted and kept."""
    count = _counts[name]
    return kept(f"count:{name}:{school.pk}", str(user.pk), lambda: count(user, school))


def counts_changed(names: Iterable[str], school_ids: Iterable[int]) -> None:
    """A change the signals do not see (a bulk create or update) to what counts `names` count."""
    _drop((), names, school_ids)


def _move_on(names: Iterable[str], school_ids: Iterable[int]) -> None:
    for name in names:
        for school_id in school_ids:
            if school_id:
                move_on(f"count:{name}:{school_id}")


# --- A value kept until one of its records changes --------------------------------------------------

def kept(generation: str, key: str, build: Callable[[], T], *, fresh: Callable[[T], bool] | None = None) -> T:
    """`build()`, kept under `key` until `generation` moves on (`move_on`, or `watch` on the records it
    is read from) and at most LIST_OPTIONS_CACHE_SECONDS; built every time without the cache. A value
    that also goes out of date with time says so with `fresh(value)` (built again when False)."""
    seconds = settings.LIST_OPTIONS_CACHE_SECONDS
    if seconds <= 0:
        return build()
    # The value is kept with the generation it was built in, and both are read in one round trip.
    full = f"kept:{generation}:{key}"
    try:
        found = cache.get_many([_generation(generation), full])
    except RedisError:
        logger.warning("kept: the cache is out of reach; building %s from the database", generation)
        return build()
    current = found.get(_generation(generation), 0)
    if full in found and found[full][0] == current and (fresh is None or fresh(found[full][1])):
        return found[full][1]
    value = build()
    try:
        cache.set(full, (current, value), seconds)
        _note(full)
    except RedisError:
        pass
    return value


def _generation(generation: str) -> str:
    return f"generation:{generation}"


def move_on(generation: str) -> None:
    """Everything kept under `generation` is read again on its next use, in every process."""
    key = _generation(generation)
    try:
        try:
            cache.incr(key)
        except ValueError:  # not kept yet
            cache.set(key, 1, None)
        _note(key)
    except RedisError:
        logger.warning("kept: the cache is out of reach; %s not moved on", generation)


def watch(generation: str, models_: Iterable[type[models.Model]] = (), m2m: Iterable[Any] = (), *, per_school: bool = False) -> None:
    """Move `generation` on whenever one of `models_` is saved or deleted or one of the `m2m` relations
    changes: now, and again once the change commits (a page read in between kept the old value).
    With `per_school`, the generation of the record's school only: "<generation>:<school id>"."""

    def changed(instance: models.Model, **kwargs: Any) -> None:
        if not kwargs.get("action", "post_").startswith("post_"):
            return
        names = [f"{generation}:{school_id}" for school_id in _school_ids(instance) if school_id] if per_school else [generation]

        def go() -> None:
            for name in names:
                move_on(name)

        go()
        transaction.on_commit(go)

    for model in models_:
        post_save.connect(changed, sender=model, weak=False, dispatch_uid=f"kept:{generation}:{model._meta.label}:save")
        post_delete.connect(changed, sender=model, weak=False, dispatch_uid=f"kept:{generation}:{model._meta.label}:delete")
    for through in m2m:
        m2m_changed.connect(changed, sender=through, weak=False, dispatch_uid=f"kept:{generation}:{through._meta.label}")


def _note(key: str) -> None:
    """Remember a key for `forget_all` (the tests, after each test); a long-running process stops noting."""
    if len(_kept) < 10_000:
        _kept.add(key)


def options(name: str, school: Any) -> Choices:
    """The list `name` for `school`: from the cache when it holds it, else built and kept."""
    option = _lists[name]
    seconds = settings.LIST_OPTIONS_CACHE_SECONDS
    if seconds <= 0:
        return option.build(school.pk)
    key = _key(name, school.pk)
    try:
        kept = cache.get(key)
    except RedisError:
        logger.warning("list options: the cache is out of reach; reading %s from the database", name)
        return option.build(school.pk)
    if kept is not None:
        return kept
    built = option.build(school.pk)
    try:
        cache.set(key, built, seconds)
        _note(key)
    except RedisError:
        logger.warning("list options: the cache is out of reach; %s not kept", name)
    return built


def forget(names: Iterable[str], school_ids: Iterable[int]) -> None:
    keys = [_key(name, school_id) for name in names for school_id in school_ids if school_id]
    if not keys:
        return
    try:
        cache.delete_many(keys)
    except RedisError:
        # Without the cache nothing was kept either; a list kept before the outage lives out its TTL.
        logger.warning("list options: the cache is out of reach; %d lists not forgotten", len(keys))


def forget_all() -> None:
    """Forget every list this process kept (the tests run it after each test: a rolled-back school's
    id is given again to the next school)."""
    keys = list(_kept)
    _kept.clear()
    if keys:
        try:
            cache.delete_many(keys)
        except RedisError:
            pass


def _school_ids(instance: models.Model) -> list[int]:
    from logistics.models import Membership, User
    from logistics.workflow import school_id_of

    if isinstance(instance, User):  # a name shown in the lists of every school the person belongs to
        return list(Membership.objects.filter(user_id=instance.pk).values_list("school_id", flat=True))
    try:
        return [school_id_of(instance)]
    except models.ObjectDoesNotExist:  # deleted together with its parent
        return []


def _changed(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if sender.__name__ == "User" and kwargs.get("update_fields") == frozenset({"last_login"}):
        return  # a login changes no list
    if sender not in _dependents and sender not in _count_dependents:
        return
    school_ids = _school_ids(instance)
    _drop(_dependents.get(sender, ()), _count_dependents.get(sender, ()), school_ids)


def _drop(lists: Iterable[str], counts: Iterable[str], school_ids: Iterable[int]) -> None:
    """Forget now, and again once the change commits: a page read in between (its transaction did not
    yet see the change) may have kept the old figures."""
    lists, counts, school_ids = list(lists), list(counts), list(school_ids)

    def drop() -> None:
        forget(lists, school_ids)
        _move_on(counts, school_ids)

    drop()
    transaction.on_commit(drop)


def _roles_changed(sender: Any, instance: models.Model, action: str, reverse: bool, pk_set: set[int] | None, **kwargs: Any) -> None:
    """A role granted or taken away changes the lists of people with that role (repairers…)."""
    from logistics.models import Membership

    if not action.startswith("post_"):
        return
    if reverse:  # group.memberships.add(...): pk_set holds membership ids
        school_ids = Membership.objects.filter(pk__in=pk_set or ()).values_list("school_id", flat=True)
    else:
        school_ids = [instance.school_id]
    _drop(_dependents.get(Membership, ()), _count_dependents.get(Membership, ()), set(school_ids))


def connect_role_changes() -> None:
    from logistics.models import Membership

    m2m_changed.connect(_roles_changed, sender=Membership.roles.through, dispatch_uid="options:membership-roles")
