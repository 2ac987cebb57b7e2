"""The studio's learner record form: a registrar relates the chosen credentials' achievements
(CLR 2.0 associations: source, type, target), and bad rows are refused, named."""

from __future__ import annotations

import json
from typing import Any

import pytest

from microcred.awards.models import LearnerRecord
from microcred.catalogue import services as catalogue
from tests.platform.awards.test_clr import world  # noqa: F401  (the fixture)


def path(world: dict[str, Any]) -> str:  # noqa: F811
    return f"/studio/orgs/{world['organisation'].slug}/awards/records/issue"


def chosen(world: dict[str, Any], **rows: str) -> dict[str, Any]:  # noqa: F811
    return {
        "learner": world["learner"].username,
        "awards": [str(award.uuid) for award in world["awards"]],
        **rows,
    }


def achievements(world: dict[str, Any]) -> list[str]:  # noqa: F811
    return [catalogue.achievement_id(award.version) for award in world["awards"]]


def test_the_form_offers_the_achievements_and_the_association_types(
    client,
    world: dict[str, Any],  # noqa: F811
) -> None:
    client.force_login(world["registrar"])
    page = client.get(path(world), {"learner": world["learner"].username}).content.decode()
    assert page.count('class="association-row"') == 4
    for achievement in achievements(world):
        assert f'value="{achievement}"' in page
    for kind in ("isChildOf", "isParentOf", "precedes", "isPartOf"):
        assert f'value="{kind}"' in page


def test_a_registrar_relates_two_credentials(client, world: dict[str, Any]) -> None:  # noqa: F811
    first, second = achievements(world)
    client.force_login(world["registrar"])
    response = client.post(
        path(world),
        chosen(
            world,
            association_0_source=first,
            association_0_type="precedes",
            association_0_target=second,
            association_2_source=first,
            association_2_type="isPartOf",
            association_2_target=second,
        ),
    )
    assert response.status_code == 302, response.content
    [record] = LearnerRecord.objects.all()
    subject = json.loads(record.signed_credential)["credentialSubject"]
    assert [
        (item["sourceId"], item["associationType"], item["targetId"])
        for item in subject["association"]
    ] == [(first, "precedes", second), (first, "isPartOf", second)]
    page = client.get(f"/records/{record.uuid}", HTTP_ACCEPT="text/html").content.decode()
    assert page.count('class="association"') == 2


@pytest.mark.parametrize(
    ("rows", "field", "message"),
    [
        (
            {"association_0_source": "{first}", "association_0_type": "precedes"},
            "association_0_type",
            "Give a source, a type and a target, or leave the row empty.",
        ),
        (
            {"association_1_type": "isChildOf"},
            "association_1_type",
            "Give a source, a type and a target, or leave the row empty.",
        ),
        (
            {
                "association_0_source": "{first}",
                "association_0_type": "precedes",
                "association_0_target": "{first}",
            },
            "association_0_target",
            "An achievement cannot be associated with itself.",
        ),
        (
            {
                "association_0_source": "{first}",
                "association_0_type": "isBestFriendOf",
                "association_0_target": "{second}",
            },
            "association_0_type",
            "Select a valid choice.",
        ),
    ],
    ids=["no-target", "type-only", "itself", "unknown-type"],
)
def test_bad_rows_are_refused_next_to_the_row(
    client,
    world: dict[str, Any],  # noqa: F811
    rows: dict[str, str],
    field: str,
    message: str,
) -> None:
    first, second = achievements(world)
    client.force_login(world["registrar"])
    values = {name: value.format(first=first, second=second) for name, value in rows.items()}
    response = client.post(path(world), chosen(world, **values))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not LearnerRecord.objects.exists()


def test_an_association_to_an_achievement_outside_the_record_is_refused(
    client,
    world: dict[str, Any],  # noqa: F811
) -> None:
    first, _ = achievements(world)
    client.force_login(world["registrar"])
    response = client.post(
        path(world),
        {
            **chosen(world, awards=[str(world["awards"][0].uuid)]),
            "association_0_source": first,
            "association_0_type": "isChildOf",
            "association_0_target": "https://elsewhere.example/achievements/1",
        },
        follow=True,
    )
    assert not LearnerRecord.objects.exists()
    page = response.content.decode()
    assert "The learner record would not be valid CLR 2.0" in page
    assert "https://elsewhere.example/achievements/1" in page
