"""Posting comments and replies, flags, moderation, dispositions and attachment downloads."""

import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from initiative import policy, ratelimit, readcache
from initiative.redirects import next_url

from ..forms.comments import DispositionForm, FlagForm, HideForm, ReplyForm
from ..models import Attachment, Comment, DraftVersion
from ..selectors import comments as comment_selectors
from ..services import comments as services
from ..services.publication import withheld_entry
from .drafts import (
    WHOLE,
    comment_form_entry,
    comment_form_for,
    open_review_for,
    render_comment_posted,
    render_paragraph_comments,
    require_draft,
)

STATUS = {"closed": 403, "rate_limited": 429}


def _comment(pk: int) -> Comment:
    return get_object_or_404(
        Comment.objects.select_related(
            "version__deliverable__workstream", "review", "author", "organization"
        ),
        pk=pk,
    )


def _back_to(comment: Comment) -> str:
    url = reverse(
        "consultations:paragraph-comments",
        args=[comment.version.deliverable_id, comment.version.number, comment.paragraph_key or WHOLE],
    )
    return f"{url}#comment-{comment.pk}"


def _visible_or_404(user, comment: Comment) -> None:
    scope = comment_selectors.comment_scope(user=user, deliverable=comment.version.deliverable)
    if not scope.filter(pk=comment.pk).exists():
        raise Http404


@login_required
@require_POST
def comment_create(request, deliverable_id: int, number: int):
    # what this request reads from the shared cache, in two round trips rather than five
    readcache.prefetch(
        comment_selectors.version_entry(deliverable_id=deliverable_id, number=number),
        withheld_entry(deliverable_id),
    )
    version = comment_selectors.version_get(deliverable_id=deliverable_id, number=number)
    require_draft(request.user, version)
    review = open_review_for(version)
    paragraph_key = request.POST.get(f"c-{request.POST.get('key', WHOLE)}-paragraph_key", "") or ""
    if review is not None:
        places = [version.paragraph_entry(paragraph_key)] if paragraph_key else []
        form_entry = comment_form_entry(
            review=review, version=version, url_key=paragraph_key or WHOLE, user=request.user
        )
        readcache.prefetch(review.questions_entry(), form_entry, *places)
    else:
        # the window is shut (or never opened): refuse whatever the page showed
        latest = version.reviews.order_by("-opens_at").first()
        if latest is None:
            raise PermissionDenied(_("There is no review of this version."))
        review = latest
    form = comment_form_for(
        user=request.user, review=review, data=request.POST, files=request.FILES, paragraph_key=paragraph_key
    )
    if form is None:
        raise PermissionDenied(_("You cannot comment in this review."))
    paragraph = version.paragraph_at(paragraph_key) if paragraph_key else None
    error, status, retry_after = None, 422, 60
    if form.is_valid():
        data = form.cleaned_data
        question = form.question_map.get(data.get("question")) if data.get("question") else None
        try:
            comment = services.comment_create(
                actor=request.user,
                review=review,
                body=data["body"],
                paragraph_key=data.get("paragraph_key") or "",
                on_behalf=bool(data.get("on_behalf")),
                question=question,
                files=data.get("attachments") or [],
            )
        except services.CommentError as exc:
            error, status = str(exc), STATUS.get(exc.code, 422)
            retry_after = getattr(exc, "retry_after", retry_after)
            if exc.code in {"empty", "too_long", "malformed"}:
                form.add_error("body", error)
            elif exc.code.startswith("file"):
                form.add_error("attachments", error)
        else:
            if request.htmx:
                return render_comment_posted(
                    request,
                    version=version,
                    paragraph=paragraph,
                    comment=comment,
                    review=review,
                    form=form,
                    blank=lambda: comment_form_for(
                        user=request.user, review=review, paragraph_key=paragraph_key
                    ),
                    with_files=bool(data.get("attachments")),
                )
            messages.success(request, _("Thank you: your comment has been received."))
            return redirect(
                reverse(
                    "consultations:paragraph-comments", args=[deliverable_id, number, paragraph_key or WHOLE]
                )
            )
    response = render_paragraph_comments(
        request,
        version=version,
        paragraph=paragraph,
        paragraph_key=paragraph_key,
        form=form,
        status=status,
        error=error,
    )
    if status == 429:
        response["Retry-After"] = str(retry_after)
    return response


@login_required
@require_POST
def comment_reply(request, pk: int):
    """A reply, sent from the comment panel. With htmx the panel is swapped in place (the reader stays on
    the draft page); without JS the browser goes back to the paragraph's comments at the new reply. A
    refused reply is shown again with its error and its text."""
    parent = _comment(pk)
    _visible_or_404(request.user, parent)
    form = ReplyForm(request.POST, auto_id=f"reply-{parent.pk}-%s")
    version = parent.version
    error, status, retry_after = None, 422, None
    if form.is_valid():
        try:
            reply = services.comment_reply(
                actor=request.user,
                parent=parent,
                body=form.cleaned_data["body"],
                on_behalf=form.cleaned_data["on_behalf"],
            )
        except services.CommentError as exc:
            error, status = str(exc), STATUS.get(exc.code, 422)
            retry_after = getattr(exc, "retry_after", None)
            if exc.code in {"empty", "too_long", "malformed"}:
                form.add_error("body", error)
        else:
            posted = _("Your reply has been posted.")
            if request.htmx:
                return render_paragraph_comments(
                    request,
                    version=version,
                    paragraph=version.paragraphs.filter(key=parent.paragraph_key).first(),
                    paragraph_key=parent.paragraph_key,
                    notice=posted,
                )
            messages.success(request, posted)
            return redirect(_back_to(reply))
    response = render_paragraph_comments(
        request,
        version=version,
        paragraph=version.paragraphs.filter(key=parent.paragraph_key).first(),
        paragraph_key=parent.paragraph_key,
        status=status,
        error=error or _("Your reply was not posted: see the message under it."),
        reply_form=form,
        reply_to=parent.pk,
    )
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def _anonymous_flag_allowed(request) -> tuple[bool, int]:
    """Visitors who are not signed in may flag, at most COMMENT_FLAG_ANON_RATE per client IP. Only a
    hash of the IP is used, as a cache key that expires with the window; nothing is stored with the flag."""
    limit, period = ratelimit.parse_rate(getattr(settings, "COMMENT_FLAG_ANON_RATE", "10/h"))
    who = hashlib.sha256(ratelimit.client_ip(request).encode()).hexdigest()[:32]
    return ratelimit.hit(scope="comment-flag", who=who, limit=limit, period=period)


@require_http_methods(["GET", "POST"])
def comment_flag(request, pk: int):
    """Anyone can flag a comment they can see; signed in or not."""
    comment = _comment(pk)
    _visible_or_404(request.user, comment)
    form = FlagForm(request.POST or None)
    error, status = None, 200
    if request.method == "POST" and form.is_valid():
        allowed, retry_after = (
            (True, 0) if request.user.is_authenticated else _anonymous_flag_allowed(request)
        )
        if allowed:
            services.comment_flag(actor=request.user, comment=comment, reason=form.cleaned_data["reason"])
            messages.success(request, _("Thank you. A moderator will look at this comment."))
            return redirect(_back_to(comment))
        error, status = (
            _("Too many flags from your connection. Please try again in %(m)d minute(s), or log in.")
            % {"m": max(1, round(retry_after / 60))},
            429,
        )
    response = render(
        request,
        "consultations/comments/comment_flag.html",
        {"comment": comment, "form": form, "error": error},
        status=422 if form.errors else status,
    )
    if status == 429:
        response["Retry-After"] = str(retry_after)
    return response


@login_required
@require_http_methods(["GET", "POST"])
def comment_hide(request, pk: int):
    comment = _comment(pk)
    policy.require(request.user, "consultations.moderate_comments", comment)
    form = HideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.comment_hide(actor=request.user, comment=comment, reason=form.cleaned_data["reason"])
        messages.success(request, _("The comment is hidden; its author will be told why."))
        return redirect("consultations:moderation-queue")
    return render(
        request,
        "consultations/comments/comment_hide.html",
        {"comment": comment, "form": form},
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def comment_unhide(request, pk: int):
    comment = _comment(pk)
    services.comment_unhide(actor=request.user, comment=comment)
    messages.success(request, _("The comment is visible again."))
    return redirect(_back_to(comment))


@login_required
@require_POST
def flags_dismiss(request, pk: int):
    comment = _comment(pk)
    services.flags_dismiss(actor=request.user, comment=comment)
    messages.success(request, _("Flags dismissed; the comment stays visible."))
    return redirect("consultations:moderation-queue")


@login_required
def moderation_queue(request):
    policy.require(request.user, "consultations.moderate_comments")
    page = Paginator(comment_selectors.flag_queue(), 25).get_page(request.GET.get("page"))
    return render(request, "consultations/comments/moderation_queue.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def comment_dispose(request, pk: int):
    """The disposition form. From the matrix, `next` carries the matrix's filters and page: saving
    returns there (without JavaScript), or, with htmx, the form opens in the row and saving swaps in
    the updated row and the "N of M answered" count, so the reader keeps their place."""
    comment = _comment(pk)
    policy.require(request.user, "consultations.dispose_comments", comment)
    matrix_url = reverse("consultations:matrix", args=[comment.review_id])
    back = next_url(request, matrix_url)
    if not back.startswith(matrix_url):  # back to the matrix (its filters kept), nowhere else
        back = matrix_url
    versions = list(
        DraftVersion.objects.filter(deliverable_id=comment.version.deliverable_id).order_by("number")
    )
    initial = {
        "disposition": comment.disposition or None,
        "response": comment.response,
        "addressed_in": comment.addressed_in_id,
    }
    # ids of its own: the form may open inside the matrix, next to the filters' fields of the same names
    form = DispositionForm(
        request.POST or None, versions=versions, initial=initial, auto_id=f"dispose-{comment.pk}-%s"
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.comment_dispose(
                actor=request.user,
                comment=comment,
                disposition=data["disposition"],
                response=data["response"],
                addressed_in=form.version_map.get(data["addressed_in"]),
            )
        except services.CommentError as exc:
            form.add_error(None, str(exc))
        else:
            if request.htmx:
                context = {
                    "c": comment_selectors.matrix_row_get(review=comment.review, pk=comment.pk),
                    "progress": comment_selectors.matrix_progress(review=comment.review),
                    "may_dispose": True,
                    "back": back,
                    "saved": True,
                }
                response = render(request, "consultations/comments/comment_dispose.html#row-saved", context)
                response["Vary"] = "HX-Request"
                return response
            messages.success(request, _("Disposition saved."))
            return redirect(f"{back}#matrix-c{comment.pk}")
    template = "consultations/comments/comment_dispose.html"
    if request.htmx:
        template += "#row-form"
        if not form.errors:  # the link that opened the form is gone: its first field takes the focus
            form.fields["disposition"].widget.attrs["autofocus"] = True
    response = render(
        request,
        template,
        {"comment": comment, "form": form, "back": back},
        status=422 if form.errors else 200,
    )
    response["Vary"] = "HX-Request"
    return response


def attachment_download(request, pk: int):
    attachment = get_object_or_404(
        Attachment.objects.select_related("comment__version__deliverable__workstream"), pk=pk
    )
    comment = attachment.comment
    require_draft(request.user, comment.version)
    _visible_or_404(request.user, comment)
    if not policy.can(request.user, "consultations.download_attachment", comment):
        raise PermissionDenied(
            _(
                "Files attached to comments on this draft are withheld: its published version withholds "
                "some words, and a file cannot be masked. The comments themselves stay public."
            )
        )
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
