"""Forms of the endorsement pages (parse only; the services decide)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Position
from .workflow import DATETIME


class WindowOpenForm(forms.Form):
    version = forms.ModelChoiceField(
        label=_("Version"),
        queryset=None,
        empty_label=None,
        widget=forms.Select(attrs={"class": "usa-select"}),
        help_text=_("Positions are recorded on this exact version."),
    )
    opens_at = forms.DateTimeField(
        label=_("Opens"), required=False, widget=DATETIME, help_text=_("Leave empty to open now.")
    )
    closes_at = forms.DateTimeField(label=_("Closes"), widget=DATETIME)

    def __init__(self, *args, versions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].queryset = versions
        self.fields["version"].label_from_instance = lambda v: f"{v.number}: {v.title}"
        latest = versions.order_by("-number").first()
        if latest is not None:
            self.fields["version"].initial = latest.pk


class PositionForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Organization"),
        queryset=None,
        empty_label=None,
        widget=forms.Select(attrs={"class": "usa-select"}),
    )
    position = forms.ChoiceField(label=_("Position"), choices=Position.choices, widget=forms.RadioSelect)
    statement = forms.CharField(
        label=_("Statement"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4, "class": "usa-textarea"}),
        help_text=_("Required with reservations or when you cannot endorse; optional otherwise."),
    )
    withhold_statement = forms.BooleanField(
        label=_("Do not publish our dissenting statement with the product"),
        required=False,
        help_text=_("Dissent is published with the product unless you ask otherwise. The count still shows."),
    )

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        if len(organizations) == 1:
            self.fields["organization"].widget = forms.HiddenInput()
            self.fields["organization"].initial = organizations[0].pk
