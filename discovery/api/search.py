"""The site's search in the API: the same form, selector and visibility as the page."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

from ..forms.search import SearchForm
from ..models import SearchEntry
from ..selectors.search import SearchPaginator, entry_search, hits


class SearchHitSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=SearchEntry.Kind.choices)
    kind_label = serializers.CharField()
    title = serializers.CharField(help_text="Escaped text; matches inside <mark>…</mark>, no other markup.")
    snippet = serializers.CharField(help_text="Escaped text; matches inside <mark>…</mark>, no other markup.")
    url = serializers.CharField(help_text="The page on the site")
    date = serializers.DateTimeField(allow_null=True)
    workstream = serializers.CharField(allow_blank=True)
    rank = serializers.FloatField()


class SearchPagination(PageNumberPagination):
    django_paginator_class = SearchPaginator
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 50


@extend_schema(
    summary="Search the initiative's record",
    description=(
        "Full-text search across workstreams, deliverables, published work products, draft text, comments, "
        "glossary terms, sessions (and their minutes, for members) and webinars, best match first. Only "
        "what the caller may read is searched. `q` takes web-search syntax: quotes, `or`, `-word`."
    ),
    parameters=[
        OpenApiParameter("q", OpenApiTypes.STR, required=True, description="Words to find (200 characters)"),
        OpenApiParameter(
            "kind", OpenApiTypes.STR, many=True, enum=SearchEntry.Kind.values, description="Kinds to include"
        ),
        OpenApiParameter("workstream", OpenApiTypes.INT, description="A workstream's id"),
        OpenApiParameter("date_from", OpenApiTypes.DATE),
        OpenApiParameter("date_to", OpenApiTypes.DATE),
    ],
    responses={
        200: SearchHitSerializer(many=True),
        400: OpenApiResponse(description="No words to find, or an invalid filter (field: messages)"),
    },
)
class SearchApi(generics.ListAPIView):
    serializer_class = SearchHitSerializer
    pagination_class = SearchPagination
    filter_backends: list = []

    def get_queryset(self):
        form = SearchForm(self.request.query_params)
        if not form.is_valid():
            raise ValidationError(form.errors.get_json_data())
        self.params = form.params()
        if not self.params.q.strip():
            raise ValidationError({"q": [_("Type the words to find.")]})
        return entry_search(user=self.request.user, params=self.params)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(hits(page, q=self.params.q), many=True).data)
