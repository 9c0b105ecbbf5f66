"""Review windows: a members-only review or a public consultation on one exact draft version.

Whether a window is open is computed from its timestamps at the moment of asking (`is_open`), so the
server refuses a comment outside the window whatever any task has or has not done. `closed_at` records
an early close (or the sweep noticing the end); `opened_notified_at`/`closed_notified_at` are the
idempotency marks of the tasks that tell people.
"""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from initiative import readcache


class ReviewQuerySet(readcache.StaleOnUpdate):
    stale_groups = ("drafts",)  # cached versions carry their reviews

    def open_at(self, when=None):
        now = when or timezone.now()
        return self.filter(opens_at__lte=now, closes_at__gt=now).filter(
            Q(closed_at__isnull=True) | Q(closed_at__gt=now)
        )

    def upcoming(self, when=None):
        now = when or timezone.now()
        return self.filter(opens_at__gt=now, closed_at__isnull=True)

    def ended(self, when=None):
        now = when or timezone.now()
        return self.filter(Q(closes_at__lte=now) | Q(closed_at__lte=now))

    def public(self):
        return self.filter(kind=Review.Kind.PUBLIC_CONSULTATION)


class Review(models.Model):
    class Kind(models.TextChoices):
        MEMBER_REVIEW = "member_review", _("Member review")
        PUBLIC_CONSULTATION = "public_consultation", _("Public consultation")

    version = models.ForeignKey(
        "consultations.DraftVersion", on_delete=models.PROTECT, related_name="reviews"
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    closed_at = models.DateTimeField(
        null=True, blank=True, help_text=_("Set when closed early or by the sweep")
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    opened_notified_at = models.DateTimeField(null=True, blank=True)
    closed_notified_at = models.DateTimeField(null=True, blank=True)
    questions = models.ManyToManyField(
        "workstreams.IllustrativeQuestion",
        blank=True,
        related_name="+",
        help_text=_("The consultation's questions; none chosen: the workstream's illustrative questions"),
    )

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="review_closes_after_opening"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.version}"

    def offered_questions(self) -> list:
        """The questions a comment may answer: those chosen for this review, else the workstream's.
        Computed once per review object (a request asks for them in the form and in the service), and
        kept in the shared cache (see consultations.apps for what makes it stale)."""
        if "_offered_questions" not in self.__dict__:
            self._offered_questions = readcache.read(*self.questions_entry(), self._read_offered_questions)
        return self._offered_questions

    def questions_entry(self) -> tuple[str, str]:
        """Where `offered_questions` are kept in the read cache (for `readcache.prefetch`)."""
        return "questions", str(self.pk)

    def _read_offered_questions(self) -> list:
        from workstreams.models import IllustrativeQuestion

        # one query: the chosen ones and the workstream's, told apart by `chosen`
        workstream_id = self.version.deliverable.workstream_id
        chosen = self.questions.through.objects.filter(
            review_id=self.pk, illustrativequestion_id=OuterRef("pk")
        )
        both = list(
            IllustrativeQuestion.objects.filter(
                Q(workstream_id=workstream_id)
                | Q(
                    pk__in=self.questions.through.objects.filter(review_id=self.pk).values(
                        "illustrativequestion_id"
                    )
                )
            ).annotate(chosen=Exists(chosen))
        )
        return [q for q in both if q.chosen] or [q for q in both if q.workstream_id == workstream_id]

    @property
    def effective_close(self):
        return min(self.closes_at, self.closed_at) if self.closed_at else self.closes_at

    def is_open(self, when=None) -> bool:
        now = when or timezone.now()
        return self.opens_at <= now < self.effective_close

    def status(self, when=None) -> str:
        now = when or timezone.now()
        if now < self.opens_at and not self.closed_at:
            return "upcoming"
        return "open" if self.is_open(now) else "closed"
