"""Forms for comments, moderation, dispositions, versions and review windows. They parse;
the services decide."""

import zoneinfo
from datetime import datetime

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from initiative.models import StakeholderType
from initiative.widgets import CharacterCountTextarea, DateTimesInZoneMixin

from ..models import Disposition, Review
from ..models.comments import MAX_COMMENT_LENGTH
from ..redaction import mask

US_TIME_ZONES = [
    ("America/New_York", _("Eastern (New York)")),
    ("America/Chicago", _("Central (Chicago)")),
    ("America/Denver", _("Mountain (Denver)")),
    ("America/Phoenix", _("Mountain, no DST (Phoenix)")),
    ("America/Los_Angeles", _("Pacific (Los Angeles)")),
    ("America/Anchorage", _("Alaska (Anchorage)")),
    ("Pacific/Honolulu", _("Hawaii (Honolulu)")),
    ("UTC", _("UTC")),
]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class CommentForm(forms.Form):
    # no max_length: the service refuses an over-long comment and the form keeps the text (never cut)
    body = forms.CharField(
        label=_("Your comment"),
        widget=CharacterCountTextarea(limit=MAX_COMMENT_LENGTH, attrs={"class": "usa-textarea", "rows": 5}),
        strip=True,
        help_text=_("Plain text or Markdown, at most 5,000 characters. Your email address is never shown."),
        error_messages={"required": _("Write a comment before sending it.")},
    )
    paragraph_key = forms.CharField(required=False, widget=forms.HiddenInput)
    question = forms.TypedChoiceField(
        label=_("Does this answer one of the consultation's questions?"),
        required=False,
        coerce=int,
        empty_value=None,
        widget=forms.Select(attrs={"class": "usa-select"}),
    )
    on_behalf = forms.BooleanField(label=_("Comment on behalf of my organization"), required=False)
    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
        help_text=_("PDF or office documents, at most 10 files of 10 MB each."),
        widget=MultipleFileInput(
            attrs={
                "class": "usa-file-input",
                "accept": ".pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.odt,.ods,.odp,.rtf",
            }
        ),
    )

    def __init__(self, *args, questions=(), organization=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.question_map = {q.pk: q for q in questions}
        self.fields["question"].choices = [("", _("No, a general comment"))] + [
            (q.pk, f"{q.number}. {q.text[:140]}") for q in questions
        ]
        if not questions:
            del self.fields["question"]
        if organization is None:
            del self.fields["on_behalf"]
        else:
            self.fields["on_behalf"].label = _("Comment on behalf of %(org)s") % {"org": organization.name}


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your reply"),
        widget=CharacterCountTextarea(limit=MAX_COMMENT_LENGTH, attrs={"class": "usa-textarea", "rows": 3}),
        error_messages={"required": _("Write a reply before sending it.")},
    )
    on_behalf = forms.BooleanField(label=_("Reply on behalf of my organization"), required=False)


class FlagForm(forms.Form):
    reason = forms.CharField(
        label=_("Why should a moderator look at this comment?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"class": "usa-textarea", "rows": 3}),
    )


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (the author is told)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"class": "usa-textarea", "rows": 3}),
    )


class DispositionForm(forms.Form):
    disposition = forms.ChoiceField(
        label=_("Disposition"),
        choices=Disposition.choices,
        widget=forms.Select(attrs={"class": "usa-select"}),
    )
    response = forms.CharField(
        label=_("Response"), widget=forms.Textarea(attrs={"class": "usa-textarea", "rows": 4})
    )
    addressed_in = forms.TypedChoiceField(
        label=_("Version that addressed it"),
        required=False,
        coerce=int,
        empty_value=None,
        widget=forms.Select(attrs={"class": "usa-select"}),
    )

    def __init__(self, *args, versions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.version_map = {v.pk: v for v in versions}
        self.fields["addressed_in"].choices = [("", _("None yet"))] + [
            (v.pk, _("Version %(n)d") % {"n": v.number}) for v in versions
        ]


class MatrixFilterForm(forms.Form):
    paragraph = forms.ChoiceField(
        label=_("Paragraph"), required=False, widget=forms.Select(attrs={"class": "usa-select"})
    )
    disposition = forms.ChoiceField(
        label=_("Disposition"),
        required=False,
        widget=forms.Select(attrs={"class": "usa-select"}),
        choices=[("", _("Any")), ("none", _("No disposition yet")), *Disposition.choices],
    )
    stakeholder_type = forms.ChoiceField(
        label=_("Stakeholder type"),
        required=False,
        choices=[("", _("Any")), *StakeholderType.choices],
        widget=forms.Select(attrs={"class": "usa-select"}),
    )

    def __init__(self, *args, paragraphs=(), withheld=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["paragraph"].choices = [("", _("Any")), ("whole", _("Whole draft"))] + [
            (p.key, f"¶{p.order + 1} {mask(p.text, withheld)[:60]}") for p in paragraphs
        ]

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        out = {}
        para = self.cleaned_data.get("paragraph")
        if para:
            out["paragraph"] = "" if para == "whole" else para
        for name in ("disposition", "stakeholder_type"):
            if self.cleaned_data.get(name):
                out[name] = self.cleaned_data[name]
        return out


class VersionForm(forms.Form):
    title = forms.CharField(
        label=_("Title"), max_length=300, required=False, widget=forms.TextInput(attrs={"class": "usa-input"})
    )
    body = forms.CharField(
        label=_("Text (Markdown)"),
        widget=forms.Textarea(attrs={"class": "usa-textarea", "rows": 24}),
        help_text=_("Headings start sections; each paragraph, list or table can be commented on."),
    )
    change_note = forms.CharField(
        label=_("What changed"),
        required=False,
        widget=forms.Textarea(attrs={"class": "usa-textarea", "rows": 3}),
    )


def _aware(value: datetime, tz_name: str) -> datetime:
    return value.replace(tzinfo=zoneinfo.ZoneInfo(tz_name))


class WindowTimesMixin(DateTimesInZoneMixin, forms.Form):
    zone_field = "time_zone"
    time_zone = forms.ChoiceField(
        label=_("Time zone of the times above"),
        choices=US_TIME_ZONES,
        widget=forms.Select(attrs={"class": "usa-select"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].initial = settings.TIME_ZONE

    def aware(self, name: str) -> datetime:
        return _aware(self.cleaned_data[name], self.cleaned_data["time_zone"])


_DT = {"class": "usa-input", "type": "datetime-local"}


class ReviewOpenForm(WindowTimesMixin):
    version = forms.TypedChoiceField(
        label=_("Version"), coerce=int, widget=forms.Select(attrs={"class": "usa-select"})
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=Review.Kind.choices, widget=forms.Select(attrs={"class": "usa-select"})
    )
    opens_at = forms.DateTimeField(
        label=_("Opens at"), widget=forms.DateTimeInput(attrs=_DT, format="%Y-%m-%dT%H:%M")
    )
    closes_at = forms.DateTimeField(
        label=_("Closes at"), widget=forms.DateTimeInput(attrs=_DT, format="%Y-%m-%dT%H:%M")
    )

    questions = forms.TypedMultipleChoiceField(
        label=_("Questions of this consultation"),
        required=False,
        coerce=int,
        help_text=_("Choose none to offer all of the workstream's illustrative questions."),
        widget=forms.SelectMultiple(attrs={"class": "usa-select", "size": 6}),
    )

    field_order = ["version", "kind", "opens_at", "closes_at", "time_zone", "questions"]

    def __init__(self, *args, versions=(), questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.version_map = {v.pk: v for v in versions}
        self.fields["version"].choices = [(v.pk, _("Version %(n)d") % {"n": v.number}) for v in versions]
        self.question_map = {q.pk: q for q in questions}
        self.fields["questions"].choices = [(q.pk, f"{q.number}. {q.text[:140]}") for q in questions]
        if not questions:
            del self.fields["questions"]


class ReviewExtendForm(WindowTimesMixin):
    closes_at = forms.DateTimeField(
        label=_("New closing time"), widget=forms.DateTimeInput(attrs=_DT, format="%Y-%m-%dT%H:%M")
    )

    field_order = ["closes_at", "time_zone"]


class VersionTranslationForm(forms.Form):
    """The Spanish text of one version: its title and a box per paragraph, each labelled with the
    paragraph's number (its English text is shown beside it)."""

    title_es = forms.CharField(
        label=_("Title in Spanish"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"class": "usa-input", "lang": "es"}),
    )

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("title_es", version.title_es or "")
        self.paragraphs = list(version.paragraphs.order_by("order"))
        for number, paragraph in enumerate(self.paragraphs, start=1):
            name = f"p_{paragraph.key}"
            self.fields[name] = forms.CharField(
                label=_("Paragraph %(n)s in Spanish") % {"n": number},
                required=False,
                max_length=20000,
                widget=forms.Textarea(attrs={"class": "usa-textarea", "rows": 4, "lang": "es"}),
            )
            self.initial.setdefault(name, paragraph.text_es or "")
        for paragraph in self.paragraphs:
            paragraph.field = self[f"p_{paragraph.key}"]  # the bound field, for the template

    def texts(self) -> dict[str, str]:
        return {p.key: self.cleaned_data.get(f"p_{p.key}", "") for p in self.paragraphs}
