"""Paragraph keys are stable across versions: unchanged and lightly edited paragraphs keep their key,
rewritten or new ones get a fresh one."""

import pytest

from consultations import paragraphs
from tests.consultations.factories import make_version

pytestmark = pytest.mark.django_db

V1 = """# Coordinated planning

Distribution and transmission planning are often not well coordinated in terms of inputs.

Infrastructure planning is often not coordinated with utility planning.

## Data

- load forecasts
- DER forecasts
"""


def keys(version):
    return {p.text: p.key for p in version.paragraphs.all()}


def test_split_finds_sections_and_blocks():
    parsed = paragraphs.split(V1)
    assert [h.title for h in parsed.sections] == ["Coordinated planning", "Data"]
    assert len(parsed.blocks) == 3
    assert parsed.blocks[2].text.startswith("- load forecasts")
    assert parsed.blocks[2].section == 1


def test_unchanged_paragraphs_keep_their_keys_even_when_moved():
    v1 = make_version(body=V1)
    v2 = make_version(
        deliverable=v1.deliverable,
        body=V1.replace(
            "Infrastructure planning is often not coordinated with utility planning.\n\n", ""
        ).replace(
            "# Coordinated planning\n\n",
            "# Coordinated planning\n\n"
            "Infrastructure planning is often not coordinated with utility planning.\n\n",
        ),
    )
    assert v2.number == 2
    k1, k2 = keys(v1), keys(v2)
    assert k2 == k1


def test_edited_paragraph_keeps_key_rewritten_one_does_not():
    v1 = make_version(body=V1)
    edited = V1.replace(
        "not well coordinated in terms of inputs.", "not well coordinated in terms of inputs and studies."
    )
    rewritten = edited.replace(
        "Infrastructure planning is often not coordinated with utility planning.",
        "Electric vehicle charging networks need their own siting process entirely.",
    )
    v2 = make_version(deliverable=v1.deliverable, body=rewritten)
    k1 = keys(v1)
    by_order = list(v2.paragraphs.order_by("order"))
    assert (
        by_order[0].key
        == k1["Distribution and transmission planning are often not well coordinated in terms of inputs."]
    )
    assert by_order[1].key not in k1.values()
    assert len({p.key for p in by_order}) == len(by_order)


def test_versions_are_immutable():
    v1 = make_version(body=V1)
    v1.body = "changed"
    with pytest.raises(ValueError):
        v1.save()
