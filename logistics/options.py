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
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Callable, Iterable

from django.conf import settings
from django.core.cache import cache
from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

Choices = list[tuple[Any, str]]
Builder = Callable[[int], Choices]


@dataclass(frozen=True)
class OptionList:
    name: str
    build: Builder


_lists: dict[str, OptionList] = {}
_dependents: dict[type[models.Model], set[str]] = {}
_kept: set[str] = set()  # the keys this process has set (forget_all)


def _key(name: str, school_id: int) -> str:
    return f"options:{name}:{school_id}"


def option_list(name: str, *, depends_on: Iterable[type[models.Model]]) -> Callable[[Builder], Builder]:
    """Register `build(school_id) -> [(value, label), ...]` as the list `name`, forgotten whenever
    one of `depends_on` is saved or deleted in that school."""

    def register(build: Builder) -> Builder:
        _lists[name] = OptionList(name, build)
        for model in depends_on:
            if model not in _dependents:
                _dependents[model] = set()
                post_save.connect(_changed, sender=model, dispatch_uid=f"options:{model._meta.label}:save")
                post_delete.connect(_changed, sender=model, dispatch_uid=f"options:{model._meta.label}:delete")
            _dependents[model].add(name)
        return build

    return register


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
        _kept.add(key)
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
    forget(_dependents.get(sender, ()), _school_ids(instance))


def _roles_changed(sender: Any, instance: models.Model, action: str, reverse: bool, pk_set: set[int] | None, **kwargs: Any) -> None:
    """A role granted or taken away changes the lists of people with that role (repairers…)."""
    from logistics.models import Membership

    if not action.startswith("post_"):
        return
    if reverse:  # group.memberships.add(...): pk_set holds membership ids
        school_ids = Membership.objects.filter(pk__in=pk_set or ()).values_list("school_id", flat=True)
    else:
        school_ids = [instance.school_id]
    forget(_dependents.get(Membership, ()), set(school_ids))


def connect_role_changes() -> None:
    from logistics.models import Membership

    m2m_changed.connect(_roles_changed, sender=Membership.roles.through, dispatch_uid="options:membership-roles")
