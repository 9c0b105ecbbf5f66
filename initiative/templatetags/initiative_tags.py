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


@register.inclusion_tag("components/follow_button.html", takes_context=True)
def follow_button(context, kind: str, pk) -> dict:
    """`{% follow_button "workstreams.workstream" workstream.pk %}`: Follow / Following, a plain form."""
    from initiative import notifications

    request = context["request"]
    target = f"{kind}:{pk}"
    return {
        "request": request,
        "user": request.user,
        "csrf_token": context.get("csrf_token"),
        "target": target,
        "following": notifications.is_following(user=request.user, target=target),
    }
