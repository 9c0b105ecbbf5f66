"""allauth hooks: sign-ups, logins and second-factor changes reach the audit log (allauth sends these; we
only listen)."""

from allauth.account.signals import email_confirmed, user_signed_up
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added, authenticator_removed, authenticator_used
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


@receiver(authenticator_used)
def on_authenticator_used(sender, request, user, authenticator, **kwargs):
    """A recovery code spent is worth a record (the member may have lost their device, or someone has
    their codes); routine app and key use is not."""
    if authenticator.type == Authenticator.Type.RECOVERY_CODES:
        audit.record(
            actor=user,
            action="user.recovery_code_used",
            obj=user,
            after={
                "unused_codes": len(Authenticator.objects.get(pk=authenticator.pk).wrap().get_unused_codes()),
                "reauthenticated": bool(kwargs.get("reauthenticated")),
            },
        )


@receiver(authenticator_added)
def on_authenticator_added(sender, request, user, authenticator, **kwargs):
    audit.record(actor=user, action="user.second_factor_add", obj=user, after={"type": authenticator.type})


@receiver(authenticator_removed)
def on_authenticator_removed(sender, request, user, authenticator, **kwargs):
    audit.record(
        actor=user, action="user.second_factor_remove", obj=user, before={"type": authenticator.type}
    )
