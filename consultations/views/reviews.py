"""Staff pages to open, extend and close review windows (through the existing services), the
comment–response matrix with its CSV and export job, and a review's summary."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from initiative import policy
from initiative.spreadsheets import export_response

from ..forms.comments import MatrixFilterForm, ReviewExtendForm, ReviewOpenForm
from ..models import DraftVersion, MatrixExport, Review
from ..selectors import comments as comment_selectors
from ..selectors import drafts as draft_selectors
from ..selectors import matrix_rows
from ..services import comments as comment_services
from ..services import publication as publication_services
from ..services.reviews import ReviewError, review_close, review_extend, review_open
from .drafts import _deliverable

MATRIX_PAGE = 50
MATRIX_SYNC_CSV_LIMIT = 2000  # above this the CSV is built by the export job


def _review(pk: int) -> Review:
    return get_object_or_404(Review.objects.select_related("version__deliverable__workstream"), pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def review_manage(request, deliverable_id: int):
    deliverable = _deliverable(deliverable_id)
    policy.require(request.user, "consultations.manage_reviews", deliverable)
    versions = list(DraftVersion.objects.filter(deliverable=deliverable).order_by("-number"))
    form = ReviewOpenForm(
        request.POST or None, versions=versions, questions=list(deliverable.workstream.questions.all())
    )
    if request.method == "POST" and form.is_valid():
        try:
            review_open(
                actor=request.user,
                version=form.version_map[form.cleaned_data["version"]],
                kind=form.cleaned_data["kind"],
                opens_at=form.aware("opens_at"),
                closes_at=form.aware("closes_at"),
                questions=[form.question_map[pk] for pk in form.cleaned_data.get("questions") or []],
            )
        except ReviewError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Review scheduled."))
            return redirect("consultations:review-manage", deliverable.pk)
    reviews = list(
        Review.objects.filter(version__deliverable=deliverable)
        .select_related("version")
        .order_by("-opens_at")
    )
    context = {
        "deliverable": deliverable,
        "form": form,
        "reviews": reviews,
        "now": timezone.now(),
        "extend_form": ReviewExtendForm(),
        "versions": versions,
    }
    return render(
        request, "consultations/reviews/review_manage.html", context, status=422 if form.errors else 200
    )


@login_required
@require_POST
def review_extend_view(request, pk: int):
    review = _review(pk)
    form = ReviewExtendForm(request.POST)
    if form.is_valid():
        try:
            review_extend(actor=request.user, review=review, closes_at=form.aware("closes_at"))
        except ReviewError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Review extended."))
    else:
        messages.error(request, _("Give a valid new closing time and time zone."))
    return redirect("consultations:review-manage", review.version.deliverable_id)


@login_required
@require_POST
def review_close_view(request, pk: int):
    review = _review(pk)
    review_close(actor=request.user, review=review)
    messages.success(request, _("Review closed."))
    return redirect("consultations:review-manage", review.version.deliverable_id)


@vary_on_headers("HX-Request")
def matrix(request, pk: int):
    """The comment–response matrix: filter by paragraph, disposition and stakeholder type; CSV or XLSX
    (`?format=`); a matrix too large to build in the request is exported as CSV in the background."""
    review = _review(pk)
    policy.require(request.user, "consultations.view_review", review)
    paragraphs = list(review.version.paragraphs.only("key", "order", "text"))
    form = MatrixFilterForm(
        request.GET or None,
        paragraphs=paragraphs,
        withheld=publication_services.withheld_phrases(deliverable_id=review.version.deliverable_id),
    )
    filters = form.filters()
    rows = matrix_rows(review, **filters)
    withheld = draft_selectors.withheld_for(user=request.user, deliverable_id=review.version.deliverable_id)
    fmt = request.GET.get("format")
    if fmt in {"csv", "xlsx"}:
        total = rows.count()
        if total > MATRIX_SYNC_CSV_LIMIT:
            messages.info(request, _("This matrix is large; it is being exported as CSV in the background."))
            export = comment_services.matrix_export_request(
                actor=request.user, review=review, filters=filters
            )
            return redirect("consultations:export-detail", export.pk)
        return export_response(
            fmt=fmt,
            filename=f"matrix-review-{review.pk}",
            columns=comment_selectors.MATRIX_COLUMNS,
            rows=_masked_rows(rows, withheld),
            title="Comment-response matrix",
        )
    page = Paginator(rows, MATRIX_PAGE).get_page(request.GET.get("page"))
    draft_selectors.mask_comments(page, withheld, markdown=False, replies=False)
    query = request.GET.copy()
    query.pop("page", None)
    here = query.copy()
    if page.number > 1:
        here["page"] = page.number
    context = {
        "review": review,
        "back": request.path + (f"?{here.urlencode()}" if here else ""),
        "progress": comment_selectors.matrix_progress(review=review),
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "may_dispose": policy.can(request.user, "consultations.dispose_comments", review),
        "may_export": policy.can(request.user, "consultations.export_matrix", review),
        "exports": comment_selectors.export_list(review=review)
        if policy.can(request.user, "consultations.export_matrix", review)
        else [],
    }
    template = "consultations/reviews/matrix.html"
    if request.htmx:
        template += "#matrix-results"
    return render(request, template, context)


def _masked_rows(rows, withheld):
    """The matrix rows with the withheld words masked, as the page shows them."""
    for comment in rows.iterator(chunk_size=500):
        draft_selectors.mask_comments([comment], withheld, markdown=False, replies=False)
        yield comment_selectors.matrix_row(comment)


@login_required
@require_POST
def export_create(request, pk: int):
    review = _review(pk)
    paragraphs = list(review.version.paragraphs.only("key", "order", "text"))
    form = MatrixFilterForm(request.POST or None, paragraphs=paragraphs)
    export = comment_services.matrix_export_request(actor=request.user, review=review, filters=form.filters())
    return redirect("consultations:export-detail", export.pk)


@login_required
@vary_on_headers("HX-Request")
def export_detail(request, pk: int):
    export = get_object_or_404(MatrixExport.objects.select_related("review__version__deliverable"), pk=pk)
    policy.require(request.user, "consultations.export_matrix", export.review)
    template = "consultations/reviews/export_detail.html"
    if request.htmx:
        template += "#export-status"
    return render(request, template, {"export": export, "review": export.review})


@login_required
def export_download(request, pk: int):
    export = get_object_or_404(MatrixExport.objects.select_related("review__version__deliverable"), pk=pk)
    policy.require(request.user, "consultations.export_matrix", export.review)
    if export.status != MatrixExport.Status.DONE or not export.file:
        raise Http404
    return FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=f"matrix-review-{export.review_id}.csv",
        content_type="text/csv; charset=utf-8",
    )


def review_summary_page(request, pk: int):
    """After a review closes, anyone who may see it sees its summary; staff see it at any time."""
    review = _review(pk)
    policy.require(request.user, "consultations.view_review", review)
    staff = policy.can(request.user, "consultations.dispose_comments", review)
    if review.is_open() and not staff:
        raise Http404
    return render(
        request, "consultations/reviews/review_summary.html", {"review": review, "may_dispose": staff}
    )
