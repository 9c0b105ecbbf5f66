from django.apps import AppConfig


class ConsultationsConfig(AppConfig):
    name = "consultations"
    verbose_name = "Drafts, reviews and consultations"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from initiative import readcache
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

        # reads kept in the shared cache: see initiative.readcache. "drafts": a version as version_get
        # reads it (with its deliverable, workstream and reviews) and draft_access's versions (and
        # whether each is published), any write to one of those
        readcache.changed_by("consultations.Redaction", lambda r: f"withheld:{r.version.deliverable_id}")
        # a version's title or translation saved with its paragraphs' (the withheld words are cut from them)
        readcache.changed_by(
            "consultations.DraftVersion", lambda v: [f"withheld:{v.deliverable_id}", "drafts"]
        )
        # the questions a review offers: its chosen ones, else its workstream's (any change, any review)
        # "comment-forms": a fresh comment form (views.drafts.comment_form_entry), which shows those
        # questions and the commenter's organization's name
        readcache.changed_by(
            "consultations.Review", lambda _r: ["questions", "comment-forms", "drafts"], m2m="questions"
        )
        readcache.changed_by("workstreams.IllustrativeQuestion", lambda _q: ["questions", "comment-forms"])
        readcache.changed_by("workstreams.Deliverable", lambda _d: ["questions", "comment-forms", "drafts"])
        readcache.changed_by("initiative.Organization", lambda _o: "comment-forms")
        readcache.changed_by("workstreams.Workstream", lambda _w: "drafts")
        # whether a version is published (its rendered copy): draft_access's versions
        readcache.changed_by("consultations.Publication", lambda _p: "drafts")
