"""A draft's text may also be entered in Spanish (`text_es` per paragraph, `title_es`,
django-modeltranslation). Comments stay anchored to the paragraph, whichever language it is read in;
English is the fallback."""

from modeltranslation.translator import TranslationOptions, register

from .models import DraftVersion, Paragraph, Section


@register(DraftVersion)
class DraftVersionTranslation(TranslationOptions):
    fields = ("title",)


@register(Section)
class SectionTranslation(TranslationOptions):
    fields = ("title",)


@register(Paragraph)
class ParagraphTranslation(TranslationOptions):
    fields = ("text",)
