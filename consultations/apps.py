from django.apps import AppConfig


class ConsultationsConfig(AppConfig):
    name = "consultations"
    verbose_name = "Drafts, reviews and consultations"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from initiative.models import Organization, User

        from . import fragments
        from .models import Attachment, Comment

        # what a cached page of comments shows: see consultations.fragments
        for model in (Comment, Attachment, User, Organization):
            post_save.connect(
                fragments.comments_changed, sender=model, dispatch_uid=f"fragments-{model.__name__}"
            )
            post_delete.connect(
                fragments.comments_changed, sender=model, dispatch_uid=f"fragments-d-{model.__name__}"
            )
