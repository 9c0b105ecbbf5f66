"""Template helpers of the consultations app, so the shared include templates need only their objects
(`old`/`new`, `review`) in context."""

from django import template

from .. import diff, selectors

register = template.Library()

MATRIX_PREVIEW_ROWS = 50


@register.simple_tag(takes_context=True)
def version_diff_rows(context, old, new):
    """`{% version_diff_rows old new as rows %}`, with the words in the context's `withheld` (if any)
    masked on both sides."""
    return diff.diff_versions(old, new, withheld=context.get("withheld") or ())


@register.simple_tag
def review_summary_of(review):
    """`{% review_summary_of review as summary %}`"""
    return selectors.review_summary(review)


@register.simple_tag(takes_context=True)
def matrix_preview(context, review, limit: int = MATRIX_PREVIEW_ROWS):
    """The first `limit` rows of a review's matrix, and whether there are more; the redacted words
    masked for a reader who may not see the original."""
    from ..selectors import drafts

    rows = list(selectors.matrix_rows(review)[: limit + 1])
    request = context.get("request")
    user = getattr(request, "user", None)
    withheld = drafts.withheld_for(user=user, deliverable_id=review.version.deliverable_id)
    drafts.mask_comments(rows, withheld, markdown=False, replies=False)
    return {"rows": rows[:limit], "more": len(rows) > limit}


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.simple_tag(takes_context=True)
def open_votes_for_me(context):
    """Open steering-committee votes, each with the current user's vote (or None), for a committee
    member's dashboard; an empty list for everyone else."""
    from initiative import policy

    from ..models import Vote
    from ..selectors.workflow import open_approval_list

    user = context["request"].user
    if not policy.can(user, "consultations.vote_approval"):
        return []
    approvals = list(open_approval_list())
    mine = {
        v.approval_id: v for v in Vote.objects.filter(member=user, approval__in=[a.pk for a in approvals])
    }
    return [{"approval": a, "vote": mine.get(a.pk)} for a in approvals]


@register.simple_tag(takes_context=True)
def draft_access_for(context, deliverables):
    """`{% draft_access_for workstream.deliverables.all as drafts %}`: {deliverable id: DraftAccess} for
    the current user — the newest version each may read, or why none is open to them (two queries)."""
    from ..selectors import drafts

    return drafts.draft_access_map(user=context["request"].user, deliverables=list(deliverables))


@register.simple_tag(takes_context=True)
def reviews_open_for_me(context):
    """Review windows open now in the current user's workstreams, with the comments they left there."""
    from ..selectors.reviews import review_list_open_for

    user = context["request"].user
    return list(review_list_open_for(user=user)) if user.is_authenticated else []


@register.simple_tag(takes_context=True)
def consultation_work(context):
    """For staff: each open review with its matrix progress, and the moderation queue's size; None for
    anyone who may not moderate."""
    from initiative import policy

    from ..selectors.reviews import flagged_comment_count, review_list_open_with_progress

    if not policy.can(context["request"].user, "consultations.moderate_comments"):
        return None
    return {"reviews": list(review_list_open_with_progress()), "flagged": flagged_comment_count()}
