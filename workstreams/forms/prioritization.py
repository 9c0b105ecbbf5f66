"""Forms of prioritization rounds and ballots."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from initiative.widgets import DateTimesInZoneMixin

from ..models import Topic
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
