"""Forms of the Track 1 framework pages: a matrix cell, a topic link, the framing questions, the roadmap."""

from django import forms
from django.utils.translation import gettext_lazy as _

from initiative.jurisdictions import ISO_RTO_REGIONS, US_STATES

from ..models import MatrixRole, Sharing
from .prioritization import RoundForm

UNSURE = "unsure"


class MatrixCellForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=MatrixRole.choices)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "usa-textarea"}),
        help_text=_("What the actor does here."),
    )
    source = forms.CharField(
        label=_("Source"),
        required=False,
        max_length=200,
        help_text=_("Where this comes from, e.g. “Table 3” or “Working session of March 3”."),
    )
    seen_revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, prefix_id: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].widget.attrs["class"] = "usa-select"
        self.fields["source"].widget.attrs["class"] = "usa-input"
        # Several cell forms can be open on one page: ids must not collide.
        self.auto_id = f"id_{prefix_id}_%s" if prefix_id else "id_%s"


class TopicLinkForm(forms.Form):
    """`topics` is an evaluated list (one query for all the candidate rows' forms on a page)."""

    topic = forms.TypedChoiceField(label=_("Track 2 topic"), coerce=int)

    def __init__(self, *args, topics, prefix_id: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.topics = {t.pk: t for t in topics}
        self.fields["topic"].choices = [("", _("Choose a topic"))] + [
            (t.pk, f"{t.workstream.code}: {t.title}") for t in topics
        ]
        self.fields["topic"].widget.attrs["class"] = "usa-select"
        self.auto_id = f"id_{prefix_id}_%s" if prefix_id else "id_%s"


JURISDICTIONS = [("", _("Not saying"))] + [
    (_("States"), US_STATES),
    (_("ISO/RTO regions"), ISO_RTO_REGIONS),
]


class FramingForm(forms.Form):
    """Table 1's questions as radio groups (built from the loaded questions and options), plus an
    optional jurisdiction that is only echoed back. Submitted by GET: nothing is stored."""

    jurisdiction = forms.ChoiceField(label=_("Jurisdiction"), required=False, choices=JURISDICTIONS)

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].widget.attrs["class"] = "usa-select"
        self.groups = []
        for group in groups:
            names = []
            for question in group.questions.all():
                choices = [(o.slug, o.label) for o in question.options.all()] + [(UNSURE, _("Unsure"))]
                self.fields[question.slug] = forms.ChoiceField(
                    label=question.text,
                    choices=choices,
                    required=False,
                    widget=forms.RadioSelect(attrs={"class": "usa-radio__input"}),
                )
                names.append(question.slug)
            self.groups.append((group, [self[name] for name in names]))

    def answers(self) -> dict[str, str]:
        if not self.is_bound or not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if k != "jurisdiction" and v}


class RoadmapForm(forms.Form):
    current = forms.ChoiceField(label=_("Current model"))
    target = forms.ChoiceField(label=_("Target model"))

    def __init__(self, *args, models, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("current", "target"):
            self.fields[name].choices = [(m.slug, m.name) for m in models]
            self.fields[name].widget.attrs["class"] = "usa-select"


class AssessmentForm(FramingForm):
    """The framing questions plus what saving needs: a title and a sharing level. The jurisdiction places
    a published assessment on the public map (by state or ISO/RTO region, never by name)."""

    title = forms.CharField(label=_("Title"), max_length=200, help_text=_("For example “2027 baseline”."))
    sharing = forms.ChoiceField(
        label=_("Who may see it"),
        choices=Sharing.choices,
        initial=Sharing.PRIVATE,
        widget=forms.RadioSelect(attrs={"class": "usa-radio__input"}),
    )

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, groups=groups, **kwargs)
        self.fields["title"].widget.attrs["class"] = "usa-input"
        self.fields["jurisdiction"].label = _("Jurisdiction (state or ISO/RTO region)")

    def answers(self) -> dict[str, str]:
        if not self.is_bound or not self.is_valid():
            return {}
        skip = {"jurisdiction", "title", "sharing"}
        return {k: v for k, v in self.cleaned_data.items() if k not in skip and v}

    @staticmethod
    def initial_for(assessment) -> dict:
        return {
            "title": assessment.title,
            "sharing": assessment.sharing,
            "jurisdiction": assessment.jurisdiction,
            **assessment.answers,
        }


class CompareAssessmentsForm(forms.Form):
    a = forms.TypedChoiceField(label=_("First assessment"), coerce=int)
    b = forms.TypedChoiceField(label=_("Second assessment"), coerce=int)

    def __init__(self, *args, assessments, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(a.pk, f"{a.title} ({a.updated_at:%Y-%m-%d})") for a in assessments]
        for name in ("a", "b"):
            self.fields[name].choices = choices
            self.fields[name].widget.attrs["class"] = "usa-select"

    def clean(self):
        data = super().clean()
        if data.get("a") and data.get("a") == data.get("b"):
            raise forms.ValidationError(_("Choose two different assessments."))
        return data


# Models as a process -------------------------------------------------------------------------------------


def position_choices(models) -> list[tuple[int, str]]:
    """Positions from the most centralized model's to the most decentralized one's, each labelled with
    the models already there."""
    if not models:
        return [(0, "0")]
    at: dict[int, list[str]] = {}
    for m in models:
        at.setdefault(m.position, []).append(m.name)
    lo, hi = min(at), max(at)
    return [(p, f"{p} — {', '.join(at[p])}" if p in at else str(p)) for p in range(lo, hi + 1)]


class OperatingModelForm(forms.Form):
    """A proposal or its revision: name, position on the spectrum, description and Table 3's five
    dimensions (one text field each, built from the loaded dimensions)."""

    name = forms.CharField(
        label=_("Name"), max_length=200, widget=forms.TextInput(attrs={"class": "usa-input"})
    )
    position = forms.TypedChoiceField(
        label=_("Position on the spectrum"),
        coerce=int,
        help_text=_(
            "From centralized (Total TSO) to decentralized (Total DSO); the models there now are named."
        ),
        widget=forms.Select(attrs={"class": "usa-select"}),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "class": "usa-textarea"}),
    )
    seen_revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)

    def __init__(self, *args, dimensions, models, **kwargs):
        super().__init__(*args, **kwargs)
        self.dimensions = list(dimensions)
        self.fields["position"].choices = position_choices(models)
        for d in self.dimensions:
            self.fields[f"dim_{d.slug}"] = forms.CharField(
                label=d.name,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2, "class": "usa-textarea"}),
            )

    @classmethod
    def initial_for(cls, model) -> dict:
        initial = {
            "name": model.name,
            "position": model.position,
            "description": model.description,
            "seen_revision": model.revision,
        }
        initial.update({f"dim_{k}": v for k, v in (model.dimensions or {}).items()})
        return initial

    def dimension_values(self) -> dict:
        return {d.slug: self.cleaned_data.get(f"dim_{d.slug}", "") for d in self.dimensions}


class ModelCommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"), widget=forms.Textarea(attrs={"rows": 4, "class": "usa-textarea"})
    )


class ModelMergeForm(forms.Form):
    target = forms.ChoiceField(label=_("Merge into"), widget=forms.Select(attrs={"class": "usa-select"}))
    reason = forms.CharField(
        label=_("Why (kept on the record)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "usa-textarea"}),
    )

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [(m.slug, m.name) for m in targets]


class ModelRetireForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it is retired (kept on the record)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "usa-textarea"}),
    )


class ModelFreezeForm(forms.Form):
    note = forms.CharField(
        label=_("What this version is for (e.g. “as cited in the draft report”)"),
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"class": "usa-input"}),
    )


class ModelRoundForm(RoundForm):
    """The prioritization round form, over models instead of topics."""

    def __init__(self, *args, models, **kwargs):
        super().__init__(*args, workstream=None, **kwargs)
        del self.fields["topics"]
        self.models = {m.slug: m for m in models}
        self.fields["models"] = forms.MultipleChoiceField(
            label=_("Models to rank"),
            choices=[(m.slug, m.name) for m in models],
            initial=list(self.models),
            widget=forms.CheckboxSelectMultiple(attrs={"class": "usa-checkbox__input"}),
        )

    def clean(self):
        data = super().clean()
        if data.get("models") is not None and len(data["models"]) < 2:
            self.add_error("models", _("Choose at least two models."))
        return data

    def chosen(self) -> list:
        return [self.models[s] for s in self.cleaned_data["models"]]


class ModelAdoptForm(forms.Form):
    models = forms.MultipleChoiceField(
        label=_("Models to adopt"),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "usa-checkbox__input"}),
    )
    reason = forms.CharField(
        label=_("Note for the record"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "usa-textarea"}),
    )

    def __init__(self, *args, ranked, **kwargs):
        super().__init__(*args, **kwargs)
        self.by_slug = {r["model"].slug: r["model"] for r in ranked}
        self.fields["models"].choices = [
            (r["model"].slug, f"{r['rank']}. {r['model'].name} ({r['points']} points)") for r in ranked
        ]

    def chosen(self) -> list:
        return [self.by_slug[s] for s in self.cleaned_data["models"]]
