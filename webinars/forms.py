"""Forms of the webinars pages: public sign-up, staff webinar editing, cancellation, attendance."""

import zoneinfo

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from consultations.models import Review
from initiative.models import StakeholderType
from initiative.widgets import DateTimesInZoneMixin
from workstreams.models import Deliverable

from .models import Webinar

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


class SignupForm(forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(label=_("Email address"), help_text=_("We send the confirmation link here."))
    organization = forms.CharField(label=_("Organization"), max_length=200, required=False)
    stakeholder_type = forms.ChoiceField(
        label=_("Stakeholder type"), choices=[("", _("- Select -")), *StakeholderType.choices]
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that the implementation team keeps my name, email, organization and stakeholder type "
            "to run this webinar, and emails me about it. They are never shown publicly."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("name", "email", "organization"):
            self.fields[name].widget.attrs["class"] = "usa-input"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["organization"].widget.attrs["autocomplete"] = "organization"
        self.fields["stakeholder_type"].widget.attrs["class"] = "usa-select"


class LocalDateTimeField(forms.DateTimeField):
    """A wall-clock time entered with a datetime-local input; the form makes it aware in the webinar's
    own time zone (not the server's)."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local", "class": "usa-input"}, format=LOCAL_FORMAT)
    input_formats = [LOCAL_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]


class WebinarForm(DateTimesInZoneMixin, forms.ModelForm):
    zone_field = "time_zone"

    starts_at = LocalDateTimeField(label=_("Starts at (in the time zone below)"))
    registration_closes_at = LocalDateTimeField(
        label=_("Registration deadline (in the time zone below)"),
        required=False,
        help_text=_("Defaults to the start time."),
    )

    class Meta:
        model = Webinar
        fields = [
            "title",
            "title_es",
            "description",
            "description_es",
            "deliverable",
            "consultation",
            "starts_at",
            "time_zone",
            "duration_minutes",
            "capacity",
            "join_url",
            "registration_closes_at",
            "recording_url",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"class": "usa-textarea", "rows": 6}),
            "title_es": forms.TextInput(attrs={"lang": "es"}),
            "description_es": forms.Textarea(attrs={"class": "usa-textarea", "rows": 6, "lang": "es"}),
        }
        labels = {
            "title_es": _("Title in Spanish"),
            "description_es": _("Description in Spanish (Markdown)"),
        }
        help_texts = {
            "title_es": _("Shown to readers who chose Spanish; without it they see the English title."),
            "description_es": _(
                "Without it, readers who chose Spanish see the English description with a note saying so."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deliverable"].queryset = Deliverable.objects.select_related("workstream").order_by(
            "workstream__code", "order", "title"
        )
        self.fields["deliverable"].required = False
        self.fields["title_es"].required = False
        self.fields["description_es"].required = False
        self.fields["consultation"].queryset = (
            Review.objects.public().select_related("version__deliverable").order_by("-opens_at")
        )
        self.fields["consultation"].label_from_instance = lambda review: (
            _("%(title)s (consultation from %(opens)s)")
            % {"title": review.version.title, "opens": date_format(review.opens_at, "DATE_FORMAT")}
        )
        for name, field in self.fields.items():
            widget = field.widget
            if name in ("deliverable", "consultation", "time_zone"):
                widget.attrs["class"] = "usa-select"
            elif "class" not in widget.attrs:
                widget.attrs["class"] = "usa-input"
        instance = self.instance
        if instance.pk:
            # Show stored times as wall-clock times in the webinar's zone.
            self.initial["starts_at"] = instance.local_start.replace(tzinfo=None)
            if instance.registration_closes_at:
                self.initial["registration_closes_at"] = instance.registration_closes_at.astimezone(
                    instance.tzinfo
                ).replace(tzinfo=None)

    def clean(self):
        data = super().clean()
        tz_name = data.get("time_zone")
        if not tz_name:
            return data
        zone = zoneinfo.ZoneInfo(tz_name)
        for name in ("starts_at", "registration_closes_at"):
            value = data.get(name)
            if value is not None:
                # Django made it aware in the server's zone; keep the wall clock, use the webinar's zone.
                naive = timezone.localtime(value).replace(tzinfo=None)
                data[name] = naive.replace(tzinfo=zone)
        if (
            data.get("starts_at")
            and data.get("registration_closes_at")
            and data["registration_closes_at"] > data["starts_at"]
        ):
            self.add_error("registration_closes_at", _("The deadline must be no later than the start."))
        return data

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class CancelWebinarForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (sent to every registrant)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"class": "usa-textarea", "rows": 3}),
    )
