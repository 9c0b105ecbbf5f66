"""Public read API of the participating organizations."""

from rest_framework import generics, serializers

from ..models import Organization


class OrganizationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ["name", "slug", "type", "jurisdiction_kind", "jurisdiction"]


class OrganizationListApi(generics.ListAPIView):
    serializer_class = OrganizationSerializer
    filterset_fields = ["type", "jurisdiction_kind", "jurisdiction"]
    ordering_fields = ["name", "type"]

    def get_queryset(self):
        return Organization.objects.all()
