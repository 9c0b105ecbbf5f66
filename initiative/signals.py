"""allauth hooks: sign-ups and logins reach the audit log (allauth sends these; we only listen)."""

from allauth.account.signals import email_confirmed, user_signed_up
from django.dispatch import receiver

from . import audit


@receiver(user_signed_up)
def on_signed_up(sender, request, user, **kwargs):
    audit.record(actor=user, action="user.sign_up", obj=user)


@receiver(email_confirmed)
def on_email_confirmed(sender, request, email_address, **kwargs):
    audit.record(
        actor=email_address.user, action="user.verify_email", obj=email_address.user, after={"verified": True}
    )
