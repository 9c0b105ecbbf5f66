"""Forms of the workstreams app."""

import datetime
import zoneinfo

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from initiative.models import Body, Organization, User
from initiative.selectors import current_members
from initiative.widgets import DateTimesInZoneMixin

from .models import ActionItemStatus, IssueArea, LifecycleStep, SessionKind, Topic, WorkingSession


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    organization = forms.ModelChoiceField(
        label=_("Organization they represent"), queryset=Organization.objects.all(), required=False
    )
    message = forms.CharField(
        label=_("Personal message"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )


class AcceptInvitationForm(forms.Form):
    commit = forms.BooleanField(
        label=_("I commit to take part in this workstream throughout."),
        error_messages={"required": _("Tick the commitment to take part throughout to accept.")},
    )


# Issue 3 ------------------------------------------------------------------------------------------------

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


class StepForm(forms.ModelForm):
    class Meta:
        model = LifecycleStep
        fields = ["planned_start", "planned_end", "section"]
        labels = {"section": _("This step's section of the report (Markdown)")}
        widgets = {
            "planned_start": DateInput(attrs={"class": "usa-input"}),
            "planned_end": DateInput(attrs={"class": "usa-input"}),
            "section": forms.Textarea(attrs={"class": "usa-textarea", "rows": 16}),
        }

    def clean(self):
        data = super().clean()
        if (
            data.get("planned_start")
            and data.get("planned_end")
            and data["planned_end"] < data["planned_start"]
        ):
            self.add_error("planned_end", _("The planned end comes before the planned start."))
        return data


class TopicForm(forms.Form):
    title = forms.CharField(
        label=_("Topic"), max_length=300, widget=forms.TextInput(attrs={"class": "usa-input"})
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"class": "usa-textarea", "rows": 3}),
    )


class RoundForm(DateTimesInZoneMixin, forms.Form):
    zone_field = "time_zone"

    title = forms.CharField(
        label=_("Title"), max_length=200, widget=forms.TextInput(attrs={"class": "usa-input"})
    )
    closes_on = forms.DateField(label=_("Deadline: date"), widget=DateInput(attrs={"class": "usa-input"}))
    closes_time = forms.TimeField(
        label=_("Deadline: time"),
        initial=datetime.time(17, 0),
        widget=TimeInput(attrs={"class": "usa-input"}),
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"), choices=TIME_ZONES, widget=forms.Select(attrs={"class": "usa-select"})
    )
    topics = forms.ModelMultipleChoiceField(
        label=_("Topics to rank"), queryset=Topic.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, workstream, **kwargs):
        super().__init__(*args, **kwargs)
        qs = Topic.objects.filter(workstream=workstream, is_active=True)
        self.fields["topics"].queryset = qs
        self.fields["topics"].initial = list(qs.values_list("pk", flat=True))

    def clean(self):
        data = super().clean()
        if data.get("closes_on") and data.get("closes_time") and data.get("time_zone"):
            data["closes_at"] = aware(data["closes_on"], data["closes_time"], data["time_zone"])
            if data["closes_at"] <= timezone.now():
                self.add_error("closes_on", _("The deadline must be in the future."))
        if data.get("topics") is not None and len(data["topics"]) < 2:
            self.add_error("topics", _("Choose at least two topics."))
        return data


class BallotForm(forms.Form):
    """One rank field per topic (1 = first choice); each rank used once. Works without JavaScript."""

    def __init__(self, *args, topics, ballot=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.topics = list(topics)
        n = len(self.topics)
        current = {t: i + 1 for i, t in enumerate(ballot.ranking)} if ballot else {}
        choices = [("", "—")] + [(str(i), str(i)) for i in range(1, n + 1)]
        for t in self.topics:
            self.fields[f"topic_{t.pk}"] = forms.TypedChoiceField(
                label=t.title,
                choices=choices,
                coerce=int,
                initial=current.get(t.pk),
                widget=forms.Select(attrs={"class": "usa-select"}),
            )

    def clean(self):
        data = super().clean()
        ranks = {t.pk: data.get(f"topic_{t.pk}") for t in self.topics}
        if None in ranks.values():
            return data
        if len(set(ranks.values())) != len(ranks):
            raise forms.ValidationError(_("Give each topic a different rank, from 1 (first choice) down."))
        data["ranking"] = [pk for pk, _r in sorted(ranks.items(), key=lambda kv: kv[1])]
        return data


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


class DeliverableForm(forms.Form):
    owner = forms.ModelChoiceField(
        label=_("Owner"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.Select(attrs={"class": "usa-select"}),
    )
    due_date = forms.DateField(
        label=_("Due date"), required=False, widget=DateInput(attrs={"class": "usa-input"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = (
            User.objects.filter(pk__in=current_members(Body.Kind.IMPLEMENTATION_TEAM).values("user"))
            .distinct()
            .order_by("full_name", "email")
        )
