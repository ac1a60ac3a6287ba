"""The review through the JSON API: a contributor submits with a token, an editor reads the
queue, returns with a note or approves; notes and history for people at the desk only, never
in the anonymous API."""

from __future__ import annotations

import pytest

from newsdesk.api.actions import do_create_token
from newsdesk.stories import actions
from newsdesk.stories.models import Author, Story, StoryNote
from tests.api.conftest import bearer
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

NOTE_WORD = "Glimmerquay"  # appears only in notes: seeing it elsewhere is a leak


def _error(response) -> dict:
    body = response.json()
    assert set(body) == {"error"}
    return body["error"]


def test_the_review_round_trip_through_the_api(
    client, contributor, editor, contributor_token, editor_token
):
    """Create → submit (with a note) → queue → return with a note → the writer reads it →
    edit → submit → approve → published; the history names each step and who took it."""
    writer, chief = bearer(contributor_token), bearer(editor_token)
    created = client.post(
        "/api/v1/stories",
        {"headline": "Ferry strike talks", "body": "Talks resume."},
        content_type="application/json",
        **writer,
    )
    assert created.status_code == 201
    story = created.json()
    assert story["review"] == "none"
    # A contributor's story is bylined to them, with a profile made for them.
    assert [a["id"] for a in story["authors"]] == [Author.objects.get(user=contributor).pk]

    response = client.post(
        f"/api/v1/stories/{story['id']}/submit",
        {"note": "Ready for the evening."},
        content_type="application/json",
        HTTP_IF_MATCH=f'"{story["id"]}-{story["version"]}"',
        **writer,
    )
    assert response.status_code == 200, response.content
    assert response.json()["review"] == "in_review"

    queue = client.get("/api/v1/review-queue", **chief)
    assert queue.status_code == 200
    [item] = queue.json()
    assert item["story"]["id"] == story["id"]
    assert item["submitted_by"] == contributor.username and item["submitted_at"]
    assert client.get("/api/v1/review-queue", **writer).status_code == 403

    response = client.post(
        f"/api/v1/stories/{story['id']}/return",
        {"note": f"Name the {NOTE_WORD} negotiator."},
        content_type="application/json",
        **chief,
    )
    assert response.status_code == 200
    assert response.json()["review"] == "returned"
    notes = client.get(f"/api/v1/stories/{story['id']}/notes", **writer).json()
    assert [(n["kind"], n["by"]) for n in notes] == [
        ("submitted", contributor.username),
        ("returned", editor.username),
    ]
    assert NOTE_WORD in notes[1]["text"]

    client.patch(
        f"/api/v1/stories/{story['id']}",
        {"body": "Talks resume with Ana Brik."},
        content_type="application/json",
        **writer,
    )
    assert client.post(f"/api/v1/stories/{story['id']}/submit", **writer).status_code == 200
    response = client.post(f"/api/v1/stories/{story['id']}/approve", **chief)
    assert response.status_code == 200
    assert response.json()["status"] == "published"
    assert response.json()["review"] == "none"

    history = client.get(f"/api/v1/stories/{story['id']}/history", **writer)
    assert history.status_code == 200
    body = history.json()
    assert body["created_by"] == contributor.username
    steps = [(r["action"], r["by"]) for r in reversed(body["revisions"])]
    assert steps == [
        ("created", contributor.username),
        ("submitted for review", contributor.username),
        ("returned for changes", editor.username),
        ("saved", contributor.username),
        ("submitted for review", contributor.username),
        ("approved and published", editor.username),
    ]
    assert all(r["created_at"] for r in body["revisions"])


def test_a_contributor_may_not_approve_return_or_submit_anothers_story(
    client, contributor, editor, contributor_token
):
    """403 with a message that says why, and the story is as it was."""
    writer = bearer(contributor_token)
    own = actions.do_create_story(contributor, {"headline": "Own piece"})
    actions.do_submit_for_review(contributor, own.pk)
    theirs = actions.do_create_story(make_user("contributor", "other"), {"headline": "Theirs"})
    response = client.post(f"/api/v1/stories/{own.pk}/approve", **writer)
    assert response.status_code == 403
    assert "Only editors can approve" in _error(response)["message"]
    response = client.post(
        f"/api/v1/stories/{own.pk}/return",
        {"note": "self"},
        content_type="application/json",
        **writer,
    )
    assert response.status_code == 403
    response = client.post(f"/api/v1/stories/{theirs.pk}/submit", **writer)
    assert response.status_code == 403
    assert "your own stories" in _error(response)["message"]
    assert Story.objects.get(pk=theirs.pk).review == "none"
    assert Story.objects.get(pk=own.pk).status == "draft"
    # Their notes and history are not readable either (as if the story were not there).
    for path in ("notes", "history"):
        assert client.get(f"/api/v1/stories/{theirs.pk}/{path}", **writer).status_code == 404


def test_only_editors_put_other_names_on_a_byline_through_the_api(
    client, contributor, editor, contributor_token, editor_token
):
    """A contributor naming someone else is refused (403, naming the field); an editor may."""
    columnist = actions.do_save_author(editor, None, {"name": "Famous Columnist"})
    response = client.post(
        "/api/v1/stories",
        {"headline": "Borrowed fame", "authors": [columnist.slug]},
        content_type="application/json",
        **bearer(contributor_token),
    )
    assert response.status_code == 403
    assert "authors" in _error(response)["fields"] or "author_ids" in _error(response)["fields"]
    assert not Story.objects.filter(headline="Borrowed fame").exists()
    response = client.post(
        "/api/v1/stories",
        {"headline": "Real fame", "authors": [columnist.slug]},
        content_type="application/json",
        **bearer(editor_token),
    )
    assert response.status_code == 201
    assert [a["slug"] for a in response.json()["authors"]] == [columnist.slug]


def test_bad_review_input_is_a_clear_4xx(client, contributor, editor, editor_token):
    """Returning without a note (422 naming it), approving what is not in review (422),
    malformed bodies (422 / 400) and unknown stories (404): never a 500, nothing changes."""
    chief = bearer(editor_token)
    story = actions.do_create_story(contributor, {"headline": "Tide tables"})
    response = client.post(f"/api/v1/stories/{story.pk}/approve", **chief)
    assert response.status_code == 422
    assert "not in the review queue" in _error(response)["message"]
    actions.do_submit_for_review(contributor, story.pk)
    for body in ({"note": ""}, {"note": "   "}, {}, {"note": "x", "extra": 1}):
        response = client.post(
            f"/api/v1/stories/{story.pk}/return", body, content_type="application/json", **chief
        )
        assert response.status_code == 422, body
    response = client.post(
        f"/api/v1/stories/{story.pk}/submit",
        "{not json",
        content_type="application/json",
        **chief,
    )
    assert response.status_code in {400, 422}
    response = client.post(
        f"/api/v1/stories/{story.pk}/approve", HTTP_IF_MATCH=f'"{story.pk}-1"', **chief
    )
    assert response.status_code == 412
    assert client.post("/api/v1/stories/999999/approve", **chief).status_code == 404
    assert client.get("/api/v1/stories/999999/notes", **chief).status_code == 404
    response = client.post(
        f"/api/v1/stories/{story.pk}/notes", {"text": ""}, content_type="application/json", **chief
    )
    assert response.status_code == 422
    assert Story.objects.get(pk=story.pk).review == "in_review"
    assert not StoryNote.objects.filter(kind="returned").exists()


def test_notes_are_never_in_the_anonymous_api(client, contributor, editor, editor_token):
    """An editor writes a note on a story that is then published: the note is readable with a
    token, but no anonymous API answer (story, feed, search, notes route) carries it."""
    story = actions.do_create_story(editor, {"headline": "Quay reopens", "body": "Open again."})
    response = client.post(
        f"/api/v1/stories/{story.pk}/notes",
        {"text": f"Source: {NOTE_WORD} harbourmaster"},
        content_type="application/json",
        **bearer(editor_token),
    )
    assert response.status_code == 201
    assert response.json()["by"] == editor.username
    actions.do_publish_story(editor, story.pk)
    for path in (
        f"/api/v1/stories/{story.pk}",
        f"/api/v1/stories/by-slug/{story.slug}",
        "/api/v1/feed",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert NOTE_WORD not in response.content.decode(), path
    assert client.get("/api/v1/search", {"q": NOTE_WORD}).json()["items"] == []
    for path in ("notes", "history"):
        response = client.get(f"/api/v1/stories/{story.pk}/{path}")
        assert response.status_code == 401
        assert NOTE_WORD not in response.content.decode()
    outsider = do_create_token(make_user("contributor", "outsider"), "t")[1]
    response = client.get(f"/api/v1/stories/{story.pk}/notes", **bearer(outsider))
    assert response.status_code == 404 and NOTE_WORD not in response.content.decode()
    response = client.get(f"/api/v1/stories/{story.pk}/notes", **bearer(editor_token))
    assert NOTE_WORD in response.content.decode()
