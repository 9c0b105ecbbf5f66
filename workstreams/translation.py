"""The report's text that staff may also enter in Spanish (`<field>_es`, django-modeltranslation): a
Spanish page shows it when present and falls back to English, with a note, when not."""

from modeltranslation.translator import TranslationOptions, register

from .models import Track, Workstream


@register(Track)
class TrackTranslation(TranslationOptions):
    fields = ("title", "objective", "description")


@register(Workstream)
class WorkstreamTranslation(TranslationOptions):
    fields = ("name", "challenge", "objective", "approach", "emerging_issues")
