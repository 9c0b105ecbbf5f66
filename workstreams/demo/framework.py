"""Demo data for the Track 1 framework: the report's own least-regrets example ("if real-time outage
communication by distribution utilities is common across all models …") entered by the demo staff member
in every model, and linked to a Track 2 topic; a model proposed by the demo participant (a Workstream A
member) with a comment, and DSO Model 4's matrix frozen as version 1. Idempotent: cells are only set
where none exist yet, the proposal and the version only made once."""

from initiative.demo import demo_user

from ..models import Actor, GridFunction, MatrixCell, ModelVersion, OperatingModel, Topic
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

    load_process(staff)


PROPOSAL = "DSO Model 2 with flexible interconnection"


def load_process(staff) -> None:
    """A proposal in the spirit of the report's progression ("changes in distribution planning and
    interconnection ... drive the development of more sophisticated distribution system and market
    operations"), a comment on it, and a frozen version to cite."""
    participant = demo_user("participant@demo.example.org")
    if not OperatingModel.objects.filter(name=PROPOSAL).exists():
        proposal = services.model_propose(
            actor=participant,
            name=PROPOSAL,
            position=2,
            description="DSO Model 2, with flexible interconnection offered before dynamic operating "
            "instructions: a possible intermediate step toward DSO Model 3.",
            dimensions={
                "distribution-operations": "DSO dispatches DERs to provide non-wires services",
                "distribution-interconnection": "DSO allows DERs to interconnect with static import/export "
                "limits as an alternative to upgrades",
                "distribution-planning-and-upgrades": "DSO plans distribution capacity upgrades for load and "
                "DER growth, counting flexible interconnection as an alternative to upgrades",
                "commercial-activity": "As DSO Model 2",
                "tso-dso-relationship": "As DSO Model 2",
            },
        )
        services.model_comment(
            actor=staff,
            model=proposal,
            body="Is this distinct enough from DSO Model 3 to keep? The report expects the models to be "
            "distinguished by just a few functions, interconnection among them.",
        )
    model = OperatingModel.objects.filter(slug="dso-model-4").first()
    if model is not None and not ModelVersion.objects.filter(model=model).exists():
        services.model_version_freeze(actor=staff, model=model, note="As the report's Table 3 describes it")
