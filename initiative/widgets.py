"""Form widgets shared by every app."""

from django import forms
from django.template.loader import render_to_string


class CharacterCountTextarea(forms.Textarea):
    """A textarea that never cuts what is typed or pasted: no `maxlength` (the browser would silently drop
    the excess), a live count of the characters left instead; the service's length check refuses an
    over-long text and the form is shown again with the text kept in the box.

    Give the field no `max_length`: the service counts after normalizing line endings (a browser sends
    CRLF), as the script counts, so the page and the server agree. The count's markup is rendered here,
    so a panel htmx swaps in needs no script initialisation: static/js/site.js updates it on `input`."""

    def __init__(self, *, limit: int, attrs=None):
        super().__init__(attrs)
        self.limit = limit

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        widget_attrs.pop("maxlength", None)
        widget_attrs["data-char-limit"] = self.limit
        own = f"{widget_attrs.get('id', name)}-count-limit"
        widget_attrs["aria-describedby"] = f"{widget_attrs.get('aria-describedby', '')} {own}".strip()
        return context

    def render(self, name, value, attrs=None, renderer=None):
        context = self.get_context(name, value, attrs)
        html = self._render(self.template_name, context, renderer)
        return html + character_count(
            for_id=context["widget"]["attrs"].get("id", name), limit=self.limit, value=value
        )


def character_count(*, for_id: str, limit: int, value: str | None = None) -> str:
    """The count's markup for the textarea `for_id`, with the count of `value` already shown (a form sent
    back with its error keeps the text and says how far over it is)."""
    used = len((value or "").replace("\r\n", "\n"))
    return render_to_string(
        "components/character_count.html",
        {"for_id": for_id, "limit": limit, "left": limit - used, "over": used - limit, "typed": bool(value)},
    )
