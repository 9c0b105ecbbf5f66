"""Calendar invites (RFC 5546 iTIP over RFC 5545) for a webinar, built with `icalendar`.

One event per webinar: its UID never changes, SEQUENCE goes up each time attendees must update it, so a
calendar replaces the event on a move and removes it on METHOD:CANCEL.
"""

from datetime import timedelta
from email.message import MIMEPart
from email.utils import parseaddr

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext
from icalendar import Calendar, Event, vCalAddress, vText

REQUEST = "REQUEST"
CANCEL = "CANCEL"


def build(*, webinar, registration, method: str) -> bytes:
    """The .ics text for one registrant, in the language they signed up in (the title and description
    in Spanish when staff entered one). The join link goes in only for REQUEST (it is sent only to
    registrants who hold a seat)."""
    with translation.override(registration.language or settings.LANGUAGE_CODE):
        return _build(webinar=webinar, registration=registration, method=method)


def _build(*, webinar, registration, method: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//DER Integration Initiative//Webinars//EN")
    cal.add("version", "2.0")
    cal.add("method", method)
    event = Event()
    event.add("uid", webinar.ics_uid)
    event.add("sequence", webinar.ics_sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", webinar.local_start)
    event.add("dtend", webinar.local_end)
    event.add("summary", webinar.title)
    event.add("url", settings.SITE_URL + webinar.get_absolute_url())
    description = webinar.description
    if method == REQUEST:
        event.add("location", webinar.join_url)
        description = f"{description}\n\n{gettext('Join')}: {webinar.join_url}".strip()
    event.add("description", description)
    cancelled = method == CANCEL
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    _, from_address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    organizer = vCalAddress(f"mailto:{from_address}")
    organizer.params["cn"] = vText(gettext("DER Integration Initiative"))
    event["organizer"] = organizer
    attendee = vCalAddress(f"mailto:{registration.email}")
    attendee.params["cn"] = vText(registration.name)
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    attendee.params["rsvp"] = vText("FALSE")
    event.add("attendee", attendee, encode=0)
    cal.add_component(event)
    # A VTIMEZONE covering the year around the event, not 1970-2038: same meaning, a fraction of the size.
    start = webinar.local_start.date()
    cal.add_missing_timezones(first_date=start - timedelta(days=366), last_date=start + timedelta(days=366))
    return cal.to_ical()


def attachment(*, webinar, registration, method: str) -> MIMEPart:
    """The invite as a MIME part `text/calendar; method=...`, for `initiative.emails.send`."""
    part = MIMEPart()
    part.set_content(
        build(webinar=webinar, registration=registration, method=method).decode(),
        subtype="calendar",
        charset="utf-8",
        params={"method": method},
        disposition="attachment",
        filename="invite.ics" if method == REQUEST else "cancel.ics",
    )
    return part
