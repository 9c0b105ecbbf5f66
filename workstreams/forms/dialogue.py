"""Forms of the Track 3 dialogue's living documents."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from initiative.models import Body, User
from initiative.selectors import current_members

from ..models import OperatingModel
from .sessions import DateInput


class SectionForm(forms.Form):
    body = forms.CharField(
        label=_("Text (Markdown)"),
        required=False,
        widget=forms.Textarea(attrs={"class": "usa-textarea", "rows": 16}),
    )
    note = forms.CharField(
        label=_("What changed (shown in the history)"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"class": "usa-input"}),
    )


class SolutionForm(forms.Form):
    title = forms.CharField(
        label=_("Solution"), max_length=300, widget=forms.TextInput(attrs={"class": "usa-input"})
    )
    description = forms.CharField(
        label=_("Description (Markdown)"),
        required=False,
        widget=forms.Textarea(attrs={"class": "usa-textarea", "rows": 6}),
    )
    operating_models = forms.ModelMultipleChoiceField(
        label=_("Track 1 models it suits (none: any model)"),
        queryset=OperatingModel.objects.order_by("position"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label=_("What changed (shown in the history)"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"class": "usa-input"}),
    )


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        max_length=5000,
        widget=forms.Textarea(attrs={"class": "usa-textarea", "rows": 4}),
    )


def area_people_choices():
    """Who may lead an area: the implementation team and the Track 3 dialogue's participants."""
    return (
        User.objects.filter(
            Q(enrollments__workstream__track__number=3, enrollments__status="active")
            | Q(pk__in=current_members(Body.Kind.IMPLEMENTATION_TEAM).values("user"))
        )
        .filter(is_active=True)
        .select_related("organization")
        .distinct()
        .order_by("full_name", "email")
    )


class AreaSettingsForm(forms.Form):
    owners = forms.ModelMultipleChoiceField(
        label=_("Owners (lead the dialogue on this area)"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    reevaluate_on = forms.DateField(
        label=_("Re-evaluate the vision on"),
        required=False,
        widget=DateInput(attrs={"class": "usa-input"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owners"].queryset = area_people_choices()
        self.fields["owners"].label_from_instance = lambda u: (
            f"{u.display_name} ({u.organization})" if u.organization_id else str(u.display_name)
        )


class ReevaluationCompleteForm(forms.Form):
    note = forms.CharField(
        label=_("What the re-evaluation concluded"),
        required=False,
        widget=forms.Textarea(attrs={"class": "usa-textarea", "rows": 3}),
    )
    next_on = forms.DateField(
        label=_("Next re-evaluation"), required=False, widget=DateInput(attrs={"class": "usa-input"})
    )
