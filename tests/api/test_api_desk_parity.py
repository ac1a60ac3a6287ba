"""What the desk does, the API does with a token: pin, breaking, schedule, the story list by
state and author, and the words of an embed; errors a client causes answer with the documented
JSON codes (an unknown route is a 404 whatever the method, malformed JSON a 400
`bad_request`)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from newsdesk.stories import actions
from newsdesk.stories.models import Author, Story
from tests.api.conftest import bearer

pytestmark = pytest.mark.django_db


def _error(response) -> dict:
    body = response.json()
    assert set(body) == {"error"}
    return body["error"]


def _post(client, path: str, body, token: str):
    return client.post(path, body, content_type="application/json", **bearer(token))


def test_editor_pins_and_releases_a_published_story(client, editor, editor_token, publish):
    """Pinning puts the story in the News Feed's pinned section; `false` releases it."""
    story = publish("Harbour closed until noon")
    publish("Later news")
    pinned = _post(client, f"/api/v1/stories/{story.pk}/pin", {"pinned": True}, editor_token)
    assert pinned.status_code == 200 and pinned.json()["pinned"] is True
    assert "Harbour closed until noon" in pinned_section(Client().get("/").content.decode())
    released = _post(client, f"/api/v1/stories/{story.pk}/pin", {"pinned": False}, editor_token)
    assert released.json()["pinned"] is False
    assert "Harbour closed until noon" not in pinned_section(Client().get("/").content.decode())


def pinned_section(page: str) -> str:
    return page.split('<section class="pinned"', 1)[1].split("</section>", 1)[0]


def test_breaking_and_schedule_are_editors_only(
    client, editor, contributor, editor_token, contributor_token
):
    """A contributor's token is refused (403); an editor's marks breaking and schedules."""
    story = actions.do_create_story(contributor, {"headline": "Ferry timetable"})
    path = f"/api/v1/stories/{story.pk}"
    when = (timezone.now() + dt.timedelta(hours=3)).replace(microsecond=0)
    refused = _post(client, f"{path}/breaking", {"breaking": True}, contributor_token)
    assert refused.status_code == 403 and _error(refused)["code"] == "forbidden"
    refused = _post(client, f"{path}/schedule", {"publish_at": when.isoformat()}, contributor_token)
    assert refused.status_code == 403
    marked = _post(client, f"{path}/breaking", {"breaking": True}, editor_token)
    assert marked.status_code == 200 and marked.json()["breaking"] is True
    scheduled = _post(client, f"{path}/schedule", {"publish_at": when.isoformat()}, editor_token)
    assert scheduled.status_code == 200
    assert scheduled.json()["status"] == "scheduled"
    assert dt.datetime.fromisoformat(scheduled.json()["published_at"]) == when


def test_schedule_in_the_past_or_without_a_zone_is_a_clear_422(client, editor, editor_token):
    story = actions.do_create_story(editor, {"headline": "Tide tables"})
    path = f"/api/v1/stories/{story.pk}/schedule"
    past = _post(client, path, {"publish_at": "2020-01-01T06:00:00+00:00"}, editor_token)
    assert past.status_code == 422 and "in the past" in _error(past)["message"]
    naive = _post(client, path, {"publish_at": "2099-01-01T06:00:00"}, editor_token)
    assert naive.status_code == 422 and "publish_at" in _error(naive)["fields"]


def test_story_list_by_state_and_author(client, editor, contributor, editor_token, publish):
    """Editors list every draft, by state and by author; contributors only their own; the
    anonymous API has no such list."""
    mira = Author.objects.create(name="Mira Osei", slug="mira-osei")
    own = actions.do_create_story(contributor, {"headline": "Contributor's draft"})
    bylined = actions.do_create_story(editor, {"headline": "Mira's draft", "author_ids": [mira.pk]})
    submitted = actions.do_create_story(contributor, {"headline": "Waiting for review"})
    actions.do_submit_for_review(contributor, submitted.pk)
    publish("Already out")

    def headlines(token, **params):
        response = client.get("/api/v1/stories", params, **bearer(token))
        assert response.status_code == 200, response.content
        return {item["headline"] for item in response.json()}

    assert headlines(editor_token, status="draft") == {own.headline, bylined.headline}
    assert headlines(editor_token, status="in_review") == {submitted.headline}
    assert headlines(editor_token, status="draft", author="mira-osei") == {bylined.headline}
    from newsdesk.api.actions import do_create_token

    contributor_token = do_create_token(contributor, "phone")[1]
    assert headlines(contributor_token) == {own.headline, submitted.headline}
    anonymous = client.get("/api/v1/stories", {"status": "draft"})
    assert anonymous.status_code == 401
    unknown = client.get("/api/v1/stories", {"status": "lost"}, **bearer(editor_token))
    assert unknown.status_code == 422 and "status" in _error(unknown)["fields"]
    nobody = client.get("/api/v1/stories", {"author": "no-one"}, **bearer(editor_token))
    assert nobody.status_code == 422 and "author" in _error(nobody)["fields"]


def test_unknown_route_is_a_json_404_for_every_method():
    """Even a POST without a CSRF token (as a browser or script sends it) gets the 404."""
    strict = Client(enforce_csrf_checks=True)
    for method in ("get", "post", "put", "delete"):
        response = getattr(strict, method)("/api/v1/nope")
        assert response.status_code == 404, method
        assert _error(response)["code"] == "not_found"


@pytest.mark.parametrize(
    "method,path",
    [
        ("post", "/api/v1/stories"),
        ("patch", "/api/v1/stories/{id}"),
        ("post", "/api/v1/stories/{id}/publish"),
        ("post", "/api/v1/stories/{id}/submit"),
        ("post", "/api/v1/stories/{id}/pin"),
    ],
)
def test_malformed_json_is_a_bad_request(client, editor, editor_token, method, path):
    """A body that is not JSON answers 400 `bad_request` with a message saying so."""
    story = actions.do_create_story(editor, {"headline": "Broken body"})
    response = getattr(client, method)(
        path.format(id=story.pk),
        '{"headline": "Unfinished',
        content_type="application/json",
        **bearer(editor_token),
    )
    assert response.status_code == 400
    error = _error(response)
    assert error["code"] == "bad_request"
    assert "not valid JSON" in error["message"]


def test_embed_words_through_the_api(client, editor, editor_token):
    """A platform that said nothing: the client sends the embed's words; the story shows them
    and lists the embed."""
    link = "https://vimeo.com/76543210"
    created = _post(
        client,
        "/api/v1/stories",
        {"headline": "Surge film", "body": f"{link}\n"},
        editor_token,
    )
    story = created.json()
    assert story["embeds"][0]["source"] == "none"
    assert story["embeds"][0]["platform"] == "vimeo"
    patched = client.patch(
        f"/api/v1/stories/{story['id']}",
        {"embeds": [{"url": link, "text": "Storm surge at the breakwater", "author": "Film Club"}]},
        content_type="application/json",
        **bearer(editor_token),
    )
    assert patched.status_code == 200, patched.content
    embed = patched.json()["embeds"][0]
    assert (embed["text"], embed["author"], embed["source"]) == (
        "Storm surge at the breakwater",
        "Film Club",
        "editor",
    )
    assert "Storm surge at the breakwater" in Story.objects.get(pk=story["id"]).body_html
