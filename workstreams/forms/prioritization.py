"""Forms of prioritization rounds and ballots."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from initiative.widgets import DateTimesInZoneMixin

from ..models import Electorate, IssueArea, Topic
from .sessions import TIME_ZONES, DateInput, TimeInput, aware


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
    electorate = forms.ChoiceField(
        label=_("Who votes"),
        choices=Electorate.choices,
        initial=Electorate.ALL,
        widget=forms.RadioSelect,
        help_text=_(
            "State regulators and federal agencies can be given the leading role: alone, or weighted."
        ),
    )
    regulator_weight = forms.IntegerField(
        label=_("Weight of a regulator's ballot (weighted rounds)"),
        min_value=1,
        max_value=10,
        initial=3,
        required=False,
        help_text=_("How many ordinary ballots one regulator's ballot counts as, from 2 to 10."),
        widget=forms.NumberInput(attrs={"class": "usa-input usa-input--small"}),
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
        if data.get("electorate") == Electorate.REGULATORS_WEIGHTED:
            if not data.get("regulator_weight") or data["regulator_weight"] < 2:
                self.add_error("regulator_weight", _("A weighted round needs a weight from 2 to 10."))
        else:
            data["regulator_weight"] = 1
        return data


class TopicProposalForm(forms.Form):
    """A participant's candidate topic; for Track 3, optionally the issue area it belongs to."""

    title = forms.CharField(
        label=_("Topic"), max_length=300, widget=forms.TextInput(attrs={"class": "usa-input"})
    )
    description = forms.CharField(
        label=_("Why it matters"),
        required=False,
        widget=forms.Textarea(attrs={"class": "usa-textarea", "rows": 4}),
    )
    issue_area = forms.ModelChoiceField(
        label=_("Issue area (leave empty to propose a new area)"),
        queryset=IssueArea.objects.all(),
        required=False,
        widget=forms.Select(attrs={"class": "usa-select"}),
    )

    def __init__(self, *args, with_areas: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_areas:
            del self.fields["issue_area"]


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
