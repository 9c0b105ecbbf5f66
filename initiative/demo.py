"""Demo organizations and one account per role, for `make run` (via `manage.py load_demo`).

Idempotent: accounts and organizations are found by email and name; seats are added once.
Organization names are invented (marked "(demo)") so no real body seems to take part.
"""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.conf import settings
from django.utils import timezone
from django.utils.text import slugify

from .models import Body, BodyMembership, JurisdictionKind, Organization, StakeholderType, User

ORGANIZATIONS = [
    ("Bayview Electric Company (demo)", StakeholderType.IOU, JurisdictionKind.STATE, "CA"),
    ("Prairie Municipal Light (demo)", StakeholderType.MUNICIPAL_UTILITY, JurisdictionKind.STATE, "MN"),
    (
        "Ridgeline Electric Cooperative (demo)",
        StakeholderType.COOPERATIVE_UTILITY,
        JurisdictionKind.STATE,
        "CO",
    ),
    ("Great Lakes Grid Operator (demo)", StakeholderType.ISO_RTO, JurisdictionKind.ISO_RTO, "MISO"),
    ("Commonwealth Utility Commission (demo)", StakeholderType.STATE_REGULATOR, JurisdictionKind.STATE, "MA"),
    ("Sunbelt State Energy Office (demo)", StakeholderType.STATE_ENERGY_OFFICE, JurisdictionKind.STATE, "AZ"),
    ("VoltShare Aggregation (demo)", StakeholderType.DER_DEVELOPER, JurisdictionKind.NONE, ""),
    ("Northfield National Laboratory (demo)", StakeholderType.NATIONAL_LAB, JurisdictionKind.NONE, ""),
    ("Fair Power Consumer Council (demo)", StakeholderType.CONSUMER_ADVOCATE, JurisdictionKind.STATE, "NY"),
    ("GridWorks Devices (demo)", StakeholderType.MANUFACTURER, JurisdictionKind.NONE, ""),
]

# email, name, organization index, role description, (body, role) or None, admin access
ACCOUNTS = [
    (
        "staff@demo.example.org",
        "Dana Staff",
        None,
        "Implementation team staff",
        (Body.Kind.IMPLEMENTATION_TEAM, BodyMembership.Role.STAFF),
        False,
    ),
    (
        "lead@demo.example.org",
        "Lee Lead",
        7,
        "Implementation team, workstream lead",
        (Body.Kind.IMPLEMENTATION_TEAM, BodyMembership.Role.WORKSTREAM_LEAD),
        False,
    ),
    (
        "chair@demo.example.org",
        "Chris Chair",
        4,
        "Steering committee chair",
        (Body.Kind.STEERING_COMMITTEE, BodyMembership.Role.CHAIR),
        False,
    ),
    (
        "committee@demo.example.org",
        "Casey Committee",
        3,
        "Steering committee member",
        (Body.Kind.STEERING_COMMITTEE, BodyMembership.Role.MEMBER),
        False,
    ),
    (
        "participant@demo.example.org",
        "Pat Participant",
        0,
        "Participant (Workstreams A, B and C)",
        None,
        False,
    ),
    ("public@demo.example.org", "Robin Public", None, "Member of the public (verified email)", None, False),
    ("admin@demo.example.org", "Ada Admin", None, "Site administrator (Django admin)", None, True),
]

# Extra committee members so votes can reach a quorum in the demo.
EXTRA_COMMITTEE = [
    ("committee2@demo.example.org", "Morgan Member", 5),
    ("committee3@demo.example.org", "Jordan Member", 8),
]


# The authenticator-app key of every demo account whose role requires a second factor (staff, committee,
# admin). Published on purpose, like the demo password: add it to an app, or run `manage.py demo_code`.
DEMO_TOTP_SECRET = "DERDEMOXTOTPXKEYXFORXTRIALSXONLY"


def demo_code(at: float) -> str:
    """The code an authenticator app holding DEMO_TOTP_SECRET shows at the Unix time `at`."""
    return format_hotp_value(hotp_value(DEMO_TOTP_SECRET, int(at) // 30))


def _second_factor(user: User) -> None:
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, DEMO_TOTP_SECRET)


def _user(email: str, name: str, org: Organization | None, *, admin: bool = False) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email,
            password=settings.DEMO_PASSWORD,
            full_name=name,
            organization=org,
            is_staff=admin,
            is_superuser=admin,
        )
    EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


def _seat(user: User, kind: str, role: str) -> None:
    body = Body.objects.get(kind=kind)
    if not BodyMembership.objects.filter(body=body, user=user).exists():
        start = timezone.localdate().replace(month=1, day=1)
        BodyMembership.objects.create(body=body, user=user, role=role, starts_on=start)


def load() -> list[tuple[str, str]]:
    """Create the demo organizations and accounts; return (email, role) rows for the credentials table."""
    orgs = []
    for name, type_, kind, code in ORGANIZATIONS:
        org, _ = Organization.objects.get_or_create(
            name=name,
            defaults={"slug": slugify(name), "type": type_, "jurisdiction_kind": kind, "jurisdiction": code},
        )
        orgs.append(org)
    rows = []
    for email, name, org_index, role, seat, admin in ACCOUNTS:
        user = _user(email, name, orgs[org_index] if org_index is not None else None, admin=admin)
        if seat:
            _seat(user, *seat)
        if seat or admin:
            _second_factor(user)
            role += " · asks for a second code"
        rows.append((email, role))
    for email, name, org_index in EXTRA_COMMITTEE:
        user = _user(email, name, orgs[org_index])
        _seat(user, Body.Kind.STEERING_COMMITTEE, BodyMembership.Role.MEMBER)
        _second_factor(user)
    _governance_documents()
    return rows


CHARTER = """## Purpose

The steering committee gives the initiative strategic direction and approves its work products for
publication.

## Membership

Members are senior representatives of the stakeholder groups the initiative engages, seated for terms
recorded on the governance page.

## Decisions

Work products are approved by recorded vote: more than half of the sitting members must vote, and a
simple majority of the approve and request-changes votes approves."""

WORK_PLAN = """## Year one

Track 1: the functions, actors and operating models framework (Workstream A).

## Years two and three

Track 2: least-regrets strategies in Workstreams B–E, with public consultations on key deliverables.

## Year four

Track 3: the dialogue on the future distribution system."""


def _governance_documents() -> None:
    """The charter approved by the committee's vote; the work plan's first version put to the vote."""
    from . import services
    from .models import GovernanceDocument

    staff = User.objects.filter(email="staff@demo.example.org").first()
    chair = User.objects.filter(email="chair@demo.example.org").first()
    charter = GovernanceDocument.objects.filter(kind="charter").first()
    work_plan = GovernanceDocument.objects.filter(kind="work_plan").first()
    if not (staff and chair and charter and work_plan) or charter.versions.exists():
        return
    version = services.document_version_create(
        actor=staff, document=charter, body=CHARTER, change_note="Adopted"
    )
    approval = services.document_submit(actor=chair, version=version)
    voters = [
        m.user for m in BodyMembership.objects.current().filter(body__kind=Body.Kind.STEERING_COMMITTEE)
    ]
    for member in voters:
        services.document_vote_cast(
            actor=member, approval=approval, choice="approve", reason="A clear charter."
        )
    services.document_approval_close(actor=chair, approval=approval)
    plan = services.document_version_create(
        actor=staff, document=work_plan, body=WORK_PLAN, change_note="Draft"
    )
    services.document_submit(actor=staff, version=plan)


def demo_user(email: str) -> User:
    return User.objects.get(email=email)
