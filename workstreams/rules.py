"""Permissions on workstreams, built from the shared predicates of `initiative.rules`, and the predicates
about enrollment (the governance core knows nothing of workstreams)."""

import rules

from initiative.rules import (
    cached_on_user,
    is_authenticated,
    is_committee_member,
    is_implementation_staff,
    is_self,
    role_source,
    roles_of,
)


@role_source("enrolled", model="workstreams.Enrollment")
def _enrollment_rows(user):
    from django.db.models import CharField, Value
    from django.db.models.functions import Cast

    from .models import Enrollment

    return (
        Enrollment.objects.active()
        .filter(user=user)
        .annotate(
            source=Value("enrolled", output_field=CharField()),
            a=Cast("workstream_id", CharField()),
            b=Cast("role", CharField()),
        )
        .values_list("source", "a", "b")
    )


def enrolled_workstream_ids(user) -> frozenset[int]:
    """Ids of the workstreams the user currently takes part in (read with the other roles: one query)."""
    if not (user and user.is_authenticated):
        return frozenset()
    return cached_on_user(
        user, "enrolled", lambda: frozenset(int(a) for a, _ in roles_of(user).get("enrolled", ()))
    )


def active_member_workstream_ids(user) -> frozenset[int]:
    """Ids of the workstreams the user takes part in as an active member (sessions, ballots, member
    reviews), not as a feedback provider. Read with the other roles: no query of its own."""
    if not (user and user.is_authenticated):
        return frozenset()
    return cached_on_user(
        user,
        "active_member",
        lambda: frozenset(
            int(a) for a, role in roles_of(user).get("enrolled", ()) if role == "active_member"
        ),
    )


@rules.predicate
def is_participant(user) -> bool:
    """Enrolled in at least one workstream."""
    return bool(enrolled_workstream_ids(user))


@rules.predicate
def is_member_of_workstream(user, workstream) -> bool:
    """Enrolled (and not withdrawn) in this workstream."""
    return workstream is not None and workstream.pk in enrolled_workstream_ids(user)


@rules.predicate
def is_active_member(user, obj) -> bool:
    """An active member of the workstream `obj` is, or belongs to (a session, round or action item):
    feedback providers take part through comments on drafts, not in working sessions or ballots."""
    from .models import Workstream

    if obj is None:
        return False
    workstream_id = obj.pk if isinstance(obj, Workstream) else obj.workstream_id
    return workstream_id in active_member_workstream_ids(user)


rules.add_perm("workstreams.manage_workstream", is_implementation_staff)
rules.add_perm("workstreams.invite_participant", is_implementation_staff)
rules.add_perm("workstreams.view_invitations", is_implementation_staff)
# The members' area of a workstream: its sessions' meeting links, minutes and attendance, its action items
# and its rounds. The one definition: `view_round`, `view_session_private` and the lists' scope
# (`selectors.members_area_scope`) are this rule.
is_in_members_area = is_active_member | is_implementation_staff | is_committee_member
rules.add_perm("workstreams.view_members_area", is_in_members_area)
rules.add_perm("workstreams.withdraw_enrollment", is_authenticated & is_self)
# Every workstream's members' area at once (lists across workstreams: rounds, minutes, action items).
rules.add_perm("workstreams.view_every_members_area", is_implementation_staff | is_committee_member)


@rules.predicate
def is_owner(user, obj) -> bool:
    return is_authenticated(user) and obj is not None and getattr(obj, "owner_id", None) == user.pk


# Lifecycle, prioritization, sessions, action items, tracker ----------------------------------------
rules.add_perm("workstreams.manage_deliverables", is_implementation_staff)
rules.add_perm("workstreams.view_tracker", is_implementation_staff)
rules.add_perm("workstreams.view_staff_dashboard", is_implementation_staff)
rules.add_perm("workstreams.view_representation", is_implementation_staff)


@rules.predicate
def is_in_round_electorate(user, round) -> bool:
    """The round's electorate admits the voter's stakeholder type (a regulators-only round admits state
    and federal regulators only; the type is the organization's, as the ballot records it)."""
    if not is_authenticated(user) or round is None:
        return False
    return round.weight_of(user.effective_stakeholder_type) > 0


rules.add_perm("workstreams.vote_in_round", is_active_member & is_in_round_electorate)
rules.add_perm("workstreams.propose_topic", is_active_member | is_implementation_staff)
rules.add_perm("workstreams.view_round", is_in_members_area)
# The meeting link, minutes, attendance and action items of a session.
rules.add_perm("workstreams.view_session_private", is_in_members_area)
rules.add_perm("workstreams.update_action_item", is_owner | is_implementation_staff)


# Track 1 framework. Workstream A (the framework's home workstream) is where models are proposed and
# argued: its members propose models, comment on them, reword and fill the matrix of a model while it is
# proposed, and edit the data exchanged between actors. Staff edit any open model's matrix, merge, retire
# and adopt models, run the ranking round, freeze versions, and link least-regrets candidates.
@rules.predicate
def is_framework_member(user) -> bool:
    """Enrolled in the framework's home workstream (Workstream A)."""
    if not (user and user.is_authenticated):
        return False

    def compute():
        from .models import Workstream
        from .selectors.framework import framework_home

        code = framework_home().get("workstream")
        ids = enrolled_workstream_ids(user)
        return bool(code and ids) and Workstream.objects.filter(code=code, pk__in=ids).exists()

    return cached_on_user(user, "framework_member", compute)


@rules.predicate
def is_proposed_model(user, model) -> bool:
    from .models import ModelStatus

    return model is not None and getattr(model, "status", None) == ModelStatus.PROPOSED


@rules.predicate
def is_open_model(user, model) -> bool:
    return model is None or getattr(model, "is_open", False)


rules.add_perm(
    "workstreams.edit_framework",
    (is_implementation_staff & is_open_model) | (is_framework_member & is_proposed_model),
)
rules.add_perm(
    "workstreams.revise_model",
    (is_implementation_staff & is_open_model) | (is_framework_member & is_proposed_model),
)
rules.add_perm("workstreams.propose_model", is_framework_member | is_implementation_staff)
rules.add_perm("workstreams.comment_on_model", is_framework_member | is_implementation_staff)
rules.add_perm("workstreams.manage_models", is_implementation_staff)
rules.add_perm("workstreams.link_least_regrets", is_implementation_staff)
rules.add_perm("workstreams.edit_interfaces", is_framework_member | is_implementation_staff)


# Glossary: participants propose terms, reword open terms and comment; staff move terms through their
# statuses and mark a wording agreed for Workstream A.
@rules.predicate
def is_open_term(user, term) -> bool:
    from .models import TermStatus

    return term is not None and term.status in (TermStatus.PROPOSED, TermStatus.UNDER_DISCUSSION)


rules.add_perm("workstreams.propose_term", is_participant | is_implementation_staff)
rules.add_perm("workstreams.revise_definition", (is_participant & is_open_term) | is_implementation_staff)
rules.add_perm("workstreams.comment_on_term", is_participant | is_implementation_staff | is_committee_member)
rules.add_perm("workstreams.manage_glossary", is_implementation_staff)


# Self-assessments: regulators and utilities save their answers to the framing questions.
ASSESSOR_TYPES = frozenset(
    {
        "state_regulator",
        "federal_agency",
        "iou",
        "municipal_utility",
        "cooperative_utility",
        "transmission_utility",
        "iso_rto",
    }
)


@rules.predicate
def is_regulator_or_utility(user) -> bool:
    """A regulator or a utility by its organization's stakeholder type (or, for someone taking part on
    their own, by theirs)."""
    if not (user and user.is_authenticated):
        return False
    kind = user.organization.type if user.organization_id else user.stakeholder_type
    return kind in ASSESSOR_TYPES


@rules.predicate
def may_read_assessment(user, assessment) -> bool:
    from .models import Sharing

    if assessment is None:
        return False
    if assessment.sharing == Sharing.PUBLISHED:
        return True
    if not (user and user.is_authenticated):
        return False
    if assessment.owner_id == user.pk:
        return True
    return (
        assessment.sharing == Sharing.ORGANIZATION
        and assessment.organization_id is not None
        and assessment.organization_id == user.organization_id
    )


@rules.predicate
def owns_assessment(user, assessment) -> bool:
    return is_authenticated(user) and assessment is not None and assessment.owner_id == user.pk


rules.add_perm("workstreams.save_assessment", is_regulator_or_utility)
rules.add_perm("workstreams.view_assessment", may_read_assessment)
rules.add_perm("workstreams.change_assessment", owns_assessment)

rules.add_perm("workstreams.manage_related_efforts", is_implementation_staff)


# Track 3 issue areas as living documents: staff, the area's owners and the dialogue's participants
# (enrolled in a Track 3 workstream, i.e. the workshop participants) draft the sections; any
# participant of the initiative (a member), staff and the committee comment; staff set owners and dates,
# complete re-evaluations and record decisions.
def dialogue_workstream_ids(user) -> frozenset[int]:
    from .models import Workstream

    return cached_on_user(
        user,
        "track3_workstreams",
        lambda: frozenset(Workstream.objects.filter(track__number=3).values_list("pk", flat=True)),
    )


@rules.predicate
def is_dialogue_participant(user) -> bool:
    return (
        bool(enrolled_workstream_ids(user) & dialogue_workstream_ids(user))
        if is_authenticated(user)
        else False
    )


@rules.predicate
def is_area_owner(user, area) -> bool:
    return is_authenticated(user) and area is not None and area.owners.filter(pk=user.pk).exists()


rules.add_perm(
    "workstreams.draft_issue_area", is_implementation_staff | is_dialogue_participant | is_area_owner
)
rules.add_perm(
    "workstreams.comment_on_issue_area", is_participant | is_implementation_staff | is_committee_member
)
rules.add_perm("workstreams.manage_issue_area", is_implementation_staff)

# Cross-workstream checkpoints: staff ask another workstream to review a deliverable.
rules.add_perm("workstreams.ask_checkpoint", is_implementation_staff)
