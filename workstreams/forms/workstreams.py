"""Forms of invitations and enrollment."""

from django import forms
from django.utils.translation import gettext_lazy as _

from initiative.models import Organization

from ..models import EnrollmentRole


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
    role = forms.ChoiceField(
        label=_("Role"),
        choices=EnrollmentRole.choices,
        initial=EnrollmentRole.ACTIVE_MEMBER,
        required=False,
        help_text=_("Left empty: active member."),
    )


class AcceptInvitationForm(forms.Form):
    commit = forms.BooleanField(
        label=_("I commit to take part in this workstream throughout."),
        error_messages={"required": _("Tick the commitment to take part throughout to accept.")},
    )
