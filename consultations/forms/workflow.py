"""Forms of the workflow, approval and publication pages (parse only; the services decide)."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from initiative.widgets import DateTimesInZoneMixin, ZonedDateTimeInput

from ..models import Redaction, Vote
from ..models.approvals import Majority
from .outreach import OutreachFields

DATETIME = ZonedDateTimeInput()


class TransitionForm(DateTimesInZoneMixin, OutreachFields):
    transition = forms.CharField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(
        label=_("Why (recorded in the history)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "usa-textarea"}),
    )
    opens_at = forms.DateTimeField(
        label=_("Opens"), required=False, widget=DATETIME, help_text=_("Leave empty to open now.")
    )
    closes_at = forms.DateTimeField(
        label=_("Closes"),
        required=False,
        widget=DATETIME,
        error_messages={"required": _("Give the closing date and time of the review window.")},
    )
    deadline = forms.DateTimeField(
        label=_("Voting deadline"),
        required=False,
        widget=DATETIME,
        help_text=_("Leave empty for the standing voting period of %(days)d days.")
        % {"days": settings.APPROVAL_VOTING_DAYS},
    )
    quorum = forms.IntegerField(
        label=_("Quorum (votes needed)"),
        required=False,
        min_value=1,
        widget=forms.NumberInput(attrs={"class": "usa-input"}),
        help_text=_("Leave empty for the standing rule (more than half of the sitting members)."),
    )
    majority = forms.ChoiceField(
        label=_("Majority"),
        required=False,
        choices=[("", _("Standing rule"))] + list(Majority.choices),
        widget=forms.Select(attrs={"class": "usa-select"}),
    )
    note = forms.CharField(
        label=_("Note to the committee"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "usa-textarea"}),
    )

    waive = forms.BooleanField(label=_("Waive the requirement"), required=False)
    waiver_reason = forms.CharField(
        label=_("Reason for the waiver (recorded in the history)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "usa-textarea"}),
    )

    FIELDS_BY_NEED = {
        "opens_at": ["opens_at"],
        "closes_at": ["closes_at"],
        "deadline": ["deadline", "quorum", "majority", "note"],
        "outreach": ["invite_types", "invite_organizations"],
    }
    REQUIRED_NEEDS = {"closes_at"}  # the service cannot choose a closing time for you

    def for_transition(self, transition, *, unmet=(), may_waive=False, default_types=()):
        """Only the fields this transition needs (plus the reason), prefixed by its name; the waiver
        fields only when a requirement is unmet and the person may waive it. `default_types`: the
        outreach's stakeholder types checked before staff choose (the workstream's list)."""
        if "outreach" in transition.needs:
            self.initial.setdefault("invite_types", list(default_types))
        keep = {"transition", "reason"}
        for need in transition.needs:
            keep.update(self.FIELDS_BY_NEED.get(need, [need]))
        self.unmet = list(unmet)
        if self.unmet and may_waive:
            keep.update({"waive", "waiver_reason"})
            self.fields["waive"].label = "; ".join(str(r.waiver_label) for r in self.unmet)
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
            elif name in self.REQUIRED_NEEDS:
                self.fields[name].required = True
        self.initial["transition"] = transition.name
        return self

    def inputs(self) -> dict:
        data = {
            k: v
            for k, v in self.cleaned_data.items()
            if k not in {"transition", "reason", "waive", "waiver_reason"} and v not in (None, "")
        }
        if self.cleaned_data.get("waive"):
            data["waive"] = [r.name for r in getattr(self, "unmet", [])]
            data["waiver_reason"] = self.cleaned_data.get("waiver_reason", "")
        return data


class VoteForm(forms.Form):
    choice = forms.ChoiceField(label=_("Your vote"), choices=Vote.Choice.choices, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3, "class": "usa-textarea"})
    )


class RedactionForm(forms.Form):
    paragraph_key = forms.ChoiceField(
        label=_("Paragraph"), widget=forms.Select(attrs={"class": "usa-select"})
    )
    text = forms.CharField(
        label=_("Exact text to redact"),
        widget=forms.Textarea(attrs={"rows": 2, "class": "usa-textarea"}),
        strip=False,
    )
    occurrence = forms.IntegerField(
        label=_("Which occurrence in the paragraph"),
        min_value=1,
        initial=1,
        widget=forms.NumberInput(attrs={"class": "usa-input"}),
    )
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=Redaction.Reason.choices,
        widget=forms.Select(attrs={"class": "usa-select"}),
    )
    note = forms.CharField(
        label=_("Internal note (never published)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "usa-textarea"}),
    )

    def __init__(self, *args, paragraphs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["paragraph_key"].choices = [(p.key, f"¶{p.order + 1}: {p.text[:70]}") for p in paragraphs]


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        widget=forms.EmailInput(attrs={"class": "usa-input", "autocomplete": "email"}),
    )


class CheckpointForm(forms.Form):
    """Ask another workstream to review the deliverable (not its own; not one asked already)."""

    workstream = forms.ModelChoiceField(
        label=_("Workstream to ask"),
        queryset=None,
        widget=forms.Select(attrs={"class": "usa-select"}),
        empty_label=_("Choose a workstream"),
    )
    note = forms.CharField(
        label=_("What should they look at?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "usa-textarea"}),
    )

    def __init__(self, *args, deliverable, **kwargs):
        from workstreams.models import Workstream

        super().__init__(*args, **kwargs)
        choices = (
            Workstream.objects.exclude(pk=deliverable.workstream_id)
            .exclude(checkpoints_asked__deliverable=deliverable)
            .order_by("track__number", "code")
        )
        self.fields["workstream"].queryset = choices
        # the report's cross-cutting workstream (C) holds regular checkpoints with the others: suggested
        if not self.is_bound:
            suggested = next((ws for ws in choices if ws.cross_cutting), None)
            if suggested is not None:
                self.initial.setdefault("workstream", suggested.pk)
                self.fields["workstream"].help_text = _(
                    "%(name)s is suggested: the report makes it a cross-cutting theme, with regular "
                    "coordination checkpoints with the other workstreams."
                ) % {"name": suggested.title}
