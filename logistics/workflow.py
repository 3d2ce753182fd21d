"""The one way a record changes state, in every app: lock the row, check, change, save, audit.

    @transaction.atomic
    def ticket_close(*, ticket: Ticket, by: User) -> Ticket:
        ticket = lock(ticket)
        refuse_unless(rules.close(ticket, by))
        return transition(ticket, "close", by=by, at=timezone.now())

`transition()` applies a django-fsm transition method of the model, saves only the fields it changed
and writes the audit entry with the from and to states it saw itself. The audit action is
`<app_label>.<model_name>.<verb>`, the verb taken from the transition's `custom={"verb": ...}` (or
its method name). `record_change()` does the same for a change that is not a state transition
(urgency, a note, a material line).

Any refusal is a `WorkflowError` whose text is a translated message for the person who tried.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models, transaction
from django.utils.translation import gettext as _
from django_fsm import FSMFieldMixin, can_proceed

from logistics import audit

M = TypeVar("M", bound=models.Model)
_LOCKED = "_workflow_locked"


class WorkflowError(Exception):
    """A refused change; `str(e)` is a translated message for the person who tried it."""


def refuse_unless(refusal: str | None) -> None:
    """Rules answer None (allowed) or the reason they refuse; services pass the answer here."""
    if refusal:
        raise WorkflowError(refusal)


def lock(obj: M, *, related: tuple[str, ...] = ()) -> M:
    """Lock `obj`'s row until the transaction ends, then read it afresh (with `related` joined).

    Two statements on purpose: after waiting for a lock, PostgreSQL re-checks the locked row but not
    rows outer-joined to it, so a joined foreign key could come back empty although its id is set.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("lock() must run inside transaction.atomic()")
    manager = type(obj)._default_manager
    manager.select_for_update().filter(pk=obj.pk).values_list("pk", flat=True).get()
    fresh = manager.select_related(*related).get(pk=obj.pk) if related else manager.get(pk=obj.pk)
    setattr(fresh, _LOCKED, True)
    return fresh


def state_field(obj: models.Model) -> models.Field:
    return next(f for f in obj._meta.concrete_fields if isinstance(f, FSMFieldMixin))


def state_refused(obj: models.Model) -> WorkflowError:
    field = state_field(obj)
    return WorkflowError(
        _("%(record)s is “%(status)s”; that step is not possible now.")
        % {"record": obj, "status": getattr(obj, f"get_{field.name}_display")()}
    )


def school_id_of(obj: models.Model) -> int:
    """Follow the model's SCHOOL_FIELD ("school", "ticket__school", …) to the school's id."""
    *path, last = obj.SCHOOL_FIELD.split("__")
    for name in path:
        obj = getattr(obj, name)
    return getattr(obj, f"{last}_id")


def _values(obj: models.Model) -> dict[str, Any]:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields if not f.primary_key}


def _save_changes(obj: models.Model, before: dict[str, Any]) -> None:
    changed = [name for name, value in _values(obj).items() if value != before[name]]
    auto_now = [f.attname for f in obj._meta.concrete_fields if getattr(f, "auto_now", False)]
    if changed:
        obj.save(update_fields=sorted({*changed, *auto_now}))


def _action(obj: models.Model, verb: str) -> str:
    return f"{obj._meta.app_label}.{obj._meta.model_name}.{verb}"


def transition(
    obj: M, name: str, *, by: Any, note: str = "", data: dict | None = None, refused: WorkflowError | None = None, **kwargs: Any
) -> M:
    """Apply the django-fsm transition `name` with `kwargs`, save what changed, write the audit entry.

    `obj` should come from `lock()` (the caller checks its rules on the locked row first); an
    unlocked object is locked and read afresh here. Refused (`can_proceed` is False): `refused` or
    the generic "not possible now" error, and nothing changes.
    """
    if not getattr(obj, _LOCKED, False):
        obj = lock(obj)
    method = getattr(obj, name)
    if not can_proceed(method):
        raise refused or state_refused(obj)
    field = state_field(obj)
    before = _values(obj)
    method(**kwargs)
    _save_changes(obj, before)
    verb = (method._django_fsm.get_transition(before[field.attname]).custom or {}).get("verb", name)
    audit.record(
        obj, _action(obj, verb), by=by, school=school_id_of(obj),
        from_state=before[field.attname], to_state=getattr(obj, field.attname), note=note, data=data,
    )
    return obj


def record_change(obj: M, verb: str, *, by: Any, note: str = "", data: dict | None = None, **changes: Any) -> M:
    """Set `changes` on a locked `obj`, save them, and audit the step (the state stays as it is)."""
    if not getattr(obj, _LOCKED, False):
        raise RuntimeError("record_change() needs an object from lock()")
    before = _values(obj)
    for name, value in changes.items():
        setattr(obj, name, value)
    _save_changes(obj, before)
    state = getattr(obj, state_field(obj).attname)
    audit.record(obj, _action(obj, verb), by=by, school=school_id_of(obj), from_state=state, to_state=state, note=note, data=data)
    return obj
