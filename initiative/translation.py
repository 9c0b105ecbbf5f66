"""The initiative's own text on the home page may also be entered in Spanish (django-modeltranslation,
English fallback), and `in_default_language` for the services that write staff text.

django-modeltranslation writes `obj.title = ...` (and `Model(title=...)`) to the column of the language
active at the time: a staff member browsing in Spanish would otherwise overwrite the Spanish version
instead of the English text the form shows. The services that write translated fields run in English;
the Spanish columns are written by name (`title_es`)."""

import functools

from django.conf import settings
from django.utils import translation
from modeltranslation.translator import TranslationOptions, register

from .models import Goal, Initiative


@register(Initiative)
class InitiativeTranslation(TranslationOptions):
    fields = ("name", "tagline", "summary")


@register(Goal)
class GoalTranslation(TranslationOptions):
    fields = ("title", "description")


def in_default_language(func):
    """Run `func` with the default language (English) active, whatever the request's."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return func(*args, **kwargs)

    return wrapper
