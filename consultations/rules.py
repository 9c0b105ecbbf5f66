"""Permissions on drafts and reviews (other modules of this app add theirs below)."""

import rules

from initiative.rules import is_committee_member, is_implementation_staff

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
    """The version is (or was) under a public consultation that has opened."""
    from django.utils import timezone

    if version is None:
        return False
    return version.reviews.public().filter(opens_at__lte=timezone.now()).exists()


# Who may comment in a review; whether the window is open is checked by the service at the moment of
# writing (Review.is_open), whatever any task has done.
rules.add_perm(
    "consultations.comment_on_review",
    (is_public_review & is_verified) | (is_member_review & is_member_for) | is_implementation_staff,
)


@rules.predicate
def shows_redacted_text(user, version) -> bool:
    """The version carries words that a redaction withholds from the deliverable's published copy: the
    redacted version itself, or another version of the same deliverable with the same words (the one
    that was under public consultation). Only staff and the committee may then read it."""
    from functools import reduce
    from operator import or_

    from django.db.models import Q

    from .services.publication import withheld_phrases

    if version is None:
        return False
    phrases = withheld_phrases(deliverable_id=version.deliverable_id)
    return (
        bool(phrases)
        and version.paragraphs.filter(reduce(or_, (Q(text__contains=w) for w in phrases))).exists()
    )


rules.add_perm(
    "consultations.view_draft",
    is_implementation_staff
    | is_committee_member
    | ((is_member_for | is_public_draft) & ~shows_redacted_text),
)
rules.add_perm(
    "consultations.view_review",
    is_public_review | is_implementation_staff | is_committee_member | is_member_for,
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
