"""Factories for the Track 1 framework models (reusing tests/factories.py)."""

import factory

from workstreams.models import Actor, FunctionCategory, GridFunction, MatrixCell, OperatingModel


class FunctionCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FunctionCategory

    slug = factory.Sequence(lambda n: f"category-{n}")
    name = factory.Sequence(lambda n: f"Category {n}")
    order = factory.Sequence(lambda n: n)


class GridFunctionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GridFunction

    slug = factory.Sequence(lambda n: f"function-{n}")
    name = factory.Sequence(lambda n: f"Function {n}")
    category = factory.SubFactory(FunctionCategoryFactory)
    order = factory.Sequence(lambda n: n)


class ActorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Actor

    slug = factory.Sequence(lambda n: f"actor-{n}")
    name = factory.Sequence(lambda n: f"Actor {n}")
    order = factory.Sequence(lambda n: n)


class OperatingModelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OperatingModel

    slug = factory.Sequence(lambda n: f"model-{n}")
    name = factory.Sequence(lambda n: f"Model {n}")
    position = factory.Sequence(lambda n: 100 + n)
    status = "adopted"  # a model in the framework's adopted set unless a test says otherwise


class MatrixCellFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MatrixCell

    model = factory.SubFactory(OperatingModelFactory)
    function = factory.SubFactory(GridFunctionFactory)
    actor = factory.SubFactory(ActorFactory)
    role = "responsible"
    origin = "report"
    source = "Table 3"
