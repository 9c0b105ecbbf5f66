"""The five-step lifecycle: staff start and complete a workstream's steps strictly in order.

Transition table: not_started → in_progress (start) → complete (complete). Step n may start only when
step n−1 is complete, and may complete only when it is in progress (so never before step n−1)."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from initiative import audit, policy

from ..models import LifecycleStep, StepStatus

TRANSITIONS = {
    "start": (StepStatus.NOT_STARTED, StepStatus.IN_PROGRESS),
    "complete": (StepStatus.IN_PROGRESS, StepStatus.COMPLETE),
}

DONE_LABEL = {"start": gettext_lazy("started"), "complete": gettext_lazy("completed")}


class StepOrderError(Exception):
    """An out-of-order or illegal step transition; carries the current and requested states."""

    def __init__(self, step: LifecycleStep, current: str, requested: str, message: str):
        super().__init__(message)
        self.step, self.current, self.requested, self.message = step, current, requested, message


def allowed_actions(steps: list[LifecycleStep]) -> dict[int, list[str]]:
    """{step number: [verbs allowed now]}: the page asks this which buttons to show."""
    by_number = {s.number: s for s in steps}
    out: dict[int, list[str]] = {}
    for s in steps:
        prev = by_number.get(s.number - 1)
        prev_done = prev is None or prev.status == StepStatus.COMPLETE
        out[s.number] = [
            verb for verb, (source, _target) in TRANSITIONS.items() if s.status == source and prev_done
        ]
    return out


def _transition(*, actor, step: LifecycleStep, verb: str, on: datetime.date | None) -> LifecycleStep:
    policy.require(actor, "workstreams.manage_workstream", step.workstream)
    source, target = TRANSITIONS[verb]
    with transaction.atomic():
        # lock: every step of the workstream, so two staff cannot advance steps past each other
        steps = list(
            LifecycleStep.objects.select_for_update(no_key=True)
            .filter(workstream_id=step.workstream_id)
            .order_by("number")
        )
        step = next(s for s in steps if s.pk == step.pk)
        prev = next((s for s in steps if s.number == step.number - 1), None)
        if step.status != source:
            raise StepOrderError(
                step,
                step.status,
                target,
                _("Step %(n)s is %(state)s; it cannot be %(verb)s now.")
                % {"n": step.number, "state": step.get_status_display().lower(), "verb": DONE_LABEL[verb]},
            )
        if prev is not None and prev.status != StepStatus.COMPLETE:
            raise StepOrderError(
                step,
                step.status,
                target,
                _("Step %(p)s must be complete before step %(n)s can be %(verb)s.")
                % {"p": prev.number, "n": step.number, "verb": DONE_LABEL[verb]},
            )
        today = timezone.localdate()
        day = on or today
        earliest = step.started_on if verb == "complete" else (prev.completed_on if prev else None)
        if day > today or (earliest and day < earliest):
            raise StepOrderError(
                step,
                step.status,
                target,
                _("The actual date must be between %(earliest)s and today.")
                % {"earliest": earliest.isoformat() if earliest else _("the start")},
            )
        before = audit.snapshot(step, ["status", "started_on", "completed_on"])
        step.status = target
        fields = ["status"]
        if verb == "start":
            step.started_on = day
            fields.append("started_on")
        else:
            step.completed_on = day
            fields.append("completed_on")
        step.save(update_fields=fields)
        audit.record(
            actor=actor,
            action=f"step.{verb}",
            obj=step,
            before=before,
            after=audit.snapshot(step, ["status", "started_on", "completed_on"]),
        )
    return step


def step_start(*, actor, step: LifecycleStep, on: datetime.date | None = None) -> LifecycleStep:
    return _transition(actor=actor, step=step, verb="start", on=on)


def step_complete(*, actor, step: LifecycleStep, on: datetime.date | None = None) -> LifecycleStep:
    return _transition(actor=actor, step=step, verb="complete", on=on)


def step_update(
    *,
    actor,
    step: LifecycleStep,
    section: str,
    planned_start: datetime.date | None,
    planned_end: datetime.date | None,
) -> LifecycleStep:
    """Write a step's report section (Markdown, sanitized when rendered) and its planned dates."""
    policy.require(actor, "workstreams.manage_workstream", step.workstream)
    fields = ["section", "planned_start", "planned_end"]
    with transaction.atomic():
        step = (
            LifecycleStep.objects.select_for_update(no_key=True).select_related("workstream").get(pk=step.pk)
        )
        before = audit.snapshot(step, fields)
        step.section, step.planned_start, step.planned_end = section.strip(), planned_start, planned_end
        step.save(update_fields=fields)
        after = audit.snapshot(step, fields)
        changed = [f for f in fields if before[f] != after[f]]
        if changed:
            audit.record(
                actor=actor,
                action="step.update",
                obj=step,
                before={f: before[f] for f in changed},
                after={f: after[f] for f in changed},
            )
    return step
