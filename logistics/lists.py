"""What every list screen shares: keyset pagination, the `per_page` and `page` parameters, and the
safe `next` redirect.

Keyset pagination: a list is ordered by a few keys ending in the primary key (say `-submitted_at`,
`-id`). "Next" seeks past the last row (`?before=<cursor>`), "previous" before the first
(`?after=<cursor>`): the database walks the index from the cursor, so page 1,000 costs what page 1
costs. `?page=N` (a deep jump) selects the page's ids by OFFSET in a sub-select, then joins the rows.
The total is counted up to a cap, never over the whole filtered set on every page. A cursor that
cannot be read (tampered, out of range) is treated as no cursor: the first page, never a 500.

    page = keyset_page(qs, request.GET, ordering=("-submitted_at", "-id"), related=("room",))
    {% include "includes/keyset_pagination.html" %}
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Mapping

from django.db import models
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.http import url_has_allowed_host_and_scheme

PER_PAGE = 50
MAX_PER_PAGE = 200
COUNT_CAP = 1000
MAX_PAGE = 10_000
_BIGINT = 2**63 - 1


def safe_next(request: HttpRequest, target: str | None) -> str | None:
    """`target` if it is a path or URL of this site (no open redirect), else None."""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return None


def int_param(value: Any, default: int, *, low: int = 1, high: int = 1_000_000) -> int:
    """A whole number from a query parameter, clamped to [low, high]; anything else is `default`."""
    try:
        return min(max(int(str(value)[:12]), low), high)
    except (TypeError, ValueError):
        return default


@dataclass
class KeysetPage:
    object_list: list[Any]
    per_page: int
    number: int
    has_next: bool
    has_previous: bool
    count: int
    count_capped: bool
    next_cursor: str = ""
    previous_cursor: str = ""

    def __iter__(self) -> Any:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)


@dataclass(frozen=True)
class _Key:
    name: str
    descending: bool

    @classmethod
    def of(cls, spec: str) -> _Key:
        return cls(spec.lstrip("-"), spec.startswith("-"))

    def order(self, reverse: bool = False) -> str:
        return f"{'-' if self.descending != reverse else ''}{self.name}"


def _field_type(qs: QuerySet, name: str) -> Any:
    if name in qs.query.annotations:
        return qs.query.annotations[name].output_field
    return qs.model._meta.pk if name in ("pk", "id") else qs.model._meta.get_field(name)


def _encode(value: Any) -> str:
    return value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else str(value)


def _decode(field: Any, raw: str) -> Any:
    """The cursor part as the key's Python type, or ValueError for anything out of range."""
    if isinstance(field, models.DateTimeField):
        value = parse_datetime(raw)
        if value is None or value.tzinfo is None:
            raise ValueError(raw)
        value.astimezone(dt.timezone.utc)  # OverflowError near year 1 or 9999
        return value
    if isinstance(field, models.DateField):
        value = parse_date(raw)
        if value is None:
            raise ValueError(raw)
        return value
    if isinstance(field, (models.IntegerField, models.AutoField, models.BigAutoField)):
        value = int(raw)
        if abs(value) > _BIGINT:
            raise ValueError(raw)
        return value
    return raw


def _parse_cursor(qs: QuerySet, keys: list[_Key], cursor: str) -> list[Any] | None:
    parts = (cursor or "").replace(" ", "+").split(",")
    if not cursor or len(parts) != len(keys):
        return None
    try:
        return [_decode(_field_type(qs, k.name), raw) for k, raw in zip(keys, parts)]
    except (ValueError, TypeError, OverflowError):
        return None


def _seek(keys: list[_Key], values: list[Any], *, backwards: bool) -> Q:
    """Rows strictly after `values` in the list's order (before them when `backwards`)."""
    def beyond(key: _Key) -> str:
        return "lt" if key.descending != backwards else "gt"

    condition = Q()
    for i, key in enumerate(keys):
        equal = {k.name: v for k, v in zip(keys[:i], values[:i])}
        condition |= Q(**equal, **{f"{key.name}__{beyond(key)}": values[i]})
    # The first key, inclusive, bounds the index range; the OR only breaks ties within it.
    first = keys[0]
    return Q(**{f"{first.name}__{beyond(first)}e": values[0]}) & condition


def cursor_of(row: Any, keys: list[_Key]) -> str:
    return ",".join(_encode(getattr(row, k.name)) for k in keys)


def keyset_page(
    qs: QuerySet, params: Mapping[str, Any], *, ordering: tuple[str, ...], related: tuple[str, ...] = (), per_page: int | None = None
) -> KeysetPage:
    """One page of `qs` in `ordering` (which must end in the primary key), from the request's
    `before`/`after` cursors, `page` (deep jump), `p` (the page number shown) and `per_page`."""
    keys = [_Key.of(spec) for spec in ordering]
    per_page = per_page or int_param(params.get("per_page"), PER_PAGE, high=MAX_PER_PAGE)
    number = int_param(params.get("p"), 1, high=MAX_PAGE * 10)
    ordered = qs.order_by(*(k.order() for k in keys))
    if (after := _parse_cursor(qs, keys, params.get("after", ""))) is not None:
        rows = list(
            qs.filter(_seek(keys, after, backwards=True)).select_related(*related).order_by(*(k.order(reverse=True) for k in keys))[: per_page + 1]
        )
        has_previous, has_next = len(rows) > per_page, True
        rows = list(reversed(rows[:per_page]))
    else:
        if (before := _parse_cursor(qs, keys, params.get("before", ""))) is not None:
            window, has_previous = ordered.filter(_seek(keys, before, backwards=False)), True
        elif (page := int_param(params.get("page"), 1, high=MAX_PAGE)) > 1:
            offset = (page - 1) * per_page
            ids = ordered.values("pk")[offset : offset + per_page + 1]
            # Without annotations the outer query need not repeat the filters: the ids are enough.
            outer = qs if qs.query.annotations else qs.model._default_manager.all()
            window, number, has_previous = outer.filter(pk__in=ids).order_by(*(k.order() for k in keys)), page, True
        else:
            window, number, has_previous = ordered, 1, False
        rows = list(window.select_related(*related)[: per_page + 1])
        has_next = len(rows) > per_page
        rows = rows[:per_page]
    count = qs.order_by().values("pk")[: COUNT_CAP + 1].count()
    return KeysetPage(
        object_list=rows,
        per_page=per_page,
        number=number,
        has_next=has_next and bool(rows),
        has_previous=has_previous and bool(rows),
        count=min(count, COUNT_CAP),
        count_capped=count > COUNT_CAP,
        next_cursor=cursor_of(rows[-1], keys) if rows else "",
        previous_cursor=cursor_of(rows[0], keys) if rows else "",
    )
