"""The search form: a GET form shared by the page and (as the same fields) the API."""

from django import forms
from django.utils.translation import gettext_lazy as _

from workstreams.selectors.workstreams import workstream_choices

from ..models import SearchEntry
from ..selectors.search import MAX_QUERY_LENGTH, SearchParams


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search for"), max_length=MAX_QUERY_LENGTH, required=False)
    kind = forms.MultipleChoiceField(
        label=_("Kind"), choices=SearchEntry.Kind.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    workstream = forms.TypedChoiceField(label=_("Workstream"), coerce=int, required=False, empty_value=None)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workstream"].choices = [("", _("All workstreams")), *workstream_choices()]

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end date is before the start date."))
        return data

    def params(self) -> SearchParams:
        data = self.cleaned_data
        return SearchParams(
            q=data.get("q") or "",
            kinds=tuple(data.get("kind") or ()),
            workstream_id=data.get("workstream"),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
