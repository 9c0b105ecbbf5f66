"""Permissions on drafts and reviews (other modules of this app add theirs below)."""

import rules

from initiative.rules import cached_on_user, is_committee_member, is_implementation_staff

rules.add_perm("consultations.write_draft", is_implementation_staff)
rules.add_perm("consultations.manage_reviews", is_implementation_staff)
rules.add_perm("consultations.view_draft_history", is_implementation_staff | is_committee_member)


# Comments, moderation, dispositions, matrix --------------------------------------------------------
from initiative.rules import is_verified  # noqa: E402
from workstreams.rules import is_member_of_workstream  # noqa: E402


def _workstream_of(obj):
    """The workstream behind a Review, DraftVersion, Deliverable or Comment."""
    from workstreams.models import Deliverable

    from .models import Comment, DraftVersion, Review

    if isinstance(obj, Comment):
        obj = obj.review
    if isinstance(obj, Review):
        obj = obj.version
    if isinstance(obj, DraftVersion):
        obj = obj.deliverable
    return obj.workstream if isinstance(obj, Deliverable) else None


@rules.predicate
def is_member_for(user, obj) -> bool:
    """Enrolled in the workstream the review/version/deliverable/comment belongs to."""
    return obj is not None and is_member_of_workstream(user, _workstream_of(obj))


@rules.predicate
def is_public_review(user, review) -> bool:
    from .models import Review

    return review is not None and review.kind == Review.Kind.PUBLIC_CONSULTATION


@rules.predicate
def is_member_review(user, review) -> bool:
    from .models import Review

    return review is not None and review.kind == Review.Kind.MEMBER_REVIEW


@rules.predicate
def is_public_draft(user, version) -> bool:
    """The version is (or was) under a public consultation that has opened. Uses the version's
    prefetched reviews when a list page prefetched them (no query per version)."""
    from django.utils import timezone

    from .models import Review

    if version is None:
        return False
    now = timezone.now()
    prefetched = getattr(version, "_prefetched_objects_cache", {}).get("reviews")
    if prefetched is not None:
        return any(r.kind == Review.Kind.PUBLIC_CONSULTATION and r.opens_at <= now for r in prefetched)
    return version.reviews.public().filter(opens_at__lte=now).exists()


def _deliverable_of(obj):
    """The Deliverable behind a Review, DraftVersion, Deliverable or Comment."""
    from workstreams.models import Deliverable

    from .models import Comment, DraftVersion, Review

    if isinstance(obj, Comment):
        obj = obj.review
    if isinstance(obj, Review):
        obj = obj.version
    if isinstance(obj, DraftVersion):
        obj = obj.deliverable
    return obj if isinstance(obj, Deliverable) else None


@rules.predicate
def is_checkpoint_reviewer(user, obj) -> bool:
    """Enrolled in a workstream the deliverable asked for review (a cross-workstream checkpoint), while
    the deliverable is in member review: those members see and comment on the draft then."""
    from workstreams.models import Checkpoint, ReviewStage
    from workstreams.rules import enrolled_workstream_ids

    deliverable = _deliverable_of(obj) if obj is not None else None
    if deliverable is None or deliverable.stage != ReviewStage.MEMBER_REVIEW:
        return False
    mine = enrolled_workstream_ids(user) - {deliverable.workstream_id}
    if not mine:
        return False
    return cached_on_user(
        user,
        f"checkpoint:{deliverable.pk}",
        lambda: Checkpoint.objects.filter(deliverable_id=deliverable.pk, workstream_id__in=mine).exists(),
    )


# Who may comment in a review; whether the window is open is checked by the service at the moment of
# writing (Review.is_open), whatever any task has done.
rules.add_perm(
    "consultations.comment_on_review",
    (is_public_review & is_verified)
    | (is_member_review & (is_member_for | is_checkpoint_reviewer))
    | is_implementation_staff,
)


def _deliverable_id_of(obj) -> int | None:
    """The deliverable behind a Comment, Review, DraftVersion or Deliverable."""
    from workstreams.models import Deliverable

    from .models import Comment, DraftVersion, Review

    if isinstance(obj, Comment | Review):
        obj = obj.version
    if isinstance(obj, DraftVersion):
        return obj.deliverable_id
    return obj.pk if isinstance(obj, Deliverable) else None


@rules.predicate
def has_redactions(user, obj) -> bool:
    """A redaction withholds words of the deliverable from its published copy."""
    from .models import Redaction

    deliverable_id = _deliverable_id_of(obj)
    return (
        deliverable_id is not None
        and Redaction.objects.filter(version__deliverable_id=deliverable_id).exists()
    )


@rules.predicate
def is_published_version(user, version) -> bool:
    """The version is the one a publication made public (its rendered copy is in the library). Uses the
    `published` annotation when a list page computed it (no query per version)."""
    from .models import Publication

    if version is None:
        return False
    known = getattr(version, "published", None)
    if known is not None:
        return bool(known)
    return Publication.objects.public().filter(version=version).exists()


# After a redacted publication, earlier versions and comments stay readable: pages mask the redacted
# words for those who may not read the original (selectors.drafts.withheld_for). What cannot be masked,
# a comment's attached file, is withheld from them.
rules.add_perm(
    "consultations.view_draft",
    is_implementation_staff
    | is_committee_member
    | is_member_for
    | is_checkpoint_reviewer
    | is_public_draft
    | is_published_version,
)
rules.add_perm(
    "consultations.download_attachment",
    is_implementation_staff | is_committee_member | ~has_redactions,
)
rules.add_perm(
    "consultations.view_review",
    is_public_review | is_implementation_staff | is_committee_member | is_member_for | is_checkpoint_reviewer,
)
# Member-review comments on a deliverable: everyone enrolled in its workstream, whatever their role.
rules.add_perm(
    "consultations.view_member_comments", is_implementation_staff | is_committee_member | is_member_for
)
rules.add_perm("consultations.flag_comment", rules.always_allow)  # anyone, signed in or not
rules.add_perm("consultations.moderate_comments", is_implementation_staff)
rules.add_perm("consultations.dispose_comments", is_implementation_staff)
rules.add_perm("consultations.export_matrix", is_implementation_staff | is_committee_member)
rules.add_perm("consultations.view_orphaned", is_implementation_staff)

# Review workflow, approval and publication --------------------------------------------------------
from initiative.rules import is_authenticated, is_committee_chair  # noqa: E402

rules.add_perm("consultations.move_deliverable", is_implementation_staff)
rules.add_perm("consultations.waive_requirement", is_implementation_staff)
rules.add_perm("consultations.view_workflow", is_implementation_staff | is_committee_member)
rules.add_perm("consultations.vote_approval", is_committee_member)
rules.add_perm("consultations.close_approval", is_committee_chair)
rules.add_perm("consultations.view_approval", is_implementation_staff | is_committee_member)
rules.add_perm("consultations.redact", is_implementation_staff)
rules.add_perm("consultations.view_unredacted", is_implementation_staff | is_committee_member)
rules.add_perm("consultations.view_task_failures", is_implementation_staff)
rules.add_perm("consultations.follow_deliverable", is_authenticated)

# Endorsements ------------------------------------------------------------------------------------------


@rules.predicate
def is_representative(user) -> bool:
    """Designated representative of some organization."""
    if not getattr(user, "is_authenticated", False):
        return False
    cached = getattr(user, "_represents_any", None)
    if cached is None:
        cached = user.represented_organizations.exists()
        user._represents_any = cached
    return cached


rules.add_perm("consultations.manage_endorsements", is_implementation_staff)
# The window page (positions, statements, who has not answered): staff, the committee, the workstream's
# members and representatives. The published tally and statements also appear on public pages.
rules.add_perm(
    "consultations.view_endorsements",
    is_implementation_staff | is_committee_member | is_member_of_workstream | is_representative,
)

# Consultation outreach: staff invite stakeholder types and organizations, and see who answered.
rules.add_perm("consultations.manage_outreach", is_implementation_staff)
# The participation record (sessions, comments, ballots, endorsements of every participant): staff.
rules.add_perm("consultations.view_participation", is_implementation_staff)
