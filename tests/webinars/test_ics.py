"""The calendar invite parses back with a real iCalendar parser: stable UID, right time zone, SEQUENCE
bumped on a move, METHOD:REQUEST then METHOD:CANCEL, sent as text/calendar; method=..."""

import datetime
import zoneinfo

import pytest
from icalendar import Calendar

from webinars import ics, services

from .factories import RegistrationFactory, WebinarFactory

pytestmark = pytest.mark.django_db


def _event(data: bytes):
    cal = Calendar.from_ical(data)
    events = list(cal.walk("VEVENT"))
    assert len(events) == 1
    return cal, events[0]


def test_request_invite_has_uid_time_zone_and_join_link():
    start = datetime.datetime(2027, 3, 9, 14, 0, tzinfo=zoneinfo.ZoneInfo("America/Chicago"))
    webinar = WebinarFactory(starts_at=start, time_zone="America/Chicago", duration_minutes=90)
    reg = RegistrationFactory(webinar=webinar, name="Ana Díaz", email="ana@example.org")
    cal, event = _event(ics.build(webinar=webinar, registration=reg, method=ics.REQUEST))
    assert str(cal["METHOD"]) == "REQUEST"
    assert str(event["UID"]) == webinar.ics_uid
    assert int(event["SEQUENCE"]) == 0
    dtstart = event.decoded("DTSTART")
    assert dtstart == start
    assert str(dtstart.tzinfo) == "America/Chicago"
    assert event["DTSTART"].params["TZID"] == "America/Chicago"
    assert event.decoded("DTEND") - dtstart == datetime.timedelta(minutes=90)
    assert webinar.join_url in str(event["LOCATION"])
    assert str(event["ATTENDEE"]) == "mailto:ana@example.org"
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["America/Chicago"]


def test_move_keeps_uid_and_bumps_sequence_and_cancel_says_cancel(staff):
    webinar = WebinarFactory()
    reg = RegistrationFactory(webinar=webinar)
    _, before = _event(ics.build(webinar=webinar, registration=reg, method=ics.REQUEST))
    moved = services.webinar_update(
        actor=staff, webinar=webinar, starts_at=webinar.starts_at + datetime.timedelta(hours=2)
    )
    _, after = _event(ics.build(webinar=moved, registration=reg, method=ics.REQUEST))
    assert str(after["UID"]) == str(before["UID"])
    assert int(after["SEQUENCE"]) == int(before["SEQUENCE"]) + 1
    assert after.decoded("DTSTART") - before.decoded("DTSTART") == datetime.timedelta(hours=2)
    cancelled = services.webinar_cancel(actor=staff, webinar=moved)
    cal, event = _event(ics.build(webinar=cancelled, registration=reg, method=ics.CANCEL))
    assert str(cal["METHOD"]) == "CANCEL"
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["UID"]) == str(before["UID"])
    assert int(event["SEQUENCE"]) == 2
    assert "LOCATION" not in event  # no join link in a cancellation


def test_invite_email_attaches_text_calendar_with_method(
    signup, eager_tasks, mailoutbox, django_capture_on_commit_callbacks
):
    webinar = WebinarFactory()
    reg = signup(webinar, "ana@example.org").registration
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_confirm_email(registration=reg)
    (message,) = mailoutbox
    raw = message.message()
    parts = [p for p in raw.walk() if p.get_content_type() == "text/calendar"]
    assert len(parts) == 1
    assert parts[0].get_param("method") == "REQUEST"
    assert parts[0].get_filename() == "invite.ics"
    _, event = _event(parts[0].get_content().encode())
    assert str(event["UID"]) == webinar.ics_uid
