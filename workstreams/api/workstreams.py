"""Public read API of tracks and workstreams."""

from rest_framework import generics

from .. import selectors
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
