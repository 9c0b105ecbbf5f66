"""Track 1 as a process: Workstream A members propose models and comment, staff merge and retire them, a
ranking round (the ordinary prioritization round and ballots) narrows them and staff adopt the set the
comparison, least-regrets detection and the framing fit use; a model's matrix is frozen as numbered
versions with a diff; and only the right people may do each of these."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from initiative import policy
from initiative.models import AuditEvent
from tests.factories import EnrollmentFactory
from workstreams.models import ModelComment, ModelStatus, OperatingModel, Workstream
from workstreams.selectors import framework as selectors
from workstreams.services import framework as services
from workstreams.services import prioritization

pytestmark = pytest.mark.django_db

DIMS = {
    "distribution-operations": "DSO dispatches DERs for non-wires services and dynamic limits in pilots",
    "commercial-activity": "Programs and tariffs only",
}


@pytest.fixture
def member(loaded_initiative):
    return EnrollmentFactory(workstream=Workstream.objects.get(code="A")).user


def _propose(member, name="DSO Model 2.5", position=2):
    return services.model_propose(
        actor=member, name=name, position=position, description="Between 2 and 3.", dimensions=DIMS
    )


def test_proposal_ranking_adoption_changes_what_the_comparison_uses(client, member, staff):
    # A member proposes through the page: it is proposed, outside the adopted set.
    client.force_login(member)
    data = {"name": "DSO Model 2.5", "position": "2", "description": "Between 2 and 3."}
    data |= {f"dim_{k}": v for k, v in DIMS.items()}
    response = client.post(reverse("workstreams:framework-model-propose"), data)
    proposal = OperatingModel.objects.get(name="DSO Model 2.5")
    assert response.status_code == 302 and response["Location"] == proposal.get_absolute_url()
    assert proposal.status == ModelStatus.PROPOSED and proposal.proposed_by == member
    assert proposal.dimensions == DIMS
    page = client.get(response["Location"]).content.decode()
    assert "Saved “DSO Model 2.5”" in page and '<span class="usa-tag">Proposed</span>' in page
    assert "Programs and tariffs only" in page
    compare = client.get(reverse("workstreams:framework-compare")).content.decode()
    assert "DSO Model 2.5" not in compare and "across 6 models" in compare

    # Staff put three models to a ranking round; members rank them with ordinary ballots.
    one, two = OperatingModel.objects.get(slug="dso-model-1"), OperatingModel.objects.get(slug="dso-model-2")
    rnd = services.model_round_open(
        actor=staff,
        title="Narrow the models",
        closes_at=timezone.now() + datetime.timedelta(days=7),
        models=[one, two, proposal],
    )
    for m in (one, two, proposal):
        m.refresh_from_db()
    assert rnd.workstream.code == "A" and set(rnd.topics.all()) == {
        m.topic for m in OperatingModel.objects.filter(pk__in=[one.pk, two.pk, proposal.pk])
    }
    assert not proposal.topic.is_active  # not one of Workstream A's deep-dive topics
    models_page = client.get(reverse("workstreams:framework-models")).content.decode()
    assert f'href="{rnd.get_absolute_url()}">Narrow the models</a>' in models_page  # members find it
    other = EnrollmentFactory(workstream=Workstream.objects.get(code="A")).user
    for voter in (member, other):
        prioritization.ballot_cast(
            actor=voter, round=rnd, ranking=[proposal.topic_id, one.topic_id, two.topic_id]
        )
    assert prioritization.round_close(round_id=rnd.pk, actor=staff, early=True)

    # The adoption page ranks them from the round; staff adopt the top two.
    client.force_login(staff)
    page = client.get(reverse("workstreams:framework-adopt", args=[rnd.pk])).content.decode()
    assert page.index("DSO Model 2.5") < page.index("DSO Model 1") < page.index("DSO Model 2<")
    response = client.post(
        reverse("workstreams:framework-adopt", args=[rnd.pk]), {"models": [proposal.slug, one.slug]}
    )
    assert response.status_code == 302
    assert [m.slug for m in selectors.operating_models()] == ["dso-model-1", proposal.slug]
    assert OperatingModel.objects.get(slug="total-dso").status == ModelStatus.PROPOSED
    event = AuditEvent.objects.get(action="operating_model.adopt")
    assert event.after["adopted"] == sorted(["dso-model-1", proposal.slug])

    # The comparison, the least-regrets candidates and the framing fit now use the adopted two.
    compare = client.get(reverse("workstreams:framework-compare")).content.decode()
    assert "across 2 models" in compare and "DSO Model 2.5" in compare and "Total DSO" not in compare
    assert [m.slug for m in selectors.comparison()["models"]] == ["dso-model-1", proposal.slug]
    framing = client.get(reverse("workstreams:framework-framing") + "?planning=dso-wires").content.decode()
    assert "Total DSO" not in framing.split("<main", 1)[1]


def test_adoption_from_a_round_refuses_models_it_did_not_rank_and_an_open_round(member, staff):
    proposal = _propose(member)
    one, two, four = (
        OperatingModel.objects.get(slug=s) for s in ("dso-model-1", "dso-model-2", "dso-model-4")
    )
    rnd = services.model_round_open(
        actor=staff, title="R", closes_at=timezone.now() + datetime.timedelta(days=1), models=[one, proposal]
    )
    with pytest.raises(services.FrameworkError) as exc:
        services.models_adopt(actor=staff, models=[one, proposal], round=rnd)
    assert exc.value.code == "round_open"
    prioritization.round_close(round_id=rnd.pk, actor=staff, early=True)
    rnd.refresh_from_db()
    with pytest.raises(services.FrameworkError) as exc:
        services.models_adopt(actor=staff, models=[one, four], round=rnd)
    assert exc.value.code == "not_in_round"
    with pytest.raises(services.FrameworkError):
        services.models_adopt(actor=staff, models=[one], round=rnd)
    assert two.status == ModelStatus.ADOPTED  # nothing changed


def test_merge_moves_comments_and_keeps_the_history(member, staff):
    proposal = _propose(member)
    target = _propose(member, name="DSO Model 3 with flexible interconnection", position=3)
    services.model_comment(actor=member, model=proposal, body="Is this different enough from Model 3?")
    services.model_comment(actor=staff, model=target, body="Fold 2.5 in here.")
    services.model_version_freeze(actor=staff, model=proposal)
    services.model_merge(actor=staff, source=proposal, target=target, reason="Same distinguishing functions")
    proposal.refresh_from_db()
    assert proposal.status == ModelStatus.MERGED and proposal.merged_into == target
    moved = ModelComment.objects.get(body__startswith="Is this different")
    assert moved.model == target and moved.merged_from == proposal
    assert ModelComment.objects.get(body="Fold 2.5 in here.").merged_from is None
    assert proposal.versions.count() == 1  # its frozen version stays where it was cited
    assert AuditEvent.objects.get(action="operating_model.merge").reason == "Same distinguishing functions"
    with pytest.raises(services.FrameworkError):
        services.model_comment(actor=member, model=proposal, body="Too late")
    with pytest.raises(services.FrameworkError):
        services.model_retire(actor=staff, model=proposal)


def test_retired_model_leaves_the_open_set_and_cannot_be_revised(member, staff):
    proposal = _propose(member)
    services.model_retire(actor=staff, model=proposal, reason="Duplicate")
    proposal.refresh_from_db()
    assert proposal.status == ModelStatus.RETIRED and not proposal.is_open
    assert not policy.can(member, "workstreams.revise_model", proposal)
    assert not policy.can(staff, "workstreams.revise_model", proposal)
    assert not policy.can(staff, "workstreams.edit_framework", proposal)


# Versions ------------------------------------------------------------------------------------------------


def test_freeze_numbers_versions_and_the_diff_says_what_changed(client, loaded_initiative, staff):
    model = OperatingModel.objects.get(slug="dso-model-4")
    sced = model.cells.get(function__slug="sced", actor__slug="dso")
    v1 = services.model_version_freeze(actor=staff, model=model, note="As cited in the draft report")
    assert v1.number == 1 and v1.get_absolute_url() == "/track-1/framework/models/dso-model-4/v/1/"
    with pytest.raises(services.FrameworkError) as exc:
        services.model_version_freeze(actor=staff, model=model)  # nothing changed
    assert exc.value.code == "unchanged"

    from workstreams.models import Actor, GridFunction

    services.matrix_cell_set(
        actor=staff, model=model, function=sced.function, party=sced.actor, role="participates",
        note="Shared with the ISO",
    )  # fmt: skip
    services.matrix_cell_set(
        actor=staff,
        model=model,
        function=GridFunction.objects.get(slug="agc-frequency-balancing"),
        party=Actor.objects.get(slug="customer"),
        role="participates",
    )
    v1_page = client.get(v1.get_absolute_url()).content.decode()
    since = v1_page.split("Changed since this version", 1)[1]
    assert "Added</span> Customer" in since and "Changed</span> Distribution System Operator" in since
    assert "role “responsible” → “participates”" in since
    assert "DSO conducts security-constrained dispatch of DERs" in v1_page.split("Changed since", 1)[0]

    v2 = services.model_version_freeze(actor=staff, model=model)
    assert v2.number == 2
    v2_page = client.get(v2.get_absolute_url()).content.decode()
    changes = v2_page.split("Changes from", 1)[1].split("Changed since", 1)[0]
    assert "Added</span> Customer" in changes and "Changed</span>" in changes
    assert "No change." in v2_page.split("Changed since this version", 1)[1]
    # Version 1 still reads as it was, and says a later version exists.
    again = client.get(v1.get_absolute_url()).content.decode()
    assert "A later version exists" in again and "/v/2/" in again
    assert client.get("/track-1/framework/models/dso-model-4/v/3/").status_code == 404


def test_matrix_diff_on_hand_made_cells():
    def cell(function, actor, role="responsible", note=""):
        return {"function": function, "actor": actor, "role": role, "note": note, "source": "",
                "function_name": function, "actor_name": actor}  # fmt: skip

    old = [cell("f1", "dso"), cell("f2", "iso"), cell("f3", "lse", note="a")]
    new = [cell("f1", "dso"), cell("f3", "lse", role="participates", note="b"), cell("f4", "dso")]
    diff = selectors.matrix_diff(old, new)
    assert [(c["function"], c["actor"]) for c in diff["added"]] == [("f4", "dso")]
    assert [(c["function"], c["actor"]) for c in diff["removed"]] == [("f2", "iso")]
    assert [[f["name"] for f in c["fields"]] for c in diff["changed"]] == [["role", "note"]]
    assert diff["any"] and not selectors.matrix_diff(old, old)["any"]


# Permissions ---------------------------------------------------------------------------------------------

ROLES = ["anonymous", "public_user", "participant", "staff", "committee_member", "member"]


@pytest.fixture
def everyone(roles, member):
    return {**roles, "member": member}


@pytest.mark.parametrize(
    ("perm", "allowed"),
    [
        ("workstreams.propose_model", {"member", "staff"}),
        ("workstreams.comment_on_model", {"member", "staff"}),
        ("workstreams.edit_interfaces", {"member", "staff"}),
        ("workstreams.manage_models", {"staff"}),
    ],
)
def test_permission_matrix(everyone, perm, allowed):
    for role in ROLES:
        assert policy.can(everyone[role], perm) is (role in allowed), role


def test_members_edit_proposals_only_staff_edit_adopted_models(everyone, member):
    proposal = _propose(member)
    adopted = OperatingModel.objects.get(slug="dso-model-2")
    for role in ROLES:
        for perm in ("workstreams.revise_model", "workstreams.edit_framework"):
            assert policy.can(everyone[role], perm, proposal) is (role in {"member", "staff"}), (role, perm)
            assert policy.can(everyone[role], perm, adopted) is (role == "staff"), (role, perm)


@pytest.mark.parametrize("role", ROLES)
def test_only_staff_merge_retire_freeze_and_open_rounds_through_the_pages(client, everyone, member, role):
    proposal = _propose(member)
    if role != "anonymous":
        client.force_login(everyone[role])
    slug = proposal.slug
    codes = [
        client.post(reverse("workstreams:framework-model-freeze", args=[slug])).status_code,
        client.post(reverse("workstreams:framework-model-retire", args=[slug])).status_code,
        client.post(reverse("workstreams:framework-round-open"), {}).status_code,
    ]
    if role == "staff":
        assert codes == [302, 302, 302]
        proposal.refresh_from_db()
        assert proposal.status == ModelStatus.RETIRED and proposal.versions.count() == 1
    else:
        assert codes == [302 if role == "anonymous" else 403] * 3
        proposal.refresh_from_db()
        assert proposal.status == ModelStatus.PROPOSED and proposal.versions.count() == 0


def test_non_members_cannot_propose_or_comment(participant, member):
    with pytest.raises(PermissionDenied):
        _propose(participant)
    proposal = _propose(member)
    with pytest.raises(PermissionDenied):
        services.model_comment(actor=participant, model=proposal, body="Hello")
