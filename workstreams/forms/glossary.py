"""Forms of the glossary pages: proposing a term, a new wording, a comment, a staff transition."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import GlossaryTerm


class TermProposeForm(forms.Form):
    term = forms.CharField(label=_("Term"), max_length=120)
    abbreviation = forms.CharField(
        label=_("Abbreviation"), max_length=30, required=False, help_text=_("If drafts use a short form.")
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=GlossaryTerm.Kind.choices, initial=GlossaryTerm.Kind.TERM
    )
    definition = forms.CharField(label=_("Proposed definition"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("term", "abbreviation"):
            self.fields[name].widget.attrs["class"] = "usa-input"
        self.fields["kind"].widget.attrs["class"] = "usa-select"
        self.fields["definition"].widget.attrs["class"] = "usa-textarea"


class DefinitionForm(forms.Form):
    text = forms.CharField(
        label=_("New wording"), widget=forms.Textarea(attrs={"rows": 4, "class": "usa-textarea"})
    )
    note = forms.CharField(
        label=_("Why this wording"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"class": "usa-input"}),
    )


class GlossaryCommentForm(forms.Form):
    definition = forms.IntegerField(widget=forms.HiddenInput)
    body = forms.CharField(
        label=_("Your comment"), widget=forms.Textarea(attrs={"rows": 3, "class": "usa-textarea"})
    )


class TermTransitionForm(forms.Form):
    definition = forms.IntegerField(required=False, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason (kept in the audit log)"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"class": "usa-input"}),
    )
