"""Public read API of the Track 1 framework: operating models, grid functions, actors and the matrix cells
(who does what in each model). The same tables the framework pages draw. They change rarely: `ETag`
and a 304 to a client that has them already."""

from rest_framework import generics, serializers

from initiative.listing import ConditionalListMixin

from ..filters import MatrixCellFilter
from ..models import Actor, GridFunction, MatrixCell, OperatingModel
from ..selectors import framework as selectors


class OperatingModelSerializer(serializers.ModelSerializer):
    dimensions = serializers.DictField(
        child=serializers.CharField(), help_text="Table 3's text per dimension"
    )

    class Meta:
        model = OperatingModel
        fields = ["slug", "name", "position", "end_point", "description", "dimensions"]


class GridFunctionSerializer(serializers.ModelSerializer):
    category = serializers.CharField(source="category.slug")
    category_name = serializers.CharField(source="category.name")

    class Meta:
        model = GridFunction
        fields = ["slug", "name", "category", "category_name", "description"]


class ActorSerializer(serializers.ModelSerializer):
    alternate_names = serializers.ListField(child=serializers.CharField())

    class Meta:
        model = Actor
        fields = ["slug", "name", "alternate_names", "description"]


class MatrixCellSerializer(serializers.ModelSerializer):
    model = serializers.CharField(source="model.slug")
    function = serializers.CharField(source="function.slug")
    actor = serializers.CharField(source="actor.slug")

    class Meta:
        model = MatrixCell
        fields = ["model", "function", "actor", "role", "note", "source", "origin", "revision", "edited_at"]


class OperatingModelListApi(ConditionalListMixin, generics.ListAPIView):
    serializer_class = OperatingModelSerializer
    queryset = selectors.operating_model_list()
    pagination_class = None
    filter_backends = []


class OperatingModelDetailApi(ConditionalListMixin, generics.RetrieveAPIView):
    serializer_class = OperatingModelSerializer
    queryset = selectors.operating_model_list()
    lookup_field = "slug"


class GridFunctionListApi(ConditionalListMixin, generics.ListAPIView):
    serializer_class = GridFunctionSerializer
    queryset = selectors.grid_function_list()
    ordering_fields = ["name", "order"]


class ActorListApi(ConditionalListMixin, generics.ListAPIView):
    serializer_class = ActorSerializer
    queryset = selectors.actor_list()
    ordering_fields = ["name", "order"]


class MatrixCellListApi(ConditionalListMixin, generics.ListAPIView):
    """The matrix cells, model by model, function by function. Filters: model, function, actor (slugs),
    role."""

    serializer_class = MatrixCellSerializer
    queryset = selectors.matrix_cell_list()
    filterset_class = MatrixCellFilter
    ordering_fields = ["revision", "edited_at"]
