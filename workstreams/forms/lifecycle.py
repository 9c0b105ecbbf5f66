"""Forms of the lifecycle: a step's dates and sections, topics."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import LifecycleStep
from .sessions import DateInput


class StepForm(forms.ModelForm):
    class Meta:
        model = LifecycleStep
        fields = ["planned_start", "planned_end", "section"]
        labels = {"section": _("This step's section of the report (Markdown)")}
        widgets = {
            "planned_start": DateInput(attrs={"class": "usa-input"}),
            "planned_end": DateInput(attrs={"class": "usa-input"}),
            "section": forms.Textarea(attrs={"class": "usa-textarea", "rows": 16}),
        }

    def clean(self):
        data = super().clean()
        if (
            data.get("planned_start")
            and data.get("planned_end")
            and data["planned_end"] < data["planned_start"]
        ):
            self.add_error("planned_end", _("The planned end comes before the planned start."))
        return data


class TopicForm(forms.Form):
    title = forms.CharField(
        label=_("Topic"), max_length=300, widget=forms.TextInput(attrs={"class": "usa-input"})
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"class": "usa-textarea", "rows": 3}),
    )
