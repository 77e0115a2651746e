"""Declared lifecycles: named transitions with source states, a target, a permission and guards.

A module declares its workflow once (designation, assessment, incident, decision, task …);
services call `apply()`, which refuses forbidden moves with a clear message and writes the
audit record of the step. Free-form status edits have no place to happen.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from qalxan.core import audit
from qalxan.core.choices import AuditAction
from qalxan.core.tenancy import can

Guard = Callable[[Any, dict[str, Any]], "str | Promise | None"]  # returns a reason to refuse, or None


@dataclass(frozen=True)
class Transition:
    name: str
    source: tuple[str, ...]
    target: str
    permission: str
    label: str | Promise = ""
    guards: tuple[Guard, ...] = ()
    # (obj, actor, context): set fields on obj, do not save it (apply() saves once, after every effect).
    effects: tuple[Callable[[Any, Any, dict[str, Any]], None], ...] = ()
    # (obj, actor) -> True lets someone without the permission take the step (e.g. a reviewing working group).
    also_allowed: Callable[[Any, Any], bool] | None = None


class TransitionRefused(ValidationError):
    """A transition that may not happen now, with the reason."""


@dataclass(frozen=True)
class Refusal:
    reason: str
    forbidden: bool = False  # True: the person lacks the permission (403), else the state or a guard (400)


@dataclass
class Workflow:
    """The lifecycle of one model's `state_field`."""

    name: str
    state_field: str
    transitions: Iterable[Transition]
    by_name: dict[str, Transition] = field(init=False)

    def __post_init__(self) -> None:
        self.transitions = tuple(self.transitions)
        self.by_name = {t.name: t for t in self.transitions}
        if len(self.by_name) != len(self.transitions):
            raise ValueError(f"workflow {self.name}: duplicate transition names")

    def state(self, obj: Any) -> str:
        return str(getattr(obj, self.state_field))

    def refusal(
        self,
        obj: Any,
        name: str,
        actor: Any,
        context: dict[str, Any] | None = None,
        *,
        system: bool = False,
        guards: bool = True,
    ) -> Refusal | None:
        """Why `name` may not happen now (None if it may); `system` steps skip the permission check."""
        transition = self.by_name.get(name)
        if transition is None:
            return Refusal(_("Unknown step “%(name)s”.") % {"name": name})
        current = self.state(obj)
        if current not in transition.source:
            return Refusal(
                _("“%(step)s” is not possible from the state “%(state)s”.")
                % {
                    "step": transition.label or transition.name,
                    "state": _display(obj, self.state_field, current),
                }
            )
        allowed = actor is not None and (
            can(actor, transition.permission, obj)
            or (transition.also_allowed is not None and transition.also_allowed(obj, actor))
        )
        if not system and not allowed:
            return Refusal(_("You do not have permission to do this."), forbidden=True)
        for guard in transition.guards if guards else ():
            reason = guard(obj, context or {})
            if reason:
                return Refusal(str(reason))
        return None

    def available(self, obj: Any, actor: Any) -> list[Transition]:
        """The steps this person may take from the current state (guards are checked on the details given)."""
        return [t for t in self.transitions if self.refusal(obj, t.name, actor, guards=False) is None]

    @transaction.atomic
    def apply(
        self,
        obj: models.Model,
        name: str,
        *,
        actor: Any,
        message: str = "",
        context: dict[str, Any] | None = None,
        system: bool = False,
    ) -> models.Model:
        """Move `obj` along `name`; refuse with a clear message when it may not.

        The row is locked and its state re-read first, so that two people cannot both move it.
        """
        locked = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
        setattr(obj, self.state_field, getattr(locked, self.state_field))
        refusal = self.refusal(obj, name, actor, context, system=system)
        if refusal is not None:
            if refusal.forbidden:
                raise PermissionDenied(refusal.reason)
            raise TransitionRefused(refusal.reason)
        transition = self.by_name[name]
        before = audit.snapshot(obj, exclude=("updated_at",))
        setattr(obj, self.state_field, transition.target)
        # Effects set the fields that go with the new state; the whole change is saved once, after them.
        for effect in transition.effects:
            effect(obj, actor, context or {})
        obj.save()
        audit.record(
            actor=actor,
            action=AuditAction.TRANSITION,
            target=obj,
            before=before,
            after=audit.snapshot(obj, exclude=("updated_at",)),
            message=f"{self.name}.{transition.name}" + (f": {message}" if message else ""),
        )
        return obj


def _display(obj: Any, field_name: str, value: str) -> str:
    try:
        choices = dict(type(obj)._meta.get_field(field_name).flatchoices)
    except Exception:
        return value
    return str(choices.get(value, value))
