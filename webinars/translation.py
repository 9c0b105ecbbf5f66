"""A webinar's title and description may also be entered in Spanish (`title_es`, `description_es`,
django-modeltranslation); English is the fallback, for the page, the emails and the calendar invite."""

from modeltranslation.translator import TranslationOptions, register

from .models import Webinar


@register(Webinar)
class WebinarTranslation(TranslationOptions):
    fields = ("title", "description")
