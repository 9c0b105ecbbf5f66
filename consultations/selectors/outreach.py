"""Reads of consultation outreach: invited against responded, by stakeholder type and organization,
with the gaps flagged; a fixed number of queries whatever the number of organizations or comments."""

from dataclasses import dataclass, field

from django.db.models import Q

from initiative.models import Organization, StakeholderType

from ..models import Comment, Outreach, OutreachInvitation, Review


def responded_organization_ids(review: Review) -> set[int]:
    """Organizations that commented in the consultation: on their behalf, or by one of their people."""
    rows = (
        Comment.objects.filter(review=review, hidden_at__isnull=True)
        .filter(Q(organization__isnull=False) | Q(author__organization__isnull=False))
        .values_list("organization_id", "author__organization_id")
        .distinct()
    )
    return {org or author_org for org, author_org in rows}


@dataclass
class TypeRow:
    type: str
    label: str
    invited: int = 0
    responded: int = 0
    type_invited: bool = False  # the type itself was chosen (not only some of its organizations)
    organizations: list = field(default_factory=list)  # [(organization, responded: bool)]

    @property
    def gap(self) -> bool:
        """Invited, and no organization of the type has answered."""
        return (self.type_invited or self.invited > 0) and self.responded == 0


@dataclass
class OutreachReport:
    outreach: Outreach | None
    rows: list[TypeRow]
    invited: int
    responded: int
    uninvited_responders: list  # organizations that answered without being invited

    @property
    def gaps(self) -> int:
        return sum(1 for r in self.rows if r.gap)


def outreach_report(review: Review) -> OutreachReport:
    outreach = Outreach.objects.filter(review=review).first()
    answered = responded_organization_ids(review)
    invitations = (
        list(OutreachInvitation.objects.filter(outreach=outreach).select_related("organization"))
        if outreach
        else []
    )
    types = set(outreach.stakeholder_types if outreach else [])
    rows: dict[str, TypeRow] = {}
    for value, label in StakeholderType.choices:
        if value in types or any(i.stakeholder_type == value for i in invitations):
            rows[value] = TypeRow(type=value, label=str(label), type_invited=value in types)
    for inv in invitations:
        row = rows[inv.stakeholder_type]
        did = inv.organization_id in answered
        row.invited += 1
        row.responded += int(did)
        row.organizations.append((inv.organization, did))
    invited_ids = {i.organization_id for i in invitations}
    extra = list(Organization.objects.filter(pk__in=answered - invited_ids).order_by("name"))
    return OutreachReport(
        outreach=outreach,
        rows=list(rows.values()),
        invited=len(invitations),
        responded=sum(r.responded for r in rows.values()),
        uninvited_responders=extra,
    )
