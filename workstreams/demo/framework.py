"""Demo data for the Track 1 framework: the report's own least-regrets example ("if real-time outage
communication by distribution utilities is common across all models …") entered by the demo staff member
in every model, and linked to a Track 2 topic. Idempotent: cells are only set where none exist yet."""

from initiative.demo import demo_user

from ..models import Actor, GridFunction, MatrixCell, OperatingModel, Topic
from ..services import framework as services

NOTE = "Real-time outage communication by the distribution utility"
SOURCE = "Demo: the report's example of a function common to all models"


def load() -> None:
    staff = demo_user("staff@demo.example.org")
    function = GridFunction.objects.filter(slug="outage-reporting").first()
    utility = Actor.objects.filter(slug="distribution-utility").first()
    if function is None or utility is None:
        return
    models = list(OperatingModel.objects.all())
    for model in models:
        if not MatrixCell.objects.filter(model=model, function=function, actor=utility).exists():
            services.matrix_cell_set(
                actor=staff, model=model, function=function, party=utility, role="responsible",
                note=NOTE, source=SOURCE,
            )  # fmt: skip
    topic = Topic.objects.filter(workstream__code="C", title="Utility/ISO data sharing").first()
    if topic is not None:
        services.function_topic_link(actor=staff, function=function, topic=topic, models=models)
