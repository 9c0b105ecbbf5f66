"""Demo webinars for `make run`: an upcoming one nearly full (two seats left) on a key deliverable, and
a past one with a recording and attendance. Idempotent: found by slug, registrants by email."""

import datetime
import zoneinfo

from django.utils import timezone

from initiative.models import StakeholderType
from workstreams.models import Deliverable

from .models import Registration, Webinar

ORGS = [
    ("Bayview Electric Company (demo)", StakeholderType.IOU),
    ("Prairie Municipal Light (demo)", StakeholderType.MUNICIPAL_UTILITY),
    ("Great Lakes Grid Operator (demo)", StakeholderType.ISO_RTO),
    ("Commonwealth Utility Commission (demo)", StakeholderType.STATE_REGULATOR),
    ("VoltShare Aggregation (demo)", StakeholderType.DER_DEVELOPER),
    ("Northfield National Laboratory (demo)", StakeholderType.NATIONAL_LAB),
    ("Fair Power Consumer Council (demo)", StakeholderType.CONSUMER_ADVOCATE),
    ("", StakeholderType.OTHER),
]


def _webinar(slug: str, **fields) -> Webinar:
    webinar = Webinar.objects.filter(slug=slug).first()
    if webinar is None:
        webinar = Webinar(slug=slug, **fields)
        webinar.ends_at = webinar.compute_ends_at()
        webinar.save()
    return webinar


def _registrants(webinar: Webinar, count: int, *, attended_every: int = 0) -> None:
    now = timezone.now()
    existing = set(webinar.registrations.values_list("email", flat=True))
    rows = []
    for i in range(count):
        email = f"registrant{i + 1}-{webinar.pk}@demo.example.org"
        if email in existing:
            continue
        org, kind = ORGS[i % len(ORGS)]
        rows.append(
            Registration(
                webinar=webinar,
                name=f"Demo Registrant {i + 1}",
                email=email,
                organization=org.removesuffix(" (demo)"),
                stakeholder_type=kind,
                consented_at=now,
                created_at=now,
                status=Registration.Status.CONFIRMED,
                seated_at=now,
                email_confirmed_at=now,
                attended=(i % attended_every != 0) if attended_every else None,
            )
        )
    Registration.objects.bulk_create(rows)


def load() -> list[tuple[str, str]]:
    eastern = zoneinfo.ZoneInfo("America/New_York")
    deliverable = Deliverable.objects.filter(is_key=True).select_related("workstream").order_by("pk").first()
    soon = (timezone.now() + datetime.timedelta(days=10)).astimezone(eastern)
    upcoming = _webinar(
        "demo-draft-final-briefing",
        title="Briefing on a draft final deliverable" + (f": {deliverable.title}" if deliverable else ""),
        description="The implementation team walks through the draft final text now in public consultation, "
        "and takes questions. Comments are made on the consultation page.",
        # a Spanish version, so the demo shows one (the kickoff below has none: English with the note)
        title_es="Sesión informativa sobre un borrador final de entregable"
        + (f": {deliverable.title}" if deliverable else ""),
        description_es="El equipo de implementación presenta el texto del borrador final que está en "
        "consulta pública y responde a preguntas. Los comentarios se hacen en la página de la consulta.",
        deliverable=deliverable,
        starts_at=soon.replace(hour=13, minute=0, second=0, microsecond=0),
        time_zone="America/New_York",
        duration_minutes=90,
        capacity=40,
        join_url="https://meet.example.org/der-initiative-demo",
    )
    _registrants(upcoming, 38)
    before = (timezone.now() - datetime.timedelta(days=21)).astimezone(eastern)
    past = _webinar(
        "demo-kickoff-webinar",
        title="Initiative kickoff: tracks, workstreams and how to take part",
        description="An introduction to the national initiative on DER integration, its three tracks and how "
        "stakeholders join a workstream.",
        starts_at=before.replace(hour=14, minute=0, second=0, microsecond=0),
        time_zone="America/New_York",
        duration_minutes=60,
        capacity=200,
        join_url="https://meet.example.org/der-initiative-kickoff",
        recording_url="https://video.example.org/der-initiative-kickoff",
    )
    _registrants(past, 24, attended_every=4)
    return []
