"""The initiative's own text on the home page may also be entered in Spanish (django-modeltranslation,
English fallback)."""

from modeltranslation.translator import TranslationOptions, register

from .models import Goal, Initiative


@register(Initiative)
class InitiativeTranslation(TranslationOptions):
    fields = ("name", "tagline", "summary")


@register(Goal)
class GoalTranslation(TranslationOptions):
    fields = ("title", "description")
