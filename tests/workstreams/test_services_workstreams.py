"""Invitations: staff invite by email, the invitee accepts once with an explicit commitment, and may
later withdraw. Expired, reused, revoked and misaddressed invitations are refused."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from initiative.models import AuditEvent
from tests.factories import InvitationFactory, UserFactory
from workstreams.models import Enrollment, Invitation
from workstreams.services import workstreams as services

pytestmark = pytest.mark.django_db


def accept_url(token):
    return reverse("workstreams:invitation-accept", kwargs={"token": token})


def test_staff_invite_sends_one_email_with_a_working_link(
    client, staff, workstream, mailoutbox, django_capture_on_commit_callbacks, eager_tasks
):
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("workstreams:invitation-manage", kwargs={"slug": workstream.slug}),
            {"email": "New.Person@Example.org", "message": "Join us"},
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.email == "new.person@example.org"
    assert invitation.sent_at is not None
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["new.person@example.org"]
    assert workstream.title in mail.subject
    assert mail.alternatives and mail.alternatives[0][1] == "text/html"
    token = re.search(r"/invitations/([^/]+)/", mail.body).group(1)
    assert invitation.token_hash != token  # only the hash is stored
    assert AuditEvent.objects.filter(action="invitation.create").exists()

    # Redelivery of the task sends nothing more.
    from workstreams.tasks import send_invitation

    assert send_invitation(invitation.pk, token) is False
    assert len(mailoutbox) == 1


def test_non_staff_cannot_invite(client, participant, workstream):
    client.force_login(participant)
    url = reverse("workstreams:invitation-manage", kwargs={"slug": workstream.slug})
    assert client.get(url).status_code == 403
    assert client.post(url, {"email": "x@example.org"}).status_code == 403
    assert not Invitation.objects.exists()


def test_invalid_email_is_refused_with_a_message(client, staff, workstream):
    client.force_login(staff)
    url = reverse("workstreams:invitation-manage", kwargs={"slug": workstream.slug})
    response = client.post(url, {"email": "not-an-email"})
    assert response.status_code == 422
    assert "Enter a valid email address" in response.content.decode()


def test_accept_with_commitment_enrolls(client, workstream):
    user = UserFactory(verified=True)
    InvitationFactory(workstream=workstream, email=user.email, token="tok-1")
    client.force_login(user)
    page = client.get(accept_url("tok-1")).content.decode()
    assert "I commit to take part" in page
    response = client.post(accept_url("tok-1"), {"commit": "on"})
    assert response.status_code == 302
    enrollment = Enrollment.objects.get(user=user, workstream=workstream)
    assert enrollment.status == "active"
    assert "throughout" in enrollment.commitment
    assert Invitation.objects.get().status == "accepted"
    assert AuditEvent.objects.filter(action="enrollment.commit").exists()


def test_accept_without_commitment_is_refused(client, workstream):
    user = UserFactory(verified=True)
    InvitationFactory(workstream=workstream, email=user.email, token="tok-2")
    client.force_login(user)
    response = client.post(accept_url("tok-2"), {})
    assert "Tick the commitment" in response.content.decode()
    assert not Enrollment.objects.exists()


def test_reused_token_is_refused(client, workstream):
    user = UserFactory(verified=True)
    InvitationFactory(workstream=workstream, email=user.email, token="tok-3")
    client.force_login(user)
    client.post(accept_url("tok-3"), {"commit": "on"})
    response = client.post(accept_url("tok-3"), {"commit": "on"})
    assert response.status_code == 410
    assert "already been used" in response.content.decode()
    assert Enrollment.objects.count() == 1


def test_expired_token_is_refused(client, workstream):
    user = UserFactory(verified=True)
    created = timezone.now() - datetime.timedelta(days=15)
    InvitationFactory(workstream=workstream, email=user.email, token="tok-4", created_at=created)
    client.force_login(user)
    response = client.post(accept_url("tok-4"), {"commit": "on"})
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    assert not Enrollment.objects.exists()


def test_expiry_sweep_marks_pending_invitations_once(workstream):
    InvitationFactory(workstream=workstream, token="tok-5")
    later = timezone.now() + datetime.timedelta(days=15)
    assert services.invitations_expire(now=later) == 1
    assert services.invitations_expire(now=later) == 0
    assert Invitation.objects.get().status == "expired"


def test_invitation_for_another_address_is_refused(client, workstream):
    InvitationFactory(workstream=workstream, email="someone@example.org", token="tok-6")
    intruder = UserFactory(verified=True)
    client.force_login(intruder)
    response = client.post(accept_url("tok-6"), {"commit": "on"})
    assert "another email address" in response.content.decode()
    assert not Enrollment.objects.exists()


def test_unknown_token_is_404(client):
    assert client.get(accept_url("nope")).status_code == 404


def test_anonymous_visitor_is_asked_to_log_in(client, workstream):
    InvitationFactory(workstream=workstream, token="tok-7")
    page = client.get(accept_url("tok-7")).content.decode()
    assert "log in" in page and "create an account" in page


def test_participant_withdraws_and_the_record_stays(client, participant, workstream):
    enrollment = participant.enrollments.get()
    client.force_login(participant)
    response = client.post(
        reverse("initiative:enrollment-withdraw", args=[enrollment.pk]), {"reason": "Moved on"}
    )
    assert response.status_code == 302
    enrollment.refresh_from_db()
    assert enrollment.status == "withdrawn" and enrollment.withdrawal_reason == "Moved on"
    assert AuditEvent.objects.filter(action="enrollment.withdraw", reason="Moved on").exists()


def test_nobody_withdraws_someone_else(client, participant, public_user):
    enrollment = participant.enrollments.get()
    client.force_login(public_user)
    response = client.post(reverse("initiative:enrollment-withdraw", args=[enrollment.pk]))
    assert response.status_code == 404
    enrollment.refresh_from_db()
    assert enrollment.status == "active"


def test_the_sign_up_link_of_an_invitation_prefills_the_invited_address(
    client, staff, workstream, mailoutbox, django_capture_on_commit_callbacks, eager_tasks
):
    """The invited person, not yet registered, follows "create an account" from the invitation page:
    the sign-up form already holds the address the invitation was sent to."""
    import html as html_lib

    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("workstreams:invitation-manage", args=[workstream.slug]),
            {"email": "invitee@example.org", "message": "Join"},
        )
    token = re.search(r"/invitations/([^/]+)/", mailoutbox[0].body).group(1)
    client.logout()
    page = client.get(accept_url(token)).content.decode()
    link = re.search(r'href="(/accounts/signup/[^"]+)">create an account', page).group(1)
    signup = client.get(html_lib.unescape(link)).content.decode()
    assert 'value="invitee@example.org"' in signup


def test_enrolling_follows_the_workstream(client, workstream):
    from initiative.models import Subscription

    user = UserFactory(verified=True)
    InvitationFactory(workstream=workstream, email=user.email, token="tok-follow")
    client.force_login(user)
    client.post(accept_url("tok-follow"), {"commit": "on"})
    assert Subscription.objects.filter(user=user, target=f"workstreams.workstream:{workstream.pk}").exists()
    page = client.get(reverse("initiative:notification-preferences")).content.decode()
    assert str(workstream) in page and "Stop following" in page
