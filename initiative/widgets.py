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


# Date-times and their time zone -------------------------------------------------------------------------
LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


class ZonedDateTimeInput(forms.DateTimeInput):
    """A `datetime-local` input (a wall-clock time, no zone of its own). Django describes it by its
    field's help text (`aria-describedby="<id>_helptext"`), which `DateTimesInZoneMixin` makes say the
    zone the time is read in."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__({"class": "usa-input", **(attrs or {})}, format=LOCAL_FORMAT)


def site_zone_sentence() -> str:
    from django.utils import timezone
    from django.utils.translation import gettext as _

    name = timezone.get_current_timezone_name()
    abbreviation = timezone.localtime().tzname()
    return _("Times are in the %(zone)s time zone (%(abbr)s now).") % {"zone": name, "abbr": abbreviation}


class DateTimesInZoneMixin:
    """Every date-time (and time) field of the form says in its help text the time zone its wall-clock
    time is read in: the zone chosen in the form's `zone_field` when it has one, else the site's zone
    (Django reads a naive input in the current time zone). Date-time fields get `ZonedDateTimeInput`."""

    zone_field: str | None = None

    def __init__(self, *args, **kwargs):
        from django.utils.translation import gettext as _

        super().__init__(*args, **kwargs)
        if self.zone_field and self.zone_field in self.fields:
            label = self.fields[self.zone_field].label
            sentence = _("Times are in the time zone chosen under “%(label)s”.") % {"label": label}
        else:
            sentence = site_zone_sentence()
        for field in self.fields.values():
            if isinstance(field, forms.DateTimeField | forms.TimeField):
                if isinstance(field, forms.DateTimeField) and not isinstance(
                    field.widget, ZonedDateTimeInput
                ):
                    field.widget = ZonedDateTimeInput(
                        attrs={k: v for k, v in field.widget.attrs.items() if k != "type"}
                    )
                    if LOCAL_FORMAT not in field.input_formats:
                        field.input_formats = [LOCAL_FORMAT, *field.input_formats]
                field.help_text = " ".join(str(t) for t in (field.help_text, sentence) if t)
