"""The staff form of a related effort (parse only; the service decides)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import EffortKind, Topic, Workstream

TEXT = {"class": "usa-input"}
AREA = {"class": "usa-textarea", "rows": 3}


class RelatedEffortForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, widget=forms.TextInput(TEXT))
    led_by = forms.CharField(label=_("Led by"), max_length=200, required=False, widget=forms.TextInput(TEXT))
    kind = forms.ChoiceField(
        label=_("Kind"), choices=EffortKind.choices, widget=forms.Select(attrs={"class": "usa-select"})
    )
    description = forms.CharField(label=_("What it is"), required=False, widget=forms.Textarea(AREA))
    relevance = forms.CharField(
        label=_("How the initiative builds on it"), required=False, widget=forms.Textarea(AREA)
    )
    url = forms.URLField(
        label=_("Web address"), required=False, widget=forms.URLInput(TEXT), assume_scheme="https"
    )
    workstreams = forms.ModelMultipleChoiceField(
        label=_("Workstreams"),
        queryset=Workstream.objects.order_by("track__number", "code"),
        widget=forms.CheckboxSelectMultiple,
    )
    topics = forms.ModelMultipleChoiceField(
        label=_("Topics"),
        queryset=Topic.objects.select_related("workstream")
        .filter(is_active=True)
        .order_by("workstream", "id"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Optional; each must belong to one of the workstreams chosen."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workstreams"].label_from_instance = lambda w: w.title
        self.fields["topics"].label_from_instance = lambda t: f"{t.workstream.code}: {t.title}"
