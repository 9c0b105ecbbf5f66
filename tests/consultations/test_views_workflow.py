"""The workflow, approval, library and decisions pages and the workflow API, as people use them."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from consultations.models import Approval, Publication, Vote
from consultations.services import publication as pub_services
from consultations.services import workflow as wf
from consultations.tasks.workflow import build_publication
from tests.consultations.factories_workflow import committee, deliverable_at, held_webinar, staff_user
from tests.factories import BodyMembershipFactory


@pytest.mark.django_db
def test_workflow_page_shows_staff_the_buttons_from_the_table(client, staff):
    deliverable = deliverable_at("member_review", is_key=True)
    client.force_login(staff)
    page = client.get(reverse("consultations:deliverable-workflow", args=[deliverable.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Open public consultation" in html and "Withdraw to drafting" in html
    assert "no public consultation" not in html  # a key deliverable cannot skip it
    assert html.count("<h1") == 1


@pytest.mark.django_db
def test_workflow_page_is_for_staff_and_committee(client, roles):
    deliverable = deliverable_at("drafting")
    url = reverse("consultations:deliverable-workflow", args=[deliverable.pk])
    for role, code in [("staff", 200), ("committee_member", 200), ("participant", 403), ("public_user", 403)]:
        client.force_login(roles[role])
        assert client.get(url).status_code == code, role


@pytest.mark.django_db
def test_transition_by_plain_post_then_illegal_repeat_is_a_409_with_a_clear_message(client, staff):
    deliverable = deliverable_at("drafting")
    client.force_login(staff)
    url = reverse("consultations:deliverable-transition", args=[deliverable.pk])
    closes = (timezone.localtime() + datetime.timedelta(days=10)).strftime("%Y-%m-%dT%H:%M")
    data = {
        "transition": "open_member_review",
        "open_member_review-transition": "open_member_review",
        "open_member_review-closes_at": closes,
        "open_member_review-reason": "Ready for members",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    deliverable.refresh_from_db()
    assert deliverable.stage == "member_review"
    again = client.post(url, data)
    assert again.status_code == 409
    assert "cannot move" in again.content.decode() and "Member review" in again.content.decode()


@pytest.mark.django_db
def test_transition_missing_input_is_a_400(client, staff):
    deliverable = deliverable_at("drafting")
    client.force_login(staff)
    response = client.post(
        reverse("consultations:deliverable-transition", args=[deliverable.pk]),
        {"transition": "open_member_review"},
    )
    assert response.status_code == 400 and "closing" in response.content.decode()


@pytest.mark.django_db
def test_transition_by_non_staff_is_refused(client, participant):
    deliverable = deliverable_at("drafting")
    client.force_login(participant)
    response = client.post(
        reverse("consultations:deliverable-transition", args=[deliverable.pk]),
        {"transition": "open_member_review"},
    )
    assert response.status_code == 403


@pytest.mark.django_db
def test_api_transitions(client, staff, participant):
    deliverable = deliverable_at("drafting")
    url = reverse("api:deliverable-transitions", args=[deliverable.pk])
    client.force_login(staff)
    state = client.get(url).json()
    assert state["stage"] == "drafting" and [t["name"] for t in state["available"]] == ["open_member_review"]
    closes = (timezone.now() + datetime.timedelta(days=5)).isoformat()
    ok = client.post(
        url,
        {"transition": "open_member_review", "closes_at": closes, "reason": "go"},
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()["stage"] == "member_review"
    assert ok.json()["history"][0]["to_stage"] == "member_review"
    conflict = client.post(url, {"to": "published"}, content_type="application/json")
    assert conflict.status_code == 409
    assert conflict.json()["current"] == "member_review" and conflict.json()["requested"] == "published"
    bad = client.post(url, {"transition": "open_public_consultation"}, content_type="application/json")
    assert bad.status_code == 400
    client.force_login(participant)
    assert client.post(url, {"to": "drafting"}, content_type="application/json").status_code == 403
    assert client.get(url).status_code == 403


@pytest.mark.django_db
def test_approval_page_shows_version_diff_summary_matrix_and_rule(client):
    staff = staff_user()
    members = committee(3)
    deliverable = deliverable_at("revising", staff=staff)
    from tests.consultations.factories import make_version

    make_version(
        deliverable=deliverable,
        actor=staff,
        body="# Scope\n\nThe utility shares hosting capacity data weekly.\n\nA new paragraph.\n",
    )
    held_webinar(deliverable)
    wf.deliverable_transition(
        actor=staff,
        deliverable=deliverable,
        name="submit",
        deadline=timezone.now() + datetime.timedelta(days=7),
    )
    approval = Approval.objects.get(deliverable=deliverable)
    client.force_login(members[0])
    page = client.get(reverse("consultations:approval-detail", args=[approval.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "version 2" in html.lower()
    assert "Version 1 compared with version 2" in html  # the diff component
    assert "Summary of comments" in html
    assert "Comment–response matrix" in html
    assert "at least 2 of the 3 sitting members" in html
    # a long page in parts: a list to jump to each, and the long ones folded until opened
    toc = html.split('aria-labelledby="on-page-h"', 1)[1].split("</nav>", 1)[0]
    for anchor in ('href="#version-h"', 'href="#diff-h"', 'href="#matrix-h"', 'href="#summary-'):
        assert anchor in toc
    assert '<details class="approval-part"><summary>Show the changes</summary>' in html
    assert '<details class="approval-part"><summary>Show the matrix</summary>' in html
    response = client.post(
        reverse("consultations:approval-vote", args=[approval.pk]),
        {"choice": "approve", "reason": "Well argued."},
    )
    assert response.status_code == 302
    assert Vote.objects.get(member=members[0]).choice == "approve"
    late = approval.deadline + datetime.timedelta(minutes=1)
    import time_machine

    with time_machine.travel(late):
        refused = client.post(
            reverse("consultations:approval-vote", args=[approval.pk]),
            {"choice": "abstain", "reason": "Too late"},
        )
    assert refused.status_code == 409 and "closed" in refused.content.decode()


@pytest.mark.django_db
def test_approval_page_is_not_public(client, roles):
    deliverable = deliverable_at("submitted")
    approval = Approval.objects.get(deliverable=deliverable)
    for role in ["public_user", "participant"]:
        client.force_login(roles[role])
        assert client.get(reverse("consultations:approval-detail", args=[approval.pk])).status_code == 403


def _publish(staff, **kwargs):
    deliverable = deliverable_at("approved", staff=staff, **kwargs)
    wf.deliverable_transition(actor=staff, deliverable=deliverable, name="publish")
    publication = Publication.objects.get(deliverable=deliverable)
    build_publication.run(publication.pk)
    return publication


@pytest.mark.django_db
def test_library_filters_and_query_count_does_not_grow(client, django_assert_max_num_queries):
    staff = staff_user()
    members = committee(3)
    pubs = [_publish(staff, members=members) for _ in range(3)]
    with django_assert_max_num_queries(8):
        page = client.get(reverse("consultations:library"))
    assert page.status_code == 200
    for p in pubs:
        assert p.title in page.content.decode()
    code = pubs[0].deliverable.workstream.code
    filtered = client.get(reverse("consultations:library"), {"workstream": code})
    assert pubs[0].title in filtered.content.decode() and pubs[1].title not in filtered.content.decode()
    api = client.get(reverse("api:library-list"), {"workstream": code}).json()
    assert [r["title"] for r in api["results"]] == [pubs[0].title]
    htmx = client.get(reverse("consultations:library"), {"kind": "report"}, headers={"HX-Request": "true"})
    assert b"<h1" not in htmx.content and htmx["Vary"].find("HX-Request") >= 0
    for _ in range(5):
        _publish(staff, members=members)
    with django_assert_max_num_queries(8):
        client.get(reverse("consultations:library"))
    with django_assert_max_num_queries(6):
        client.get(reverse("api:library-list"))
    with django_assert_max_num_queries(6):
        client.get(reverse("consultations:decision-list"))


@pytest.mark.django_db
def test_publication_page_has_citation_pdf_and_decision_link(client):
    publication = _publish(staff_user())
    page = client.get(reverse("consultations:publication-detail", args=[publication.pk]))
    html = page.content.decode()
    assert "Suggested citation" in html and publication.citation in html
    assert reverse("consultations:decision-detail", args=[publication.approval_id]) in html
    pdf = client.get(reverse("consultations:publication-pdf", args=[publication.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


@pytest.mark.django_db
def test_decisions_page_lists_every_decision_with_counts(client):
    members = committee(3)
    approved = deliverable_at("approved", members=members)
    sent_back = deliverable_at("changes_requested", members=members)
    page = client.get(reverse("consultations:decision-list")).content.decode()
    assert approved.title in page and sent_back.title in page
    assert "Approved" in page and "Changes requested" in page
    detail = client.get(
        reverse("consultations:decision-detail", args=[approved.approvals.get().pk])
    ).content.decode()
    assert "3 approve, 0 request changes, 0 abstain" in detail
    assert "Because." not in detail  # individual reasons are for staff and the committee


@pytest.mark.django_db
def test_redaction_page_marks_a_span(client):
    staff = staff_user()
    deliverable = deliverable_at("approved", staff=staff)
    version = deliverable.approvals.get().version
    para = next(p for p in version.paragraphs.all() if "ACME" in p.text)
    client.force_login(staff)
    url = reverse("consultations:redaction-manage", args=[deliverable.pk])
    response = client.post(
        url,
        {
            "paragraph_key": para.key,
            "text": "ACME-SECRET-PRICE",
            "occurrence": 1,
            "reason": "commercial",
            "note": "",
        },
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "[Redacted — Commercial]" in page
    assert version.redactions.count() == 1
    assert pub_services.redacted_markdown(version).count("Redacted") == 1


@pytest.mark.django_db
def test_mailing_list_double_opt_in(client, mailoutbox):
    client.post(reverse("consultations:list-subscribe"), {"email": "Reader@Example.org"})
    from consultations.models import Subscriber

    subscriber = Subscriber.objects.get(email="reader@example.org")
    assert subscriber.confirmed_at is None and len(mailoutbox) == 1
    confirm = reverse("consultations:list-confirm", args=[subscriber.token])
    assert confirm in mailoutbox[0].body
    client.get(confirm)
    subscriber.refresh_from_db()
    assert subscriber.confirmed_at is None  # a GET (a link scanner) does not confirm
    client.post(confirm)
    subscriber.refresh_from_db()
    assert subscriber.confirmed_at is not None


@pytest.mark.django_db
def test_follow_a_deliverable(client, public_user):
    publication = _publish(staff_user())
    client.force_login(public_user)
    client.post(
        reverse("consultations:deliverable-follow", args=[publication.deliverable_id]), {"next": "/library/"}
    )
    assert publication.deliverable.follows.filter(user=public_user).exists()


@pytest.mark.django_db
def test_chair_closes_the_vote_from_the_page(client):
    members = committee(3)
    deliverable = deliverable_at("submitted", members=members)
    approval = Approval.objects.get(deliverable=deliverable)
    from consultations.services.approvals import approval_vote_cast

    for m in members[:2]:
        approval_vote_cast(actor=m, approval=approval, choice="approve", reason="ok")
    chair = BodyMembershipFactory(steering_committee=True, role="chair").user
    client.force_login(chair)
    client.post(reverse("consultations:approval-close", args=[approval.pk]))
    approval.refresh_from_db()
    deliverable.refresh_from_db()
    assert approval.decision == "approved" and deliverable.stage == "approved"


@pytest.mark.django_db
def test_follow_from_the_workstream_page(client, public_user):
    deliverable = deliverable_at("drafting")
    client.force_login(public_user)
    page = client.get(
        reverse("workstreams:workstream-detail", args=[deliverable.workstream.slug])
    ).content.decode()
    follow_url = reverse("consultations:deliverable-follow", args=[deliverable.pk])
    assert follow_url in page
    assert "Follow this deliverable" in client.get(follow_url).content.decode()
    client.post(follow_url, {"next": "/"})
    assert deliverable.follows.filter(user=public_user).exists()
    assert "Stop following" in client.get(follow_url).content.decode()


@pytest.mark.django_db
def test_a_correction_supersedes_the_earlier_copy_in_the_library(client):
    from tests.consultations.factories import make_version

    staff = staff_user()
    members = committee(3)
    first = _publish(staff, members=members)
    deliverable = first.deliverable
    wf.deliverable_transition(actor=staff, deliverable=deliverable, name="start_correction", reason="Typo")
    make_version(deliverable=deliverable, actor=staff, body="# Fixed\n\nCorrected text.\n")
    from tests.consultations import factories_workflow

    drive_path = ["open_member_review", "open_public_consultation", "start_revising", "submit", "@approve"]
    for step in drive_path:
        now = timezone.now()
        if step == "@approve":
            from consultations.services.approvals import approval_close, approval_vote_cast

            approval = deliverable.approvals.get(decided_at__isnull=True)
            for m in members:
                approval_vote_cast(actor=m, approval=approval, choice="approve", reason="ok")
            approval_close(actor=None, approval=approval, now=approval.deadline)
        else:
            if step == "submit":
                from consultations.models import Review

                Review.objects.filter(version__deliverable=deliverable, closed_at__isnull=True).update(
                    closed_at=now
                )
            wf.deliverable_transition(
                actor=staff, deliverable=deliverable, name=step, **factories_workflow.inputs_for(step, now)
            )
    wf.deliverable_transition(actor=staff, deliverable=deliverable, name="publish")
    second = Publication.objects.get(deliverable=deliverable, version__number=2)
    build_publication.run(second.pk)
    listed = client.get(reverse("api:library-list")).json()["results"]
    assert [r["id"] for r in listed] == [second.pk]
    old_page = client.get(reverse("consultations:publication-detail", args=[first.pk])).content.decode()
    assert "A corrected version (2) has been published." in old_page


@pytest.mark.django_db
def test_every_date_time_field_says_its_time_zone_and_optional_means_optional(client, staff):
    """The workflow page's date-time inputs say the zone they are read in; "Voting deadline (optional)"
    may be left empty (the standing voting period applies); "Closes" is required, so not "(optional)"."""
    revising = deliverable_at("revising", staff=staff)
    drafting = deliverable_at("drafting", staff=staff)
    client.force_login(staff)
    html = client.get(reverse("consultations:deliverable-workflow", args=[drafting.pk])).content.decode()
    zone = "Times are in the America/New_York time zone"
    assert 'id="id_open_member_review-closes_at"' in html
    assert 'aria-describedby="id_open_member_review-closes_at_helptext"' in html
    assert 'id="id_open_member_review-closes_at_helptext"' in html
    assert html.count(zone) >= 2  # opens and closes, each in its hint
    assert "Closes <span" not in html  # no "(optional)" on a required field
    page = client.get(reverse("consultations:deliverable-workflow", args=[revising.pk])).content.decode()
    assert "Voting deadline <span" in page and "(optional)" in page and zone in page
    assert "Leave empty for the standing voting period of 14 days." in page
    committee(3)
    held_webinar(revising)
    before = timezone.now()
    response = client.post(
        reverse("consultations:deliverable-transition", args=[revising.pk]),
        {"transition": "submit", "submit-transition": "submit", "submit-deadline": ""},
    )
    assert response.status_code == 302
    approval = Approval.objects.get(deliverable=revising)
    assert (
        before + datetime.timedelta(days=14)
        <= approval.deadline
        <= timezone.now() + datetime.timedelta(days=14)
    )


@pytest.mark.django_db
def test_a_review_window_time_is_read_in_the_zone_the_page_names(client, staff):
    """The review window form, which has its own time zone select, names it in each time's hint."""
    from tests.consultations.factories import make_version

    version = make_version()
    client.force_login(staff)
    url = reverse("consultations:review-manage", args=[version.deliverable_id])
    html = client.get(url).content.decode()
    assert "Times are in the time zone chosen under “Time zone of the times above”." in html


@pytest.mark.django_db
def test_the_workflow_page_links_each_reviews_matrix(client, staff):
    from tests.consultations.factories import ReviewFactory

    review = ReviewFactory()
    client.force_login(staff)
    page = client.get(reverse("consultations:deliverable-workflow", args=[review.version.deliverable_id]))
    assert f'href="/reviews/{review.pk}/matrix/"' in page.content.decode()
