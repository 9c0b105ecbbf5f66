"""Backfill: the count rows of every review from its comments, and each comment's body rendered once
(Markdown, then nh3) into `body_html`. The body stays the source; reversing leaves the columns to
0009's reversal."""

from django.db import migrations
from django.db.models import Count, Q

BATCH = 1000


def backfill(apps, schema_editor):
    from initiative.markdown import render

    Comment = apps.get_model("consultations", "Comment")
    CommentCount = apps.get_model("consultations", "CommentCount")
    rows = (
        Comment.objects.filter(parent__isnull=True)
        .values("review_id", "paragraph_key")
        .annotate(
            visible=Count("pk", filter=Q(hidden_at__isnull=True)),
            hidden=Count("pk", filter=Q(hidden_at__isnull=False)),
        )
        .order_by()
    )
    CommentCount.objects.bulk_create((CommentCount(**r) for r in rows), batch_size=BATCH)
    pending = Comment.objects.filter(body_html="").only("pk", "body").order_by("pk")
    last = 0
    while True:
        batch = list(pending.filter(pk__gt=last)[:BATCH])
        if not batch:
            break
        for c in batch:
            c.body_html = str(render(c.body))
        Comment.objects.bulk_update(batch, ["body_html"])
        last = batch[-1].pk


class Migration(migrations.Migration):
    dependencies = [("consultations", "0009_comment_counts_body_html")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
