"""Public read API: tracks, workstreams, the glossary and participating organizations."""

from rest_framework import generics

from initiative.models import Organization
from workstreams import selectors
from workstreams.models import GlossaryTerm

from . import serializers


class TrackListApi(generics.ListAPIView):
    serializer_class = serializers.TrackSerializer
    queryset = selectors.track_list()


class WorkstreamListApi(generics.ListAPIView):
    serializer_class = serializers.WorkstreamSerializer
    queryset = selectors.workstream_list()
    filterset_fields = ["code", "track__number"]


class WorkstreamDetailApi(generics.RetrieveAPIView):
    serializer_class = serializers.WorkstreamSerializer
    queryset = selectors.workstream_list()
    lookup_field = "slug"


class GlossaryListApi(generics.ListAPIView):
    serializer_class = serializers.GlossaryTermSerializer
    queryset = GlossaryTerm.objects.all()
    filterset_fields = ["kind"]


class OrganizationListApi(generics.ListAPIView):
    serializer_class = serializers.OrganizationSerializer
    filterset_fields = ["type", "jurisdiction_kind", "jurisdiction"]

    def get_queryset(self):
        return Organization.objects.all()
