"""Sign-up, duplicate emails, waitlist promotion order, cancellation and capacity changes."""

import datetime

import pytest
from django.utils import timezone

from initiative.models import AuditEvent
from webinars import services
from webinars.models import Registration

from .factories import RegistrationFactory, WebinarFactory

pytestmark = pytest.mark.django_db


def test_signups_fill_seats_then_join_the_waitlist(signup):
    webinar = WebinarFactory(capacity=2)
    statuses = [signup(webinar, f"p{i}@example.org").registration.status for i in range(4)]
    assert statuses == ["confirmed", "confirmed", "waitlisted", "waitlisted"]
    assert AuditEvent.objects.filter(action="webinar.register").count() == 4


def test_signup_sends_the_confirmation_link(
    signup, eager_tasks, mailoutbox, django_capture_on_commit_callbacks
):
    webinar = WebinarFactory(capacity=1)
    with django_capture_on_commit_callbacks(execute=True):
        reg = signup(webinar, "ana@example.org").registration
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["ana@example.org"]
    assert "Confirm your registration" in message.subject
    token = services.registration_token(reg)
    assert f"/webinars/registration/{token}/" in message.body
    assert f"/webinars/registration/{token}/cancel/" in message.body
    assert webinar.join_url not in message.body  # not before the address is confirmed


def test_duplicate_email_is_refused_case_insensitively_and_resends(
    signup, eager_tasks, mailoutbox, django_capture_on_commit_callbacks
):
    webinar = WebinarFactory(capacity=5)
    with django_capture_on_commit_callbacks(execute=True):
        first = signup(webinar, "Ana@Example.org")
    with django_capture_on_commit_callbacks(execute=True):
        second = signup(webinar, "ana@example.ORG", name="Someone else")
    assert first.created and not second.created
    assert second.registration.pk == first.registration.pk
    assert Registration.objects.filter(webinar=webinar).count() == 1
    assert Registration.objects.get().name == "Ana"
    assert len(mailoutbox) == 2  # the confirmation, sent again
    assert mailoutbox[1].to == ["Ana@Example.org"]


def test_database_refuses_a_second_row_for_the_same_email():
    from django.db import IntegrityError, transaction

    reg = RegistrationFactory(email="bo@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        RegistrationFactory(webinar=reg.webinar, email="BO@example.org")


def test_same_email_may_register_for_another_webinar(signup):
    signup(WebinarFactory(), "cy@example.org")
    assert signup(WebinarFactory(), "cy@example.org").created


def test_signup_requires_consent(signup):
    with pytest.raises(services.WebinarError) as exc:
        signup(WebinarFactory(), "d@example.org", consent=False)
    assert exc.value.code == "no_consent"


def test_signup_refused_after_the_deadline_and_for_cancelled_webinars(signup, staff):
    closed = WebinarFactory(registration_closes_at=timezone.now() - datetime.timedelta(minutes=1))
    with pytest.raises(services.WebinarError) as exc:
        signup(closed, "e@example.org")
    assert exc.value.code == "closed"
    cancelled = services.webinar_cancel(actor=staff, webinar=WebinarFactory())
    with pytest.raises(services.WebinarError) as exc:
        signup(cancelled, "e@example.org")
    assert exc.value.code == "cancelled"
    assert not Registration.objects.exists()


def test_waitlist_is_promoted_in_order_when_seats_free_up(
    signup, eager_tasks, mailoutbox, django_capture_on_commit_callbacks
):
    webinar = WebinarFactory(capacity=2)
    a, b, c, d, e = (signup(webinar, f"{x}@example.org").registration for x in "abcde")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(actor=None, registration=b)
    c.refresh_from_db()
    d.refresh_from_db()
    assert c.status == "confirmed" and c.promoted_at is not None
    assert d.status == "waitlisted"
    promoted_mail = [m for m in mailoutbox if m.to == ["c@example.org"]]
    assert len(promoted_mail) == 1 and "A seat opened" in promoted_mail[0].subject
    # cancelling a waitlisted registration frees no seat and promotes nobody
    services.registration_cancel(actor=None, registration=e)
    d.refresh_from_db()
    assert d.status == "waitlisted"
    services.registration_cancel(actor=None, registration=a)
    d.refresh_from_db()
    assert d.status == "confirmed"
    assert Registration.objects.filter(webinar=webinar, status="confirmed").count() == 2


def test_promoted_registrant_with_confirmed_address_gets_the_invite(
    signup, eager_tasks, mailoutbox, django_capture_on_commit_callbacks
):
    webinar = WebinarFactory(capacity=1)
    a = signup(webinar, "a@example.org").registration
    b = signup(webinar, "b@example.org").registration
    services.registration_confirm_email(registration=b)  # waitlisted: no invite yet
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(actor=None, registration=a)
    invite = next(m for m in mailoutbox if m.to == ["b@example.org"])
    assert webinar.join_url in invite.body
    assert any(att.get_content_type() == "text/calendar" for att in invite.attachments)


def test_cancelled_registrant_can_sign_up_again_at_the_end_of_the_queue(signup):
    webinar = WebinarFactory(capacity=1)
    a = signup(webinar, "a@example.org").registration
    signup(webinar, "b@example.org")
    services.registration_cancel(actor=None, registration=a)  # b is promoted
    again = signup(webinar, "A@example.org")
    assert again.created and again.registration.pk == a.pk
    assert again.registration.status == "waitlisted"


def test_raising_capacity_promotes_and_lowering_below_seats_is_refused(signup, staff):
    webinar = WebinarFactory(capacity=1)
    regs = [signup(webinar, f"{x}@example.org").registration for x in "abcd"]
    services.webinar_update(actor=staff, webinar=webinar, capacity=3)
    assert [Registration.objects.get(pk=r.pk).status for r in regs] == [
        "confirmed",
        "confirmed",
        "confirmed",
        "waitlisted",
    ]
    with pytest.raises(services.WebinarError) as exc:
        services.webinar_update(actor=staff, webinar=webinar, capacity=2)
    assert exc.value.code == "capacity_below_seats"


def test_moving_a_webinar_bumps_the_sequence_and_tells_everyone(
    signup, staff, eager_tasks, mailoutbox, django_capture_on_commit_callbacks
):
    webinar = WebinarFactory(capacity=1)
    a = signup(webinar, "a@example.org").registration
    services.registration_confirm_email(registration=a)
    signup(webinar, "b@example.org")
    mailoutbox.clear()
    new_start = webinar.starts_at + datetime.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        webinar = services.webinar_update(actor=staff, webinar=webinar, starts_at=new_start)
    assert webinar.ics_sequence == 1
    assert webinar.ends_at == new_start + datetime.timedelta(minutes=60)
    assert sorted(m.to[0] for m in mailoutbox) == ["a@example.org", "b@example.org"]
    to_a = next(m for m in mailoutbox if m.to == ["a@example.org"])
    to_b = next(m for m in mailoutbox if m.to == ["b@example.org"])
    assert to_a.attachments and not to_b.attachments  # only the seat holder has the event in a calendar
    assert AuditEvent.objects.filter(action="webinar.update").exists()


def test_staff_only_write_services(signup, public_user, participant):
    webinar = WebinarFactory()
    from django.core.exceptions import PermissionDenied

    for user in (public_user, participant):
        with pytest.raises(PermissionDenied):
            services.webinar_update(actor=user, webinar=webinar, capacity=10)
        with pytest.raises(PermissionDenied):
            services.webinar_cancel(actor=user, webinar=webinar)
        with pytest.raises(PermissionDenied):
            services.webinar_create(
                actor=user, title="x", starts_at=timezone.now(), capacity=1, join_url="https://x.example.org"
            )


def test_attendance_marked_after_the_start_only(signup, staff):
    webinar = WebinarFactory(capacity=2)
    a = signup(webinar, "a@example.org").registration
    b = signup(webinar, "b@example.org").registration
    with pytest.raises(services.WebinarError):
        services.attendance_mark(actor=staff, webinar=webinar, present_ids={a.pk})
    webinar.starts_at = timezone.now() - datetime.timedelta(minutes=5)
    webinar.save()
    assert services.attendance_mark(actor=staff, webinar=webinar, present_ids={a.pk}) == 1
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.attended is True and b.attended is False
