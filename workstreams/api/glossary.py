"""Public read API of the glossary."""

from rest_framework import generics, serializers

from initiative.listing import ConditionalListMixin

from ..models import GlossaryTerm


class GlossaryTermSerializer(serializers.ModelSerializer):
    class Meta:
        model = GlossaryTerm
        fields = ["term", "abbreviation", "definition", "kind", "status"]


class GlossaryListApi(ConditionalListMixin, generics.ListAPIView):
    serializer_class = GlossaryTermSerializer
    queryset = GlossaryTerm.objects.all()
    filterset_fields = ["kind", "status"]
    ordering_fields = ["term", "kind", "status"]
