"""Reads of endorsements for the window page, the approval, publication and decision pages: the tally
by stakeholder type and the statements, in a fixed number of queries."""

from dataclasses import dataclass, field

from django.db.models import Count
from django.shortcuts import get_object_or_404

from initiative.models import Organization, StakeholderType
from workstreams.models import Enrollment

from ..models import Endorsement, EndorsementWindow, Position


def participating_organizations(deliverable):
    """Organizations with an active enrollment in the deliverable's workstream."""
    org_ids = (
        Enrollment.objects.active()
        .filter(workstream_id=deliverable.workstream_id, organization__isnull=False)
        .values("organization_id")
    )
    return Organization.objects.filter(pk__in=org_ids)


@dataclass
class TallyRow:
    type: str
    label: str
    counts: list[int]  # in the order of Position
    total: int


@dataclass
class EndorsementSummary:
    window: EndorsementWindow
    positions: list[tuple[str, str]]  # Position choices, the tally's columns
    rows: list[TallyRow]
    totals: list[int]
    total: int
    statements: list[Endorsement]  # what this viewer may read, with the organization's name
    withheld: int  # dissenting statements kept off public pages at the organization's request
    full: bool = False
    not_answered: list[Organization] = field(default_factory=list)  # full view only


def window_get(*, pk: int) -> EndorsementWindow:
    return get_object_or_404(
        EndorsementWindow.objects.select_related("version", "deliverable__workstream", "opened_by"), pk=pk
    )


def endorsement_summary(window: EndorsementWindow | None, *, full: bool = False) -> EndorsementSummary | None:
    """The tally by stakeholder type (one row per type that answered, positions as columns) and the
    statements. `full` (staff, committee): every statement, withheld ones marked, and the participating
    organizations that have not answered; otherwise only published statements."""
    if window is None:
        return None
    positions = list(Position.choices)
    counts = {
        (r["stakeholder_type"], r["position"]): r["n"]
        for r in Endorsement.objects.filter(window=window)
        .values("stakeholder_type", "position")
        .annotate(n=Count("id"))
    }
    labels = dict(StakeholderType.choices)
    rows = []
    for type_value, type_label in StakeholderType.choices:
        row = [counts.get((type_value, p), 0) for p, _ in positions]
        if any(row):
            rows.append(TallyRow(type_value, str(type_label), row, sum(row)))
    for type_value, _p in counts:  # a type no longer in the choices still counts
        if type_value not in labels and not any(r.type == type_value for r in rows):
            row = [counts.get((type_value, p), 0) for p, _ in positions]
            rows.append(TallyRow(type_value, type_value, row, sum(row)))
    totals = [sum(r.counts[i] for r in rows) for i in range(len(positions))]
    with_statement = list(
        Endorsement.objects.filter(window=window).exclude(statement="").select_related("organization")
    )
    withheld = sum(1 for e in with_statement if not e.is_published)
    statements = with_statement if full else [e for e in with_statement if e.is_published]
    not_answered = []
    if full:
        not_answered = list(
            participating_organizations(window.deliverable)
            .exclude(pk__in=Endorsement.objects.filter(window=window).values("organization_id"))
            .select_related("representative")
            .order_by("name")
        )
    return EndorsementSummary(
        window=window,
        positions=positions,
        rows=rows,
        totals=totals,
        total=sum(totals),
        statements=statements,
        withheld=withheld,
        full=full,
        not_answered=not_answered,
    )


def window_for_version(version_id: int | None) -> EndorsementWindow | None:
    if version_id is None:
        return None
    return (
        EndorsementWindow.objects.select_related("version", "deliverable")
        .filter(version_id=version_id)
        .first()
    )


def totals_by_version(version_ids) -> dict[int, dict[str, int]]:
    """{version id: {position: count}} for list pages, in one query."""
    out: dict[int, dict[str, int]] = {}
    for r in (
        Endorsement.objects.filter(window__version_id__in=list(version_ids))
        .values("window__version_id", "position")
        .annotate(n=Count("id"))
    ):
        out.setdefault(r["window__version_id"], {})[r["position"]] = r["n"]
    return out


def represented_organizations(user, window: EndorsementWindow):
    """The participating organizations `user` is the designated representative of (a queryset)."""
    if not getattr(user, "is_authenticated", False):
        return Organization.objects.none()
    return participating_organizations(window.deliverable).filter(representative=user).order_by("name")


def windows_for_deliverable(deliverable) -> list[EndorsementWindow]:
    return list(
        EndorsementWindow.objects.filter(deliverable=deliverable)
        .select_related("version")
        .annotate(answered=Count("positions"))
        .order_by("-opens_at")
    )
