from django.apps import AppConfig


class WebinarsConfig(AppConfig):
    name = "webinars"
    verbose_name = "Webinars"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The review workflow (upstream) must not import this app: it asks, through its requirement
        # registry, whether a held webinar is linked to a deliverable, and this app answers.
        from consultations import workflow

        from . import selectors

        workflow.register_check(workflow.HELD_WEBINAR, selectors.deliverable_has_held_webinar)
