"""The small link to the Track 1 framework on the pages of its track and workstream. Which track and
workstream those are is data (`home` in content/track1.yaml), so templates need no `code == "A"` branch."""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def framework_link(obj, wrap: str = ""):
    """A link to the framework if `obj` (a Track or a Workstream) is its home; "" otherwise.
    `wrap="li"` puts it in a list item."""
    from workstreams.selectors.framework import framework_home

    home = framework_home()
    number = getattr(obj, "number", None)
    code = getattr(obj, "code", None)
    if not (
        (number is not None and number == home.get("track")) or (code and code == home.get("workstream"))
    ):
        return ""
    link = format_html(
        '<a class="usa-link" href="{}">{}</a>',
        reverse("workstreams:framework"),
        _("Track 1 framework: functions, actors, models, framing questions and roadmap"),
    )
    return (
        format_html("<li>{}</li>", link)
        if wrap == "li"
        else format_html('<p class="font-body-xs">{}</p>', link)
    )
