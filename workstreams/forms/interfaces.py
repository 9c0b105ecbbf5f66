"""The form of one data exchange between two actors. Choices are evaluated lists passed in by the view."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Direction, Timing


class ExchangeForm(forms.Form):
    sender = forms.ChoiceField(label=_("Sent by"), widget=forms.Select(attrs={"class": "usa-select"}))
    receiver = forms.ChoiceField(label=_("Received by"), widget=forms.Select(attrs={"class": "usa-select"}))
    data_item = forms.CharField(
        label=_("Data item"), max_length=300, widget=forms.TextInput(attrs={"class": "usa-input"})
    )
    direction = forms.ChoiceField(
        label=_("Direction"), choices=Direction.choices, widget=forms.Select(attrs={"class": "usa-select"})
    )
    timing = forms.ChoiceField(
        label=_("Timing"), choices=Timing.choices, widget=forms.Select(attrs={"class": "usa-select"})
    )
    latency = forms.CharField(
        label=_("Latency or frequency, exactly"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"class": "usa-input"}),
    )
    purpose = forms.CharField(
        label=_("Purpose"), required=False, widget=forms.Textarea(attrs={"rows": 3, "class": "usa-textarea"})
    )
    source = forms.CharField(
        label=_("Source"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"class": "usa-input"}),
    )
    functions = forms.MultipleChoiceField(
        label=_("Functions it serves"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "usa-checkbox__input"}),
    )
    models = forms.MultipleChoiceField(
        label=_("Operating models it applies to"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "usa-checkbox__input"}),
    )
    topics = forms.MultipleChoiceField(
        label=_("Track 2 topics (Workstream C's data access work first)"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "usa-checkbox__input"}),
    )
    seen_revision = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args, actors, functions, models, topics, **kwargs):
        super().__init__(*args, **kwargs)
        self.lookup = {
            "sender": {a.slug: a for a in actors},
            "functions": {f.slug: f for f in functions},
            "models": {m.slug: m for m in models},
            "topics": {str(t.pk): t for t in topics},
        }
        actor_choices = [(a.slug, a.name) for a in actors]
        self.fields["sender"].choices = actor_choices
        self.fields["receiver"].choices = actor_choices
        self.fields["functions"].choices = [(f.slug, f.name) for f in functions]
        self.fields["models"].choices = [
            (m.slug, f"{m.name} ({m.get_status_display().lower()})") for m in models
        ]
        self.fields["topics"].choices = [(str(t.pk), f"{t.workstream.code}: {t.title}") for t in topics]

    @classmethod
    def initial_for(cls, exchange) -> dict:
        return {
            "sender": exchange.sender.slug,
            "receiver": exchange.receiver.slug,
            "data_item": exchange.data_item,
            "direction": exchange.direction,
            "timing": exchange.timing,
            "latency": exchange.latency,
            "purpose": exchange.purpose,
            "source": exchange.source,
            "functions": [f.slug for f in exchange.functions.all()],
            "models": [m.slug for m in exchange.applies_to.all()],
            "topics": [str(t.pk) for t in exchange.topics.all()],
            "seen_revision": exchange.revision,
        }

    def clean(self):
        data = super().clean()
        if data.get("sender") and data.get("sender") == data.get("receiver"):
            self.add_error("receiver", _("Choose two different actors."))
        return data

    def values(self) -> dict:
        d, actors = self.cleaned_data, self.lookup["sender"]
        return {
            "sender": actors[d["sender"]],
            "receiver": actors[d["receiver"]],
            "data_item": d["data_item"],
            "direction": d["direction"],
            "timing": d["timing"],
            "latency": d["latency"],
            "purpose": d["purpose"],
            "source": d["source"],
            "functions": [self.lookup["functions"][s] for s in d["functions"]],
            "models": [self.lookup["models"][s] for s in d["models"]],
            "topics": [self.lookup["topics"][s] for s in d["topics"]],
        }
