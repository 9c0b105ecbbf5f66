"""Public read API of tracks and workstreams."""

from rest_framework import generics

from initiative.listing import ConditionalListMixin

from .. import selectors
from . import serializers


class TrackListApi(ConditionalListMixin, generics.ListAPIView):
    serializer_class = serializers.TrackSerializer
    queryset = selectors.track_list()
    ordering_fields = ["number", "title"]


class WorkstreamListApi(ConditionalListMixin, generics.ListAPIView):
    serializer_class = serializers.WorkstreamSerializer
    queryset = selectors.workstream_list()
    filterset_fields = ["code", "track__number"]
    ordering_fields = ["code", "title", "start_month", "end_month", "participant_count"]


class WorkstreamDetailApi(generics.RetrieveAPIView):
    serializer_class = serializers.WorkstreamSerializer
    queryset = selectors.workstream_list()
    lookup_field = "slug"


class LifecycleStepListApi(generics.ListAPIView):
    """A workstream's five lifecycle steps in order, with planned and actual dates and each step's
    section of the running report (Markdown)."""

    serializer_class = serializers.LifecycleStepDetailSerializer
    pagination_class = None
    filter_backends = []

    def get_queryset(self):
        return selectors.workstream_for_report(slug=self.kwargs["slug"]).steps.all()
