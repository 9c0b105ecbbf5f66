"""What every API list shares: pagination (page numbers with a ceiling; cursors for long, growing lists
such as comments) and conditional GETs for the lists that change rarely."""

import datetime
import hashlib

import django_filters
from django.core.exceptions import ValidationError
from django.http import HttpResponseNotModified
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date, quote_etag
from django.utils.translation import gettext_lazy as _
from django_filters.fields import IsoDateTimeField
from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200


class CursorPagination(pagination.CursorPagination):
    """Stable under inserts: a comment posted while a program pages never shifts what it reads next."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = ("created_at", "pk")


class ConditionalListMixin:
    """`ETag` (a digest of the body as rendered) and, when the view can say cheaply, `Last-Modified`
    (`last_modified()` returning an aware datetime or None) on a GET; a request whose `If-None-Match`
    (or `If-Modified-Since`) still matches gets a bodiless 304. Clients are told to revalidate
    (`Cache-Control: no-cache`), so a change is seen on the next request."""

    def last_modified(self):
        return None

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        response.render()
        etag = quote_etag(hashlib.sha256(response.content).hexdigest()[:40])
        modified = self.last_modified()
        response["ETag"] = etag
        if modified is not None:
            response["Last-Modified"] = http_date(modified.timestamp())
        patch_cache_control(response, no_cache=True)
        patch_vary_headers(response, ["Accept", "Authorization", "Cookie"])
        conditional = get_conditional_response(
            request._request,
            etag=etag,
            last_modified=int(modified.timestamp()) if modified is not None else None,
            response=response,
        )
        if isinstance(conditional, HttpResponseNotModified):
            return conditional
        return response


class _UtcIsoDateTimeField(IsoDateTimeField):
    """An ISO 8601 date-time, as UTC: Python accepts offsets up to ±23:59, PostgreSQL only to ±15:59, so a
    query with `+18:05` would be a database error rather than the instant it names."""

    def to_python(self, value):
        value = super().to_python(value)
        if value is None:
            return None
        try:
            return value.astimezone(datetime.UTC)
        except (OverflowError, ValueError) as exc:
            raise ValidationError(
                _("Enter a date and time between the years 1 and 9999."), code="invalid"
            ) from exc


class UtcDateTimeFilter(django_filters.IsoDateTimeFilter):
    """django-filter's ISO 8601 date-time filter, converted to UTC before it reaches the query."""

    field_class = _UtcIsoDateTimeField
