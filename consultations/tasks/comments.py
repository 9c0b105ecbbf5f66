"""Celery tasks for comments: thin, ids-only, idempotent callers of services."""

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from initiative import emails
from initiative.celery import ReliableTask

from ..models import Comment
from ..services import comments as services


@shared_task(name="consultations.export_matrix", bind=True, base=ReliableTask)
def export_matrix(self, export_id: int) -> bool:
    """Build a matrix CSV. Re-running a finished export does nothing; a failure is recorded on the row
    when retries run out."""
    try:
        return services.matrix_export_build(export_id=export_id) is not None
    except OSError:
        if self.request.retries >= self.max_retries:
            services.matrix_export_fail(export_id=export_id, error="Storage unavailable")
        raise
    except Exception as exc:
        services.matrix_export_fail(export_id=export_id, error=f"{type(exc).__name__}: {exc}")
        raise


@shared_task(name="consultations.notify_comment_hidden", bind=True, base=ReliableTask)
def notify_comment_hidden(self, comment_id: int) -> bool:
    """Tell the author their comment was hidden and why, once (`hidden_notified_at`)."""
    with transaction.atomic():
        comment = (
            Comment.objects.select_for_update(no_key=True, of=("self",))  # lock: one sender per comment
            .select_related("author", "version__deliverable")
            .filter(pk=comment_id, hidden_at__isnull=False, hidden_notified_at__isnull=True)
            .first()
        )
        if comment is None:
            return False
        emails.send(
            template="comment_hidden",
            to=[comment.author.email],
            context={"comment": comment},
            language=comment.author.language,
        )
        comment.hidden_notified_at = timezone.now()
        comment.save(update_fields=["hidden_notified_at"])
    return True


@shared_task(name="consultations.send_comment_digest", base=ReliableTask)
def send_comment_digest() -> int:
    return services.staff_digest_send()
