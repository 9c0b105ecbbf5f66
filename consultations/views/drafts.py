"""The draft reading page, a paragraph's comments (htmx), version comparison, writing a new version,
orphaned comments, and the public list of consultations."""

import hashlib
import re
from functools import lru_cache

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import quote_etag
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django.views.decorators.vary import vary_on_headers

from initiative import policy, readcache
from workstreams.models import Deliverable

from .. import fragments
from ..forms.comments import CommentForm, ReplyForm, VersionForm, VersionTranslationForm
from ..models import Attachment, Comment, DraftVersion, Redaction, Review
from ..selectors import comments as comment_selectors
from ..selectors import drafts as draft_selectors
from ..services.drafts import DraftError, draft_version_create, draft_version_translate

WHOLE = "whole"  # the URL word for "the draft as a whole" (paragraph_key "")
PANEL = "consultations/comments/paragraph_comments.html"  # a paragraph's comments, and its partials


def _deliverable(deliverable_id: int) -> Deliverable:
    return get_object_or_404(Deliverable.objects.select_related("workstream"), pk=deliverable_id)


def open_review_for(version: DraftVersion, now=None) -> Review | None:
    """The review open now (the latest opened), from the version's prefetched reviews when present."""
    now = now or timezone.now()
    prefetched = getattr(version, "_prefetched_objects_cache", {}).get("reviews")
    if prefetched is None:
        return version.reviews.open_at(now).first()
    open_now = [r for r in prefetched if r.is_open(now)]
    return max(open_now, key=lambda r: r.opens_at, default=None)


def comment_form_for(
    *, user, review: Review | None, data=None, files=None, paragraph_key: str = ""
) -> CommentForm | None:
    """The comment form when `user` may comment in `review` now, else None."""
    if (
        review is None
        or not user.is_authenticated
        or not policy.can(user, "consultations.comment_on_review", review)
    ):
        return None
    questions = review.offered_questions()
    organization = user.organization if user.organization_id else None
    form = CommentForm(
        data,
        files,
        questions=questions,
        organization=organization,
        initial={"paragraph_key": paragraph_key},
        prefix=f"c-{paragraph_key or WHOLE}",
    )
    return form


def require_draft(user, version: DraftVersion) -> None:
    """Refuse a version this person may not read, saying who may and when it opens to everyone."""
    if not policy.can(user, "consultations.view_draft", version):
        raise PermissionDenied(draft_selectors.closed_note(version))


def draft_latest(request, deliverable_id: int):
    """The newest version this person may read (an older one when the newest is not open to them)."""
    deliverable = _deliverable(deliverable_id)
    access = draft_selectors.draft_access(user=request.user, deliverable=deliverable)
    if access.version is None:
        if access.note:
            raise PermissionDenied(access.note)
        raise Http404(_("No version of this draft has been written yet."))
    return redirect("consultations:draft-detail", deliverable_id, access.version.number)


def draft_detail(request, deliverable_id: int, number: int):
    """The text of one version with a comment count beside each paragraph and a table of contents.
    Someone who may not read the original reads it with the redacted words masked."""
    # every version with what the policy asks (and its deliverable), read once: this one and the list
    # of versions beside it
    access = draft_selectors.draft_access(user=request.user, deliverable=Deliverable(pk=deliverable_id))
    version = access.by_number.get(number)
    if version is None:
        raise Http404
    require_draft(request.user, version)
    # the deliverable's redacted words, read once: masked for this reader, never linked for anyone
    phrases = draft_selectors.withheld_phrases(deliverable_id=deliverable_id)
    withheld = draft_selectors.withheld_for(user=request.user, deliverable_id=deliverable_id, phrases=phrases)
    page = comment_selectors.draft_page(version=version, user=request.user, withheld=withheld)
    draft_selectors.mask_version(version, withheld)
    review = open_review_for(version)
    whole_form = comment_form_for(user=request.user, review=review)
    # the text and its comment buttons: one render per version, language, masked words, glossary
    # revision and counts, whoever reads (see consultations.fragments)
    paragraphs = [*page.preamble, *(p for s in page.sections for p in s.paragraph_list)]
    article_key = fragments.key(
        "draft-article",
        draft_selectors.text_key(page, withheld=withheld, phrases=phrases),
        version.created_at.timestamp(),
        page.whole_draft_count,
        [p.comment_count for p in paragraphs],
        whole_form is not None,
    )
    article = fragments.get(request, article_key)
    if article is None:
        draft_selectors.link_glossary_terms(
            page, deliverable_id=deliverable_id, withheld=withheld, phrases=phrases
        )
        article = fragments.put(
            article_key,
            render_to_string(
                "consultations/drafts/_article.html",
                {
                    "page": page,
                    "version": version,
                    "deliverable": version.deliverable,
                    "whole_form": whole_form,
                },
                request=request,
            ),
        )
    context = {
        "version": version,
        "deliverable": version.deliverable,
        "page": page,
        "review": review,
        "versions": access.versions,
        "readable_versions": sum(1 for v in access.versions if v.readable),
        "withheld_info": draft_selectors.withheld_summary(withheld, deliverable_id=deliverable_id),
        "whole_form": whole_form,
        "article": article,
        "may_manage": policy.can(request.user, "consultations.manage_reviews", version.deliverable),
        "login_needed": review is not None and not request.user.is_authenticated,
    }
    return render(request, "consultations/drafts/draft_detail.html", context)


@vary_on_headers("HX-Request")
def paragraph_comments(request, deliverable_id: int, number: int, key: str):
    """One paragraph's comments (or the whole draft's), a page at a time; the draft page loads this in
    place with htmx, and it is a page of its own without JS."""
    version = comment_selectors.version_get(deliverable_id=deliverable_id, number=number)
    require_draft(request.user, version)
    paragraph_key = "" if key == WHOLE else key
    paragraph = None
    if paragraph_key:
        paragraph = version.paragraphs.filter(key=paragraph_key).first()
        if paragraph is None:
            raise Http404
    return render_paragraph_comments(
        request, version=version, paragraph=paragraph, paragraph_key=paragraph_key
    )


def render_paragraph_comments(
    request,
    *,
    version,
    paragraph,
    paragraph_key,
    form=None,
    status=200,
    error=None,
    notice=None,
    reply_form=None,
    reply_to: int | None = None,
    posted=False,
):
    """The panel of one paragraph's comments (the whole page without htmx).

    `reply_form` is the reply form sent back with its error, kept open under comment `reply_to`; every
    other comment gets an empty one. After a new comment (`posted`), an htmx answer also carries the
    paragraph's new comment count for the button on the draft page (an out-of-band swap)."""
    page = comment_selectors.paragraph_comments_page(
        version=version, key=paragraph_key, user=request.user, number=request.GET.get("page")
    )
    withheld = draft_selectors.withheld_for(user=request.user, deliverable_id=version.deliverable_id)
    draft_selectors.mask_version(version, withheld)
    review = open_review_for(version)
    may_reply = review is not None and policy.can(request.user, "consultations.comment_on_review", review)
    context = {
        "version": version,
        "deliverable": version.deliverable,
        "paragraph": paragraph,
        "paragraph_key": paragraph_key,
        "url_key": paragraph_key or WHOLE,
        "page": page,
        "count": page.paginator.count,
        "review": review,
        "form": form or comment_form_for(user=request.user, review=review, paragraph_key=paragraph_key),
        "may_moderate": policy.can(request.user, "consultations.moderate_comments", version.deliverable),
        "may_dispose": policy.can(request.user, "consultations.dispose_comments", version.deliverable),
        "may_reply": may_reply,
        "reply_to": reply_to,
        "withheld_info": draft_selectors.withheld_summary(withheld, deliverable_id=version.deliverable_id),
        "may_download": not withheld
        or policy.can(request.user, "consultations.download_attachment", version.deliverable),
        "error": error,
        "notice": notice,
        "count_changed": posted and request.htmx,
    }
    context["comment_form"] = comment_form_html(request, context)
    context["comment_list"] = comment_list_html(
        request, context, withheld=withheld, reply_form=reply_form, reply_to=reply_to
    )
    template = PANEL
    if request.htmx:
        template += "#comments-panel"
    response = render(request, template, context, status=status)
    if request.htmx and status >= 400:
        # htmx 2 does not swap 4xx answers by default; the panel carries the error (role=alert), and the
        # real status stays visible to scripts in a header
        response["X-Status"] = str(status)
        response.status_code = 200
    response["Vary"] = "HX-Request"
    if request.method in ("GET", "HEAD") and response.status_code == 200:
        response = _conditional(request, response)
    return response


def comment_form_entry(*, review: Review, version: DraftVersion, url_key: str, user) -> tuple[str, str]:
    """Where a fresh comment form is kept in the read cache (group "comment-forms"): it differs only by
    the review (the questions it offers), the version and paragraph (its address), the language and the
    commenter's organization (the "on behalf of" box)."""
    organization = getattr(user, "organization_id", None) or ""
    return "comment-forms", f"{review.pk}:{version.pk}:{url_key}:{get_language() or ''}:{organization}"


class _NoForm(Exception):
    pass


def comment_form_html(request, context: dict, *, blank=None):
    """The comment form of the panel: a fresh one from the read cache, one sent back with errors
    rendered as it came. `blank`, after a comment was sent: makes the empty form to show instead of the
    sent one in `context` (which has the same questions and organization), called only if the cache has
    none."""
    form = context["form"]
    if form is None:
        return ""
    if blank is None and form.is_bound:
        return mark_safe(render_to_string(PANEL + "#comment-form", context, request=request))  # noqa: S308

    def render_fresh():
        fresh = form if blank is None else blank()
        if fresh is None:
            raise _NoForm  # nothing to cache: this person may no longer comment
        return render_to_string(PANEL + "#comment-form", {**context, "form": fresh}, request=request)

    entry = comment_form_entry(
        review=context["review"], version=context["version"], url_key=context["url_key"], user=request.user
    )
    try:
        return fragments.with_csrf(request, readcache.read(*entry, render_fresh))
    except _NoForm:
        return ""


def comment_list_html(request, context: dict, *, withheld, reply_form=None, reply_to=None):
    """The panel's list of comments and its pages, from the cache when this kind of reader saw the same
    page at the same comments revision (see consultations.fragments); a reply sent back with its error
    or a notice aimed at this person is rendered afresh."""
    page, version, user = context["page"], context["version"], request.user
    fragment_key = None
    if reply_form is None and not context["notice"]:
        fragment_key = fragments.key(
            "comment-list",
            fragments.revision(),
            version.pk,
            version.created_at.timestamp(),
            context["url_key"],
            page.number,
            page.paginator.count,
            page.review_ids,
            context["may_moderate"],
            context["may_dispose"],
            context["may_reply"],
            context["may_download"],
            user.organization_id if user.is_authenticated else None,
            [(w.phrase, w.notice) for w in withheld],
        )
        cached = fragments.get(request, fragment_key)
        if cached is not None:
            return cached
    draft_selectors.mask_comments(page, withheld)
    if context["may_reply"]:
        for c in page:
            kept = reply_form is not None and c.pk == reply_to
            c.reply_form = reply_form if kept else ReplyForm(auto_id=f"reply-{c.pk}-%s")
            if not kept:
                c.reply_widget = reply_box(c.pk)
    html = render_to_string(PANEL + "#comment-list", context, request=request)
    return fragments.put(fragment_key, html) if fragment_key else mark_safe(html)  # noqa: S308


@lru_cache(maxsize=8)
def _blank_reply_box(language: str) -> str:
    return str(ReplyForm(auto_id="reply-0-%s")["body"])


def reply_box(comment_pk: int) -> SafeString:
    """An empty reply box for a comment: the same for every comment but its ids, so it is rendered once
    per language in each process, not once a comment."""
    blank = _blank_reply_box(get_language() or "")
    return mark_safe(blank.replace('"reply-0-', f'"reply-{comment_pk}-'))  # noqa: S308 (our widget's HTML)


_CSRF_VALUE = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')


def _conditional(request, response):
    """An `ETag` on a paragraph's comments: a digest of the panel as rendered for this person, the CSRF
    tokens left out (they are masked afresh on every render). A new comment, a reply, a hidden comment
    or a disposition changes it; a reader polling an unchanged panel gets a bodiless 304. Private and
    revalidated every time (`no-cache`): the panel differs per person."""
    digest = hashlib.sha256(_CSRF_VALUE.sub(rb"\1\2", response.content)).hexdigest()[:32]
    etag = quote_etag(digest)
    response["ETag"] = etag
    patch_cache_control(response, private=True, no_cache=True)
    patch_vary_headers(response, ["Cookie"])
    conditional = get_conditional_response(request, etag=etag, response=response)
    return conditional if conditional is not None else response


def _known(queryset, rows: list):
    """A queryset whose rows are already known, as Django's own prefetching leaves one: evaluating it
    (`if`, `for`) reads them without compiling SQL, which even an empty `.none()` queryset does."""
    queryset._result_cache = rows
    queryset._prefetch_done = True
    return queryset


def render_comment_posted(
    request, *, version, paragraph, comment, review, form, blank, with_files: bool = False
):
    """The htmx answer to a new comment: not the panel again but a fresh form (made by `blank` unless
    cached) in place of the sent one (`form`), the new comment on top of the list (where the browser puts
    the focus), and, out of band, the new count, the thanks and the draft page's button (see the
    `comment-posted` partial)."""
    paragraph_key = comment.paragraph_key
    url_key = paragraph_key or WHOLE
    written = getattr(comment, "count_row", None)
    _review_ids, count = comment_selectors.paragraph_comment_count(
        version=version,
        key=paragraph_key,
        user=request.user,
        written=(review.pk, *written) if written else None,
    )
    withheld = draft_selectors.withheld_for(user=request.user, deliverable_id=version.deliverable_id)
    if not hasattr(comment, "campaign_size"):  # the service may know it
        comment.campaign_size = (
            comment_selectors.campaign_size(campaign_id=comment.campaign_id) if comment.campaign_id else 1
        )
    # a new comment has no replies yet, and attachments only when files were sent: no query for either,
    # nor the compiling of one (the template asks `c.replies.all` and `c.attachments.all`)
    comment._prefetched_objects_cache = {
        "replies": _known(Comment.objects.none(), []),
        "attachments": comment.attachments.all() if with_files else _known(Attachment.objects.none(), []),
    }
    draft_selectors.mask_comments([comment], withheld)
    comment.reply_form = ReplyForm(auto_id=f"reply-{comment.pk}-%s")
    comment.reply_widget = reply_box(comment.pk)
    context = {
        "version": version,
        "deliverable": version.deliverable,
        "paragraph": paragraph,
        "paragraph_key": paragraph_key,
        "url_key": url_key,
        "comment": comment,
        "count": count,
        "review": review,
        "form": form,
        "may_moderate": policy.can(request.user, "consultations.moderate_comments", version.deliverable),
        "may_dispose": policy.can(request.user, "consultations.dispose_comments", version.deliverable),
        "may_reply": True,
        "may_download": not withheld
        or policy.can(request.user, "consultations.download_attachment", version.deliverable),
        "notice": _("Thank you: your comment has been received."),
    }
    context["comment_form"] = comment_form_html(request, context, blank=blank)
    response = render(request, PANEL + "#comment-posted", context)
    response["HX-Retarget"] = f"#comment-form-{url_key}"
    response["HX-Reswap"] = "outerHTML"
    response["Vary"] = "HX-Request"
    return response


def version_compare(request, deliverable_id: int):
    deliverable = _deliverable(deliverable_id)
    versions = list(draft_selectors.versions_for_policy(deliverable=deliverable).order_by("number"))
    visible = [v for v in versions if policy.can(request.user, "consultations.view_draft", v)]
    if not visible:
        if versions:
            raise PermissionDenied(draft_selectors.closed_note(versions[-1]))
        raise Http404(_("No version of this draft has been written yet."))
    numbers = [v.number for v in visible]
    try:
        a = int(request.GET.get("from", numbers[-2] if len(numbers) > 1 else numbers[0]))
        b = int(request.GET.get("to", numbers[-1]))
    except ValueError:
        a, b = numbers[0], numbers[-1]
    by_number = {v.number: v for v in visible}
    if a not in by_number or b not in by_number:
        raise Http404
    withheld = draft_selectors.withheld_for(user=request.user, deliverable_id=deliverable.pk)
    context = {
        "deliverable": deliverable,
        "old": draft_selectors.mask_version(by_number[a], withheld),
        "new": draft_selectors.mask_version(by_number[b], withheld),
        "numbers": numbers,
        "withheld": withheld,  # the diff masks them (consultations_tags.version_diff_rows)
        "withheld_info": draft_selectors.withheld_summary(withheld, deliverable_id=deliverable.pk),
    }
    return render(request, "consultations/drafts/version_compare.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def version_create(request, deliverable_id: int):
    deliverable = _deliverable(deliverable_id)
    policy.require(request.user, "consultations.write_draft", deliverable)
    latest = DraftVersion.objects.filter(deliverable=deliverable).order_by("-number").first()
    initial = {"title": latest.title if latest else deliverable.title, "body": latest.body if latest else ""}
    form = VersionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            version = draft_version_create(actor=request.user, deliverable=deliverable, **form.cleaned_data)
        except DraftError as exc:
            form.add_error("body", str(exc))
        else:
            messages.success(request, _("Version %(n)d saved.") % {"n": version.number})
            return redirect("consultations:draft-detail", deliverable.pk, version.number)
    return render(
        request,
        "consultations/drafts/version_create.html",
        {"deliverable": deliverable, "form": form, "latest": latest},
        status=422 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def version_translate(request, deliverable_id: int, number: int):
    """Staff enter the Spanish text of a version, paragraph by paragraph (English stays the original)."""
    deliverable = _deliverable(deliverable_id)
    policy.require(request.user, "consultations.write_draft", deliverable)
    version = get_object_or_404(DraftVersion, deliverable=deliverable, number=number)
    form = VersionTranslationForm(request.POST or None, version=version)
    if request.method == "POST" and form.is_valid():
        count = draft_version_translate(
            actor=request.user, version=version, title_es=form.cleaned_data["title_es"], texts=form.texts()
        )
        messages.success(
            request,
            _("Spanish text saved: %(n)s of %(t)s paragraphs.") % {"n": count, "t": len(form.paragraphs)},
        )
        return redirect("consultations:draft-detail", deliverable.pk, version.number)
    return render(
        request,
        "consultations/drafts/version_translate.html",
        {"deliverable": deliverable, "version": version, "form": form},
        status=422 if form.errors else 200,
    )


@login_required
def orphaned(request, deliverable_id: int):
    deliverable = _deliverable(deliverable_id)
    policy.require(request.user, "consultations.view_orphaned", deliverable)
    page = Paginator(comment_selectors.orphaned_comments(deliverable=deliverable), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request, "consultations/drafts/orphaned_list.html", {"deliverable": deliverable, "page": page}
    )


def consultation_list(request):
    """Open, upcoming and closed public consultations."""
    now = timezone.now()
    # a deliverable with redactions: its consulted text may be for staff and the committee only now
    withheld = Redaction.objects.filter(version__deliverable_id=OuterRef("version__deliverable_id"))
    base = (
        Review.objects.public()
        .select_related("version__deliverable__workstream")
        .annotate(has_redactions=Exists(withheld))
    )
    closed = Paginator(base.ended(now).order_by("-closes_at"), 20).get_page(request.GET.get("page"))
    context = {
        "open": list(base.open_at(now).order_by("closes_at")),
        "upcoming": list(base.upcoming(now).order_by("opens_at")),
        "closed": closed,
        "now": now,
        "may_see_originals": policy.can(request.user, "consultations.view_unredacted"),
    }
    return render(request, "consultations/drafts/consultation_list.html", context)


@login_required
@require_http_methods(["POST"])
def track3_report_assemble(request):
    """Assemble the Track 3 report (all areas, or the area named by `area`) from the issue areas'
    sections into a new draft version, then show that version."""
    from workstreams.models import IssueArea

    from ..services.drafts import track3_report_assemble as assemble

    area = get_object_or_404(IssueArea, slug=request.POST["area"]) if request.POST.get("area") else None
    back = area.get_absolute_url() if area else reverse("workstreams:issue-area-list")
    try:
        version = assemble(actor=request.user, area=area)
    except DraftError as exc:
        messages.error(request, str(exc))
        return redirect(back)
    messages.success(
        request,
        _(
            "Version %(n)d of “%(title)s” is assembled from the sections; "
            "open its review from the workflow page."
        )
        % {"n": version.number, "title": version.deliverable.title},
    )
    return redirect("consultations:draft-detail", version.deliverable_id, version.number)
