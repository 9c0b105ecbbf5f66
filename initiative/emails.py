"""Sends the platform's emails: a plain-text part and an HTML part from one pair of templates."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import translation


def send(
    *,
    template: str,
    to: list[str],
    context: dict,
    headers: dict | None = None,
    attachments: list | None = None,
    language: str | None = None,
) -> None:
    """Render `templates/emails/<template>_subject.txt`, `.txt` and `.html`, and send one message.
    `attachments` are `email.message.MIMEPart`s (e.g. a calendar invite), attached as they are.
    `language` is the recipient's (an account's preference, or the language a registrant or subscriber
    signed up in); without one the message is in the site's default language, whatever the language of
    the request or task that sends it."""
    ctx = {"site_url": settings.SITE_URL, **context}
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = " ".join(render_text(f"emails/{template}_subject.txt", ctx).split())
        text = render_text(f"emails/{template}.txt", ctx)
        html = render_to_string(f"emails/{template}.html", ctx)
    message = EmailMultiAlternatives(subject=subject, body=text, to=to, headers=headers or {})
    message.attach_alternative(html, "text/html")
    for part in attachments or []:
        message.attach(part)
    message.send()


def render_text(name: str, context: dict) -> str:
    """A plain-text template rendered without HTML autoescaping: "don't" stays "don't", not "don&#x27;t".
    (Plain text is never parsed as HTML, so there is nothing to escape; the HTML part keeps escaping.)"""
    return get_template(name).template.render(Context(context, autoescape=False))


def languages_of(addresses) -> dict[str, str]:
    """{address (lower-case): language} of the accounts among `addresses`: the language each of those
    emails goes out in (an address without an account gets the site's default)."""
    from django.contrib.auth import get_user_model

    wanted = {a.lower() for a in addresses if a}
    if not wanted:
        return {}
    rows = get_user_model().objects.filter(email__in=wanted).values_list("email", "language")
    return {email.lower(): language for email, language in rows}
