"""Template helpers shared by every app: Markdown rendering and policy checks."""

from django import template
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext as _

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


@register.simple_tag
def untranslated_note(obj, field: str):
    """`{% untranslated_note webinar "description" %}`: in a language other than English, a visible note
    when staff have not entered that language's version of the field (django-modeltranslation's
    `<field>_<lang>`), so the English original is what the page shows. Nothing in English. `obj` may be
    a list (a draft's paragraphs): the note shows when any of them has no version in that language."""
    language = translation.get_language() or "en"
    objects = obj if isinstance(obj, (list, tuple)) else [obj]
    translated = all(o is None or getattr(o, f"{field}_{language}", None) for o in objects)
    if language.startswith("en") or translated:
        return ""
    return format_html(
        '<div class="usa-alert usa-alert--info usa-alert--slim untranslated-note">'
        '<div class="usa-alert__body"><p class="usa-alert__text">{}</p></div></div>',
        _("This content is not available in Spanish yet, so it is shown in English."),
    )
