"""Forms of working sessions and action items, and the date/time widgets other forms share."""

import datetime
import zoneinfo

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from initiative.models import Body, Organization, User
from initiative.selectors import current_members
from initiative.widgets import DateTimesInZoneMixin

from ..models import ActionItemStatus, IssueArea, SessionKind, Topic, WorkingSession

TIME_ZONES = [
    ("America/New_York", _("Eastern (America/New_York)")),
    ("America/Chicago", _("Central (America/Chicago)")),
    ("America/Denver", _("Mountain (America/Denver)")),
    ("America/Phoenix", _("Arizona (America/Phoenix)")),
    ("America/Los_Angeles", _("Pacific (America/Los_Angeles)")),
    ("America/Anchorage", _("Alaska (America/Anchorage)")),
    ("Pacific/Honolulu", _("Hawaii (Pacific/Honolulu)")),
    ("UTC", _("UTC")),
]


def aware(day: datetime.date, time: datetime.time, tz_name: str) -> datetime.datetime:
    """The moment `day` `time` on the wall clock of `tz_name` (an IANA name)."""
    return datetime.datetime.combine(day, time, tzinfo=zoneinfo.ZoneInfo(tz_name))


class DateInput(forms.DateInput):
    input_type = "date"


class TimeInput(forms.TimeInput):
    input_type = "time"


class SessionForm(DateTimesInZoneMixin, forms.Form):
    zone_field = "time_zone"

    kind = forms.ChoiceField(
        label=_("Kind"), choices=SessionKind.choices, widget=forms.Select(attrs={"class": "usa-select"})
    )
    title = forms.CharField(
        label=_("Title"), max_length=200, widget=forms.TextInput(attrs={"class": "usa-input"})
    )
    day = forms.DateField(label=_("Date"), widget=DateInput(attrs={"class": "usa-input"}))
    time = forms.TimeField(label=_("Start time"), widget=TimeInput(attrs={"class": "usa-input"}))
    time_zone = forms.ChoiceField(
        label=_("Time zone"), choices=TIME_ZONES, widget=forms.Select(attrs={"class": "usa-select"})
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"),
        min_value=15,
        max_value=600,
        initial=90,
        widget=forms.NumberInput(attrs={"class": "usa-input"}),
    )
    meeting_url = forms.URLField(
        label=_("Meeting link (members only)"),
        required=False,
        widget=forms.URLInput(attrs={"class": "usa-input"}),
    )
    agenda = forms.CharField(
        label=_("Agenda (Markdown)"),
        required=False,
        widget=forms.Textarea(attrs={"class": "usa-textarea", "rows": 6}),
    )
    topic = forms.ModelChoiceField(
        label=_("Deep-dive topic"),
        queryset=Topic.objects.none(),
        required=False,
        widget=forms.Select(attrs={"class": "usa-select"}),
    )
    issue_areas = forms.ModelMultipleChoiceField(
        label=_("Track 3 issue areas"),
        queryset=IssueArea.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    status = forms.ChoiceField(
        label=_("Status"),
        choices=WorkingSession.Status.choices,
        initial=WorkingSession.Status.SCHEDULED,
        widget=forms.Select(attrs={"class": "usa-select"}),
    )

    def __init__(self, *args, workstream, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = Topic.objects.filter(workstream=workstream, is_active=True)
        if not editing:
            del self.fields["status"]

    def clean(self):
        data = super().clean()
        if data.get("day") and data.get("time") and data.get("time_zone"):
            data["starts_at"] = aware(data["day"], data["time"], data["time_zone"])
        return data

    @classmethod
    def initial_for(cls, session) -> dict:
        local = session.local_start
        return {
            "kind": session.kind,
            "title": session.title,
            "day": local.date(),
            "time": local.time(),
            "time_zone": session.time_zone,
            "duration_minutes": session.duration_minutes,
            "meeting_url": session.meeting_url,
            "agenda": session.agenda,
            "topic": session.topic_id,
            "issue_areas": [a.pk for a in session.issue_areas.all()],
            "status": session.status,
        }


class SessionRecordForm(forms.Form):
    minutes = forms.CharField(
        label=_("Minutes (Markdown)"),
        required=False,
        widget=forms.Textarea(attrs={"class": "usa-textarea", "rows": 10}),
    )
    attendees = forms.ModelMultipleChoiceField(
        label=_("Attended"), queryset=User.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = people


def accountable_people(workstream):
    """Who may own an action item: the workstream's participants and the implementation team."""
    return (
        User.objects.filter(
            Q(enrollments__workstream=workstream, enrollments__status="active")
            | Q(pk__in=current_members(Body.Kind.IMPLEMENTATION_TEAM).values("user"))
        )
        .select_related("organization")
        .distinct()
        .order_by("full_name", "email")
    )


class ActionItemForm(forms.Form):
    description = forms.CharField(
        label=_("What is to be done"), widget=forms.Textarea(attrs={"class": "usa-textarea", "rows": 3})
    )
    owner = forms.ModelChoiceField(
        label=_("Owner"), queryset=User.objects.none(), widget=forms.Select(attrs={"class": "usa-select"})
    )
    owner_organization = forms.ModelChoiceField(
        label=_("Owning organization (defaults to the owner's)"),
        queryset=Organization.objects.all(),
        required=False,
        widget=forms.Select(attrs={"class": "usa-select"}),
    )
    due_date = forms.DateField(label=_("Due date"), widget=DateInput(attrs={"class": "usa-input"}))
    issue_area = forms.ModelChoiceField(
        label=_("Track 3 issue area"),
        queryset=IssueArea.objects.all(),
        required=False,
        widget=forms.Select(attrs={"class": "usa-select"}),
    )

    def __init__(self, *args, workstream, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = accountable_people(workstream)
        self.fields["owner"].label_from_instance = lambda u: (
            f"{u.display_name} ({u.organization})" if u.organization_id else str(u.display_name)
        )

    def clean(self):
        data = super().clean()
        owner = data.get("owner")
        if owner is not None and not data.get("owner_organization") and owner.organization_id is None:
            self.add_error(
                "owner_organization",
                _("%(owner)s belongs to no organization: choose the organization accountable for this item.")
                % {"owner": owner.display_name},
            )
        return data


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=ActionItemStatus.choices,
        widget=forms.Select(attrs={"class": "usa-select"}),
    )
