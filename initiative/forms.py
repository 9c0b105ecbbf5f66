"""Forms of the governance app: sign-up profile fields and the account page."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import ApiToken, EmailMode, Language, NotificationKind, Organization, StakeholderType, User


class SignupProfileForm(forms.Form):
    """Extra fields on allauth's sign-up form (ACCOUNT_SIGNUP_FORM_CLASS)."""

    full_name = forms.CharField(label=_("Full name"), max_length=200)
    organization = forms.ModelChoiceField(
        label=_("Organization (optional)"),
        queryset=Organization.objects.all(),
        required=False,
        help_text=_("Not listed? Leave empty and choose a stakeholder type; staff can add it."),
    )
    stakeholder_type = forms.ChoiceField(
        label=_("Stakeholder type (optional, if you take part on your own)"),
        choices=[("", _("Choose…")), *StakeholderType.choices],
        required=False,
    )

    def signup(self, request, user) -> None:
        user.full_name = self.cleaned_data["full_name"].strip()
        user.organization = self.cleaned_data.get("organization")
        user.stakeholder_type = self.cleaned_data.get("stakeholder_type") or ""
        # The account's emails are in the language the person signed up in, until they choose another.
        user.language = Language.SPANISH if request.LANGUAGE_CODE == Language.SPANISH else Language.ENGLISH
        user.save(update_fields=["full_name", "organization", "stakeholder_type", "language"])


class AccountForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "title", "organization", "stakeholder_type", "language"]
        labels = {"title": _("Job title")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].required = False  # a form without it keeps the account's language

    def clean_language(self) -> str:
        return self.cleaned_data.get("language") or self.instance.language


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are you withdrawing? (optional, seen by the implementation team)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “Interconnection queue sync”."),
    )
    scope = forms.ChoiceField(
        label=_("Access"),
        choices=ApiToken.Scope.choices,
        initial=ApiToken.Scope.READ,
        widget=forms.RadioSelect,
        help_text=_(
            "Read only unless you choose otherwise: a write token may comment, vote and more as you."
        ),
    )
    lifetime_days = forms.TypedChoiceField(
        label=_("Expires after"),
        coerce=int,
        choices=[],
        initial=90,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lifetime_days"].choices = [
            (days, _("%(days)s days") % {"days": days}) for days in settings.API_TOKEN_LIFETIMES_DAYS
        ]


class SecondFactorResetForm(forms.Form):
    confirm = forms.BooleanField(
        label=_(
            "I have checked who is asking: this removes the member's authenticator app, security keys "
            "and recovery codes."
        ),
    )
    reason = forms.CharField(
        label=_("Reason (kept in the audit log and sent to the member)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class NotificationPreferencesForm(forms.Form):
    """One choice per kind of notification: how it reaches the inbox (the bell shows every one)."""

    def __init__(self, *args, initial_modes: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in NotificationKind.choices:
            self.fields[kind] = forms.ChoiceField(
                label=label,
                choices=EmailMode.choices,
                initial=initial_modes.get(kind),
                widget=forms.Select(attrs={"class": "usa-select"}),
            )


# Governance administration ------------------------------------------------------------------------------
from initiative.widgets import DateTimesInZoneMixin, ZonedDateTimeInput  # noqa: E402

from .models import BodyMembership  # noqa: E402
from .voting import VoteChoice  # noqa: E402

DATE = forms.DateInput(attrs={"type": "date", "class": "usa-input"})


class MembershipForm(forms.Form):
    """A seat: who, in which role, for which term; why (recorded in the audit log)."""

    user = forms.ModelChoiceField(
        label=_("Person"),
        queryset=User.objects.filter(is_active=True).order_by("full_name", "email"),
        widget=forms.Select(attrs={"class": "usa-select"}),
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=BodyMembership.Role.choices,
        widget=forms.Select(attrs={"class": "usa-select"}),
    )
    starts_on = forms.DateField(label=_("Term starts"), widget=DATE)
    ends_on = forms.DateField(label=_("Term ends"), required=False, widget=DATE)
    reason = forms.CharField(
        label=_("Why (recorded in the history)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "usa-textarea"}),
    )


class MembershipUpdateForm(MembershipForm):
    """Change a seat's role or term; the person stays."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["user"]


class DocumentVersionForm(forms.Form):
    body = forms.CharField(
        label=_("Text (Markdown)"), widget=forms.Textarea(attrs={"rows": 14, "class": "usa-textarea"})
    )
    change_note = forms.CharField(
        label=_("What changed"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"class": "usa-input"}),
    )


class DocumentSubmitForm(DateTimesInZoneMixin, forms.Form):
    deadline = forms.DateTimeField(
        label=_("Voting deadline"),
        required=False,
        widget=ZonedDateTimeInput(),
        help_text=_("Leave empty for the standing voting period."),
    )


class DocumentVoteForm(forms.Form):
    choice = forms.ChoiceField(label=_("Your vote"), choices=VoteChoice.choices, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3, "class": "usa-textarea"})
    )
