"""The outreach form: stakeholder types (checkboxes, the workstream's list from the report checked by
default) and specific organizations to invite to a public consultation. Parse only."""

from django import forms
from django.utils.translation import gettext_lazy as _

from initiative.models import Organization, StakeholderType


class OutreachFields(forms.Form):
    invite_types = forms.MultipleChoiceField(
        label=_("Invite every organization of these stakeholder types"),
        choices=StakeholderType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    invite_organizations = forms.ModelMultipleChoiceField(
        label=_("Also invite these organizations"),
        queryset=Organization.objects.order_by("name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"class": "usa-select", "size": 8}),
        help_text=_("Hold Ctrl (or ⌘) to choose several."),
    )


class OutreachForm(OutreachFields):
    """The outreach page's own form (inviting more organizations to an open consultation)."""
