"""Form of a deliverable on the tracker."""

from django import forms
from django.utils.translation import gettext_lazy as _

from initiative.models import Body, User
from initiative.selectors import current_members

from .sessions import DateInput


class DeliverableForm(forms.Form):
    owner = forms.ModelChoiceField(
        label=_("Owner"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.Select(attrs={"class": "usa-select"}),
    )
    due_date = forms.DateField(
        label=_("Due date"), required=False, widget=DateInput(attrs={"class": "usa-input"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = (
            User.objects.filter(pk__in=current_members(Body.Kind.IMPLEMENTATION_TEAM).values("user"))
            .distinct()
            .order_by("full_name", "email")
        )
