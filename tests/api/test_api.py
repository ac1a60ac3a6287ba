"""The JSON API through HTTP: reads, token writes, roles, errors, ETags and rate limits."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from PIL import Image as PILImage

from newsdesk.api.actions import do_create_token, do_revoke_token
from newsdesk.api.models import ApiToken
from newsdesk.stories import actions
from tests.api.conftest import bearer

pytestmark = pytest.mark.django_db


def error_of(response) -> dict:
    body = response.json()
    assert set(body) == {"error"}
    assert {"code", "message", "fields"} <= set(body["error"])
    return body["error"]


# ── reads ────────────────────────────────────────────────────────────────────────────────────


def test_feed_pages_with_a_cursor(client, publish):
    """25 stories: page one has 20 and a next cursor; following it gives the other 5."""
    for n in range(25):
        publish(f"Item {n}")
    first = client.get("/api/v1/feed").json()
    assert len(first["items"]) == 20 and first["next"]
    assert first["items"][0]["headline"] == "Item 24"
    second = client.get(first["next_url"]).json()
    assert [s["headline"] for s in second["items"]] == [f"Item {n}" for n in range(4, -1, -1)]
    assert second["next"] is None


def test_feed_and_search_cost_the_same_queries_for_3_stories_or_20(client, editor, publish):
    """Each item lists its corrections; they are loaded for the page at once, not per item."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_for(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured.captured_queries)

    for n in range(3):
        story = publish(f"Harbour item {n}")
        actions.do_add_correction(editor, story.pk, f"Correction {n}.")
    few = queries_for("/api/v1/feed"), queries_for("/api/v1/search?q=harbour")
    for n in range(3, 20):
        story = publish(f"Harbour item {n}")
        actions.do_add_correction(editor, story.pk, f"Correction {n}.")
    many = queries_for("/api/v1/feed"), queries_for("/api/v1/search?q=harbour")
    assert many == few
    item = client.get("/api/v1/feed").json()["items"][0]
    assert [c["text"] for c in item["corrections"]] == ["Correction 19."]


def test_search_says_how_many_stories_match(client, publish):
    for n in range(3):
        publish(f"Lighthouse keeper {n}")
    result = client.get("/api/v1/search", {"q": "lighthouse"}).json()
    assert (result["total"], result["total_exact"]) == (3, True)
    assert len(result["items"]) == 3


def test_damaged_cursor_is_a_json_error(client):
    """A cursor we did not make is the client's mistake: 422 with our error shape."""
    response = client.get("/api/v1/feed?before=!!!")
    assert response.status_code == 422
    assert error_of(response)["code"] == "invalid_input"


def test_story_by_id_and_slug(client, publish, author, topic):
    """A published story reads by id and by slug with its authors, topics, version and url."""
    story = publish("Bridge reopens", author_ids=[author.pk], topic_ids=[topic.pk])
    body = client.get(f"/api/v1/stories/{story.pk}").json()
    assert body["headline"] == "Bridge reopens"
    assert body["authors"] == [{"id": author.pk, "slug": author.slug, "name": "Mira Osei"}]
    assert body["topics"][0]["slug"] == topic.slug
    assert body["url"].endswith(f"/stories/{story.slug}/")
    assert client.get(f"/api/v1/stories/by-slug/{story.slug}").json()["id"] == story.pk


def test_drafts_are_hidden_from_anonymous_but_visible_to_allowed_tokens(
    client, editor, contributor_token, editor_token
):
    """A draft is 404 anonymously and for another contributor; an editor's token reads it."""
    draft = actions.do_create_story(editor, {"headline": "Embargoed"})
    assert client.get(f"/api/v1/stories/{draft.pk}").status_code == 404
    assert client.get(f"/api/v1/stories/{draft.pk}", **bearer(contributor_token)).status_code == 404
    response = client.get(f"/api/v1/stories/by-slug/{draft.slug}", **bearer(editor_token))
    assert response.status_code == 200
    assert response.json()["status"] == "draft"


def test_authors_topics_and_search(client, publish, author, topic):
    """Lists of authors and topics, and search with highlighted, escaped snippets."""
    publish(
        "Ferry <strike> ends",
        body="The ferry crews return.",
        topic_ids=[topic.pk],
        author_ids=[author.pk],
    )
    assert [a["name"] for a in client.get("/api/v1/authors").json()] == ["Mira Osei"]
    assert [t["slug"] for t in client.get("/api/v1/topics").json()] == [topic.slug]
    result = client.get("/api/v1/search", {"q": "ferry", "topic": topic.slug}).json()
    hit = result["items"][0]
    assert hit["headline_html"] == "<mark>Ferry</mark> &lt;strike&gt; ends"
    assert "<mark>ferry</mark>" in hit["snippet_html"]
    assert client.get("/api/v1/search", {"q": "ferry", "topic": "nope"}).status_code == 404


def test_etag_and_304(client, publish, editor):
    """Story reads carry '"<id>-<version>"'; If-None-Match gives 304 until the story changes."""
    story = publish("Tide")
    response = client.get(f"/api/v1/stories/{story.pk}")
    etag = response["ETag"]
    assert etag == f'"{story.pk}-{story.version}"'
    assert client.get(f"/api/v1/stories/{story.pk}", HTTP_IF_NONE_MATCH=etag).status_code == 304
    feed_etag = client.get("/api/v1/feed")["ETag"]
    assert client.get("/api/v1/feed", HTTP_IF_NONE_MATCH=feed_etag).status_code == 304
    actions.do_add_correction(editor, story.pk, "The tide time was wrong.")
    assert client.get(f"/api/v1/stories/{story.pk}", HTTP_IF_NONE_MATCH=etag).status_code == 200
    assert client.get("/api/v1/feed", HTTP_IF_NONE_MATCH=feed_etag).status_code == 200


# ── writes ───────────────────────────────────────────────────────────────────────────────────


def test_editor_creates_edits_publishes_corrects_and_unpublishes(
    client, editor_token, author, topic
):
    """The whole life of a story through the API, each step answering with the story."""
    response = client.post(
        "/api/v1/stories",
        {
            "headline": "Storm warning",
            "body": "Winds up to **90 km/h**.",
            "kind": "article",
            "topics": [topic.slug],
            "authors": [author.slug],
        },
        content_type="application/json",
        **bearer(editor_token),
    )
    assert response.status_code == 201, response.content
    story = response.json()
    assert (story["status"], story["version"], story["kind"]) == ("draft", 1, "article")
    assert story["url"].endswith("/stories/storm-warning/")
    sid = story["id"]

    response = client.patch(
        f"/api/v1/stories/{sid}",
        {"summary": "Stay indoors"},
        content_type="application/json",
        HTTP_IF_MATCH=f'"{sid}-1"',
        **bearer(editor_token),
    )
    assert response.status_code == 200
    assert response.json()["summary"] == "Stay indoors"
    assert response.json()["headline"] == "Storm warning"

    response = client.post(f"/api/v1/stories/{sid}/publish", **bearer(editor_token))
    assert response.status_code == 200, response.content
    published = response.json()
    assert published["status"] == "published" and published["updated_at"] is None
    assert client.get("/api/v1/search", {"q": "storm"}).json()["items"][0]["story"]["id"] == sid

    marked = client.post(
        f"/api/v1/stories/{sid}/publish",
        {"as_update": True},
        content_type="application/json",
        **bearer(editor_token),
    ).json()
    assert marked["updated_at"] is not None

    response = client.post(
        f"/api/v1/stories/{sid}/corrections",
        {"text": "An earlier version gave the wrong speed."},
        content_type="application/json",
        **bearer(editor_token),
    )
    assert response.status_code == 201

    response = client.post(f"/api/v1/stories/{sid}/unpublish", **bearer(editor_token))
    assert response.json()["status"] == "unpublished"
    assert client.get(f"/api/v1/stories/{sid}").status_code == 404
    assert client.get("/api/v1/search", {"q": "storm"}).json()["items"] == []


def test_stale_if_match_is_412_and_stale_body_version_is_409(client, editor_token, editor):
    """Two ways to name the version you edited; both refuse to overwrite a newer save."""
    story = actions.do_create_story(editor, {"headline": "Draft"})
    actions.do_update_story(editor, story.pk, {"body": "x"}, expected_version=1)
    response = client.patch(
        f"/api/v1/stories/{story.pk}",
        {"body": "mine"},
        content_type="application/json",
        HTTP_IF_MATCH='"1"',
        **bearer(editor_token),
    )
    assert response.status_code == 412
    assert error_of(response)["current_version"] == 2
    response = client.patch(
        f"/api/v1/stories/{story.pk}",
        {"body": "mine", "version": 1},
        content_type="application/json",
        **bearer(editor_token),
    )
    assert response.status_code == 409
    assert error_of(response)["code"] == "edit_conflict"


@pytest.mark.parametrize(
    ("if_match", "status"),
    [
        ("own", 200),
        ("own-weak", 200),
        ("*", 200),
        ("version-only", 200),
        ("other-story", 412),
        ("other-story-same-version", 412),
        ("stale", 412),
        ("5000-digits", 400),
        ("5000-digit-id", 400),
        ("two-etags", 400),
        ("unquoted", 400),
        ("letters", 400),
    ],
)
def test_if_match_names_this_story_or_is_refused_clearly(
    client, editor_token, editor, if_match, status
):
    """If-Match is this story's ETag (or '*'), else 412 when it is another story's or a stale
    one, else 400 when it is not an ETag at all, however long; the story changes only on 200."""
    story = actions.do_create_story(editor, {"headline": "Mine", "body": "Mine."})
    other = actions.do_create_story(editor, {"headline": "Other", "body": "Other."})
    other = actions.do_update_story(editor, other.pk, {"body": "v2"}, expected_version=1)
    values = {
        "own": f'"{story.pk}-1"',
        "own-weak": f'W/"{story.pk}-1"',
        "*": "*",
        "version-only": '"1"',
        "other-story": f'"{other.pk}-{other.version}"',
        "other-story-same-version": f'"{other.pk}-1"',
        "stale": f'"{story.pk}-0"',
        "5000-digits": '"' + "9" * 5000 + '"',
        "5000-digit-id": '"' + "9" * 5000 + '-1"',
        "two-etags": f'"{story.pk}-1", "{other.pk}-2"',
        "unquoted": f"{story.pk}-1",
        "letters": '"abc"',
    }
    response = client.patch(
        f"/api/v1/stories/{story.pk}",
        {"body": "Changed."},
        content_type="application/json",
        HTTP_IF_MATCH=values[if_match],
        **bearer(editor_token),
    )
    assert response.status_code == status, response.content[:300]
    story.refresh_from_db()
    assert (story.body == "Changed.") == (status == 200)
    if status != 200:
        error = error_of(response)
        assert "If-Match" in error["message"] or "ETag" in error["message"]
    if if_match.startswith("other-story"):
        assert f"story {other.pk}" in error_of(response)["message"]


def test_if_match_of_another_story_is_refused_on_publish_too(client, editor_token, editor):
    """Publishing with another story's ETag is a 412: nothing is published."""
    story = actions.do_create_story(editor, {"headline": "To publish"})
    other = actions.do_create_story(editor, {"headline": "Another"})
    response = client.post(
        f"/api/v1/stories/{story.pk}/publish",
        HTTP_IF_MATCH=f'"{other.pk}-1"',
        **bearer(editor_token),
    )
    assert response.status_code == 412
    story.refresh_from_db()
    assert story.status == "draft"


def test_contributor_token_cannot_publish(client, contributor_token):
    """A contributor's token drafts (201) but publishing is the editor's call (403)."""
    response = client.post(
        "/api/v1/stories",
        {"headline": "My scoop"},
        content_type="application/json",
        **bearer(contributor_token),
    )
    assert response.status_code == 201
    response = client.post(
        f"/api/v1/stories/{response.json()['id']}/publish", **bearer(contributor_token)
    )
    assert response.status_code == 403
    assert error_of(response)["code"] == "forbidden"


def test_writes_need_a_token_even_with_a_browser_session(client, editor):
    """A logged-in desk session alone cannot write through the API (and needs no CSRF)."""
    client.force_login(editor)
    response = client.post(
        "/api/v1/stories", {"headline": "Via cookie"}, content_type="application/json"
    )
    assert response.status_code == 401
    assert error_of(response)["code"] == "unauthorized"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_invalid_input_has_fields(client, editor_token):
    """Missing headline and wrong types are 422 with per-field messages."""
    response = client.post(
        "/api/v1/stories",
        {"kind": "poem", "topics": "energy"},
        content_type="application/json",
        **bearer(editor_token),
    )
    assert response.status_code == 422
    fields = error_of(response)["fields"]
    assert {"headline", "kind", "topics"} <= set(fields)
    response = client.post(
        "/api/v1/stories",
        {"headline": "x", "topics": ["no-such-topic"]},
        content_type="application/json",
        **bearer(editor_token),
    )
    assert response.status_code == 422
    assert "topics" in error_of(response)["fields"]
    response = client.post(
        "/api/v1/stories", "{not json", content_type="application/json", **bearer(editor_token)
    )
    assert response.status_code in (400, 422)
    error_of(response)


def png(size=(40, 30)) -> bytes:
    out = io.BytesIO()
    PILImage.new("RGB", size, (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def test_image_upload(client, editor_token, settings):
    """A multipart image with alt text is stored (201); one over the limit is 413."""
    upload = io.BytesIO(png())
    upload.name = "red.png"
    response = client.post(
        "/api/v1/images",
        {"file": upload, "alt_text": "A red square", "credit": "Desk"},
        **bearer(editor_token),
    )
    assert response.status_code == 201, response.content
    assert response.json()["width"] == 40
    settings.MAX_UPLOAD_BYTES = 100
    big = io.BytesIO(png((300, 300)))
    big.name = "big.png"
    response = client.post(
        "/api/v1/images", {"file": big, "alt_text": "Big"}, **bearer(editor_token)
    )
    assert response.status_code == 413
    assert error_of(response)["code"] == "too_large"


# ── tokens ───────────────────────────────────────────────────────────────────────────────────


def test_tokens_are_stored_hashed_and_revocable(client, editor):
    """Only a hash is stored; a revoked token is refused at once; last use is recorded."""
    token, secret = do_create_token(editor, "cms bridge")
    assert secret not in token.token_hash and len(token.token_hash) == 64
    assert client.get("/api/v1/feed", **bearer(secret)).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    do_revoke_token(editor, token.pk)
    response = client.post(
        "/api/v1/stories", {"headline": "x"}, content_type="application/json", **bearer(secret)
    )
    assert response.status_code == 401


def test_token_command_prints_a_working_token(client, editor, capsys):
    """`newsdesk token ed --label ci` prints a token that authenticates as ed."""
    call_command("token", "ed", "--label", "ci")
    secret = capsys.readouterr().out.strip().splitlines()[-1].strip()
    assert ApiToken.objects.get(label="ci").user == editor
    response = client.post(
        "/api/v1/stories", {"headline": "From CI"}, content_type="application/json",
        **bearer(secret),
    )  # fmt: skip
    assert response.status_code == 201


def test_bad_tokens_are_rate_limited(client, editor_token):
    """After 10 bad tokens in a minute from one address, even a good token gets 429."""
    for _ in range(10):
        assert client.get("/api/v1/feed", **bearer("nd_wrong")).status_code == 401
    response = client.get("/api/v1/feed", **bearer(editor_token))
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert error_of(response)["code"] == "rate_limited"
    assert client.get("/api/v1/feed").status_code == 200  # anonymous reads still work


# ── the edges ────────────────────────────────────────────────────────────────────────────────


def test_unknown_routes_and_methods_are_json(client):
    """An unknown path under /api/ is a JSON 404; a wrong method is a JSON 405."""
    response = client.get("/api/v1/nothing/here")
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"
    response = client.delete("/api/v1/feed")
    assert response.status_code == 405
    assert error_of(response)["code"] == "method_not_allowed"
    response = client.get("/api/v1/stories/not-a-number")
    assert response.status_code in (404, 422)
    error_of(response)


def test_a_host_we_do_not_serve_is_a_json_400_under_the_api(client):
    """Django refuses a Host header outside ALLOWED_HOSTS before any view: under /api/ the
    answer is still our JSON error; a reader page gets Django's own 400 page."""
    response = client.post("/api/v1/stories/1/submit", HTTP_HOST="not-ours.example")
    assert response.status_code == 400
    assert error_of(response)["code"] == "bad_request"
    response = client.get("/", HTTP_HOST="not-ours.example")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


def test_openapi_schema_and_docs_page(client):
    """The OpenAPI document lists every route; the docs page loads only our own scripts."""
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    for route in ("/api/v1/feed", "/api/v1/stories", "/api/v1/search", "/api/v1/images"):
        assert route in schema["paths"]
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "cdn" not in html.lower()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "<script>" not in html  # no inline script the CSP would block
