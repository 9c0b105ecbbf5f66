"""Template helpers shared by every app: Markdown rendering and policy checks."""

from django import template

from initiative import markdown, policy

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str):
    return markdown.render(text)


@register.simple_tag(takes_context=True)
def can(context, action: str, obj=None) -> bool:
    """`{% can "workstreams.invite_participant" workstream as may_invite %}`"""
    return policy.can(context["request"].user, action, obj)
