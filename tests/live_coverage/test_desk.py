"""Live coverage at the desk: quick post into a live page, one-click buttons, bad input."""

from __future__ import annotations

import pytest

from newsdesk.core.errors import InvalidInput
from newsdesk.stories import actions
from newsdesk.stories.models import Story
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(client, editor):
    client.login(username=editor.username, password=PASSWORD)
    return client


def test_quick_post_with_json_answers_201_with_the_row(desk, coverage, author):
    response = desk.post(
        f"/desk/live/{coverage.pk}/post/",
        {"text": "Bridge closed to lorries.", "author_ids": [author.pk]},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 201
    entry = Story.objects.get(pk=response.json()["id"])
    assert entry.status == "published" and entry.coverage_id == coverage.pk
    assert [a.pk for a in entry.ordered_authors()] == [author.pk]
    assert "Bridge closed to lorries." in response.json()["row"]
    page = desk.get(f"/desk/live/{coverage.pk}/").content.decode()
    assert "Bridge closed to lorries." in page and "Ctrl+Enter" in page


def test_quick_post_without_js_comes_back_to_the_desk_view(desk, coverage):
    response = desk.post(f"/desk/live/{coverage.pk}/post/", {"text": "Plain form post."})
    assert response.status_code == 302
    assert response["Location"] == f"/desk/live/{coverage.pk}/"
    assert Story.objects.filter(body="Plain form post.", status="published").exists()


def test_bad_posts_are_clear_4xx_and_keep_the_text(desk, coverage, editor):
    missing = desk.post(
        "/desk/live/999999/post/", {"text": "Lost?"}, HTTP_ACCEPT="application/json"
    )
    assert missing.status_code == 404 and "no live coverage" in missing.json()["error"]["message"]
    empty = desk.post(f"/desk/live/{coverage.pk}/post/", {"text": ""})
    assert empty.status_code == 400
    desk.post(f"/desk/live/{coverage.pk}/end/", {"confirmed": "1"})
    ended = desk.post(f"/desk/live/{coverage.pk}/post/", {"text": "After the end."})
    assert ended.status_code == 400
    assert "After the end." in ended.content.decode()  # still in the box
    assert "has ended" in ended.content.decode()


def test_buttons_key_event_pin_correct_and_delete_with_confirmation(desk, coverage, post):
    entry = post("Harbour wall damaged.")
    url = f"/desk/live/entries/{entry.pk}/do/"
    assert desk.post(url, {"action": "key_on"}).status_code == 302
    assert desk.post(url, {"action": "pin"}).status_code == 302
    assert (
        desk.post(url, {"action": "correct", "text": "It was the north wall."}).status_code == 302
    )
    entry.refresh_from_db()
    coverage.refresh_from_db()
    assert entry.key_event and coverage.pinned_entry_id == entry.pk
    assert entry.corrections.count() == 1
    asked = desk.post(url, {"action": "delete"})
    assert asked.status_code == 200 and "Delete this entry?" in asked.content.decode()
    entry.refresh_from_db()
    assert entry.status == "published"
    assert desk.post(url, {"action": "delete", "confirmed": "1"}).status_code == 302
    entry.refresh_from_db()
    assert entry.status == "unpublished"
    refused = desk.post(url, {"action": "key_on"}, HTTP_ACCEPT="application/json")
    assert refused.status_code == 400 and "not published" in refused.json()["error"]["message"]
    assert desk.post(url, {"action": "explode"}).status_code == 400
    assert desk.post("/desk/live/entries/999999/do/", {"action": "pin"}).status_code == 404


def test_contributors_draft_entries_but_cannot_post_or_press_buttons(
    client, contributor, coverage, post
):
    client.login(username=contributor.username, password=PASSWORD)
    page = client.get(f"/desk/live/{coverage.pk}/").content.decode()
    assert "Save draft" in page and "Post now" not in page
    response = client.post(
        f"/desk/live/{coverage.pk}/post/",
        {"text": "Draft from the field.", "draft": "1"},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 201 and response.json()["status"] == "draft"
    posting = client.post(
        f"/desk/live/{coverage.pk}/post/", {"text": "Straight out."}, HTTP_ACCEPT="application/json"
    )
    assert posting.status_code == 403 and "editor" in posting.json()["error"]["message"]
    other = make_user("contributor", "quill")
    actions.do_post_entry(other, coverage.pk, {"body": "A colleague's draft."}, publish=False)
    entry = post("Published by an editor.")
    page = client.get(f"/desk/live/{coverage.pk}/").content.decode()
    assert "Draft from the field." in page and "Published by an editor." in page
    assert "A colleague's draft." not in page
    refused = client.post(
        f"/desk/live/entries/{entry.pk}/do/", {"action": "key_on"}, HTTP_ACCEPT="application/json"
    )
    assert refused.status_code == 403


def test_new_live_coverage_opens_the_editor_with_kind_live(desk):
    page = desk.get("/desk/stories/new/?kind=live").content.decode()
    assert '<option value="live" selected>' in page
    assert 'value="entry"' not in page
    assert "Live coverage" in desk.get("/desk/live/").content.decode()


def test_a_contributors_entry_goes_to_the_review_queue_and_approval_publishes_it(
    client, contributor, editor, coverage
):
    """A contributor's "Send to editors" puts the entry in the desk's review queue, named with its
    live page; an editor approving it (the review's Approve in the story editor) publishes it into
    its coverage, where readers see it."""
    client.force_login(contributor)
    page = client.get(f"/desk/live/{coverage.pk}/").content.decode()
    assert "Send to editors" in page and "Post now" not in page
    sent = client.post(
        f"/desk/live/{coverage.pk}/post/",
        {"text": "Bridge closed by the police, says our stringer.", "review": "1"},
        HTTP_ACCEPT="application/json",
    )
    assert sent.status_code == 201, sent.content
    assert sent.json()["status"] == "draft" and "review queue" in sent.json()["message"]
    assert "in review" in sent.json()["row"]
    entry = Story.objects.get(pk=sent.json()["id"])
    assert client.get(coverage.get_absolute_url()).content.decode().count("Bridge closed") == 0

    client.force_login(editor)
    queue = client.get("/desk/review/").content.decode()
    assert "Bridge closed by the police" in queue and coverage.headline in queue
    approved = client.post(
        f"/desk/stories/{entry.pk}/",
        {"headline": "", "body": entry.body, "kind": "entry", "language": "en",
         "version": str(entry.version), "action": "approve"},
    )  # fmt: skip
    assert approved.status_code == 302
    entry.refresh_from_db()
    assert entry.status == "published" and entry.review == "none"
    assert "Bridge closed by the police" in client.get(coverage.get_absolute_url()).content.decode()
    assert "Bridge closed" not in client.get("/desk/review/").content.decode()


def test_approving_an_entry_of_ended_coverage_is_refused_and_keeps_it(
    client, contributor, editor, coverage
):
    entry = actions.do_post_entry(
        contributor, coverage.pk, {"body": "Late word from the coast."}, publish=False, review=True
    )
    actions.do_end_coverage(editor, coverage.pk)
    client.force_login(editor)
    refused = client.post(
        f"/desk/live/entries/{entry.pk}/do/", {"action": "publish"}, HTTP_ACCEPT="application/json"
    )
    assert refused.status_code == 400 and "ended" in refused.json()["error"]["message"]
    with pytest.raises(InvalidInput, match="ended"):
        actions.do_approve_story(editor, entry.pk)
    entry.refresh_from_db()
    assert entry.status == "draft" and entry.body == "Late word from the coast."
    assert "Late word from the coast." in client.get("/desk/review/").content.decode()
