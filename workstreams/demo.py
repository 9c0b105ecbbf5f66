"""Demo enrollments for `make run`: the demo participant and organizations in several workstreams, and
a workstream lead. Idempotent."""

from django.utils import timezone

from initiative.demo import demo_user
from initiative.models import Organization, User

from .models import Enrollment, Workstream
from .services import COMMITMENT_TEXT

# workstream code → organizations (by name prefix) whose demo representatives take part
ENROLLMENTS = {
    "A": ["Bayview", "Great Lakes", "Commonwealth", "Northfield"],
    "B": ["Bayview", "Prairie", "Ridgeline", "Sunbelt"],
    "C": ["Bayview", "VoltShare", "Fair Power"],
    "D": ["Great Lakes", "VoltShare", "GridWorks"],
    "E": ["Ridgeline", "VoltShare", "Commonwealth"],
    "T3": ["Commonwealth", "Fair Power", "Northfield"],
}


def _representative(org: Organization) -> User:
    """The demo participant for Bayview; a generated representative for the others."""
    if org.name.startswith("Bayview"):
        return demo_user("participant@demo.example.org")
    email = f"rep-{org.slug[:40]}@demo.example.org"
    user, _ = User.objects.get_or_create(
        email=email, defaults={"full_name": f"Representative of {org.name.removesuffix(' (demo)')}", "organization": org}
    )
    return user


def load() -> list[tuple[str, str]]:
    for code, prefixes in ENROLLMENTS.items():
        workstream = Workstream.objects.filter(code=code).first()
        if workstream is None:
            continue
        for prefix in prefixes:
            org = Organization.objects.get(name__startswith=prefix)
            user = _representative(org)
            Enrollment.objects.get_or_create(
                workstream=workstream, user=user, status=Enrollment.Status.ACTIVE,
                defaults={"organization": org, "commitment": str(COMMITMENT_TEXT), "committed_at": timezone.now()},
            )
    lead = demo_user("lead@demo.example.org")
    Workstream.objects.filter(code="B", lead__isnull=True).update(lead=lead)
    return []
