"""The Django project package and the governance domain of the DER-integration initiative."""

from .celery import app as celery_app

__all__ = ("celery_app",)
