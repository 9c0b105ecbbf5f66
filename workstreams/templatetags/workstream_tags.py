"""Template helpers of the workstreams app."""

from django import template

from initiative.models import StakeholderType

register = template.Library()

_LABELS = dict(StakeholderType.choices)


@register.filter
def stakeholder_label(value: str) -> str:
    return str(_LABELS.get(value, value))


@register.simple_tag
def action_statuses():
    from workstreams.models import ActionItemStatus

    return ActionItemStatus.choices
