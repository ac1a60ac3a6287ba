"""The review queue at the desk: a contributor's byline, submitting for review, the editors'
queue and its counter, approving and returning with a note, notes on a story, and the history
that says who did what — as the two people would click through it."""

from __future__ import annotations

import pytest
from django.test import Client

from newsdesk.core.errors import InvalidInput
from newsdesk.stories import actions
from newsdesk.stories.models import Author, Review, Story, StoryNote
from tests.conftest import make_user
from tests.desk.conftest import story_form

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _page(client: Client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, response.content[:300]
    return response.content.decode()


def _count(client: Client) -> int | None:
    response = client.get("/desk/review/count/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    return response.json()["count"]


def test_a_contributors_first_story_is_bylined_to_a_profile_made_for_them(contributor):
    """A contributor without an author profile writes a story: it carries their name (a new
    profile linked to their account), and the desk's list shows it instead of "none"."""
    contributor.first_name, contributor.last_name = "Connie", "Vale"
    contributor.save()
    client = _client(contributor)
    page = _page(client, "/desk/stories/new/")
    assert "The byline will be your name" in page
    client.post("/desk/stories/new/", story_form())
    story = Story.objects.get()
    author = Author.objects.get(user=contributor)
    assert author.name == "Connie Vale"
    assert story.ordered_authors() == [author]
    # A second story reuses the same profile.
    client.post("/desk/stories/new/", story_form(headline="Second ferry story"))
    assert Author.objects.filter(user=contributor).count() == 1
    listing = _page(client, "/desk/")
    assert "Connie Vale" in listing
    assert ">none<" not in listing


def test_the_authors_list_says_which_account_each_profile_is_linked_to(contributor, editor):
    """Editors see on the Authors list who logs in as whom, and link accounts in the form."""
    actions.do_create_story(contributor, {"headline": "First piece"})
    actions.do_save_author(editor, None, {"name": "Guest Writer"})
    page = _page(_client(editor), "/desk/authors/")
    assert f"account {contributor.username}" in page
    assert "no account linked" in page


def test_a_contributor_cannot_put_someone_elses_name_on_a_byline(contributor, editor):
    """The byline offers a contributor only their own name and those already there; a forged
    form naming someone else is refused with a message and nothing changes. An editor may."""
    other = actions.do_save_author(editor, None, {"name": "Famous Columnist"})
    client = _client(contributor)
    page = _page(client, "/desk/stories/new/")
    assert "Famous Columnist" not in page
    # The form does not offer the name; a forged one is refused by the action, with its reason.
    response = client.post("/desk/stories/new/", story_form(author_ids=[str(other.pk)]))
    assert response.status_code == 403
    assert "Only editors can put other people" in response.content.decode()
    assert not Story.objects.exists()
    story = actions.do_create_story(contributor, {"headline": "My own piece"})
    response = client.post(
        f"/desk/stories/{story.pk}/", story_form(story, author_ids=[str(other.pk)])
    )
    assert response.status_code == 403
    assert other not in Story.objects.get(pk=story.pk).ordered_authors()
    # The editor adds the columnist; the contributor may keep the name when saving.
    story = actions.do_update_story(
        editor,
        story.pk,
        {"author_ids": [*(a.pk for a in story.ordered_authors()), other.pk]},
        expected_version=None,
    )
    assert "Famous Columnist" in _page(client, f"/desk/stories/{story.pk}/")
    response = client.post(f"/desk/stories/{story.pk}/", story_form(story, body="More words."))
    assert response.status_code == 302
    assert other in Story.objects.get(pk=story.pk).ordered_authors()


def test_the_review_round_trip_at_the_desk(contributor, editor):
    """Contributor submits; the editor's counter and queue show it; the editor returns it with a
    note; the contributor sees the note, revises and submits again; the editor approves and it
    is published. The history names who did each step."""
    writer, chief = _client(contributor), _client(editor)
    assert _count(chief) == 0
    assert _count(writer) is None
    nav = _page(chief, "/desk/")
    assert 'data-review-count-url="/desk/review/count/"' in nav
    assert "Review queue" not in _page(writer, "/desk/")

    # The contributor saves and submits in one press.
    response = writer.post("/desk/stories/new/", story_form(action="submit"))
    assert response.status_code == 302
    story = Story.objects.get()
    assert story.review == Review.IN_REVIEW and story.status == "draft"
    page = _page(writer, f"/desk/stories/{story.pk}/")
    assert "submitted for review" in page and ">Submit for review</button>" not in page
    assert 'status--in-review">in review<' in _page(writer, "/desk/")

    # The editor's counter and queue.
    assert _count(chief) == 1
    queue = _page(chief, "/desk/review/")
    assert story.headline in queue and contributor.username in queue
    assert "Nothing is waiting" not in queue
    editing = _page(chief, f"/desk/stories/{story.pk}/")
    assert ">Approve and publish</button>" in editing
    assert ">Return to the writer</button>" in editing

    # Returned with a note.
    response = chief.post(
        f"/desk/stories/{story.pk}/do/",
        {"action": "return", "version": str(story.version), "return-note": "Check the 19:30 time."},
    )
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.review == Review.RETURNED
    assert _count(chief) == 0
    page = _page(writer, f"/desk/stories/{story.pk}/")
    assert "Returned for changes" in page and "Check the 19:30 time." in page
    assert ">Submit for review</button>" in page
    assert 'status--returned">returned<' in _page(writer, "/desk/?status=returned")

    # Revised and submitted again, then approved by the editor.
    response = writer.post(
        f"/desk/stories/{story.pk}/",
        story_form(story, body="The evening crossing moves to 19:45.", action="submit"),
    )
    assert response.status_code == 302
    assert _count(chief) == 1
    story.refresh_from_db()
    response = chief.post(f"/desk/stories/{story.pk}/", story_form(story, action="approve"))
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.status == "published" and story.review == Review.NONE
    assert Client().get(story.get_absolute_url()).status_code == 200
    assert _count(chief) == 0
    assert "Nothing is waiting for review." in _page(chief, "/desk/review/")

    history = [(r.action, r.created_by.username) for r in story.revisions.order_by("number")]
    assert history == [
        ("created", contributor.username),
        ("submitted for review", contributor.username),
        ("returned for changes", editor.username),
        ("saved", contributor.username),
        ("submitted for review", contributor.username),
        ("saved", editor.username),
        ("approved and published", editor.username),
    ]
    page = _page(chief, f"/desk/stories/{story.pk}/")
    assert "approved and published" in page and "returned for changes" in page


def test_review_steps_that_do_not_apply_are_refused_with_a_message(contributor, editor):
    """Returning without a note, returning or approving what is not in review, and submitting
    twice or a published story: a 4xx page saying why, and nothing changes."""
    writer, chief = _client(contributor), _client(editor)
    story = actions.do_create_story(contributor, {"headline": "Tide tables"})
    response = chief.post(f"/desk/stories/{story.pk}/", story_form(story, action="approve"))
    assert response.status_code == 400
    assert "not in the review queue" in response.content.decode()
    response = chief.post(
        f"/desk/stories/{story.pk}/do/",
        {"action": "return", "version": str(story.version), "return-note": "No."},
    )
    assert response.status_code == 400
    actions.do_submit_for_review(contributor, story.pk)
    story.refresh_from_db()
    response = chief.post(
        f"/desk/stories/{story.pk}/do/",
        {"action": "return", "version": str(story.version), "return-note": "   "},
    )
    assert response.status_code == 400
    assert "Note to the writer" in response.content.decode()
    response = chief.post(
        f"/desk/stories/{story.pk}/do/", {"action": "return", "version": "x", "return-note": "y"}
    )
    assert response.status_code == 400
    response = writer.post(f"/desk/stories/{story.pk}/", story_form(story, action="submit"))
    assert response.status_code == 400
    assert "already waiting" in response.content.decode()
    assert Story.objects.get(pk=story.pk).review == Review.IN_REVIEW
    actions.do_approve_story(editor, story.pk)
    story.refresh_from_db()
    with pytest.raises(InvalidInput, match="only drafts and unpublished stories"):
        actions.do_submit_for_review(editor, story.pk)
    # A stale version (someone saved since) is a conflict, not a silent overwrite.
    other = actions.do_create_story(contributor, {"headline": "Harbour lights"})
    response = writer.post(
        f"/desk/stories/{other.pk}/", story_form(other, action="submit", version="99")
    )
    assert response.status_code == 409
    assert Story.objects.get(pk=other.pk).review == Review.NONE


def test_a_contributor_cannot_return_or_approve_even_by_forged_posts(contributor, editor):
    """The buttons are not offered to a contributor, and posting them anyway is a 403."""
    writer = _client(contributor)
    story = actions.do_create_story(contributor, {"headline": "Quay works"})
    actions.do_submit_for_review(contributor, story.pk)
    story.refresh_from_db()
    page = _page(writer, f"/desk/stories/{story.pk}/")
    assert ">Approve and publish</button>" not in page and "Return to the writer" not in page
    assert writer.get("/desk/review/").status_code == 403
    response = writer.post(f"/desk/stories/{story.pk}/", story_form(story, action="approve"))
    assert response.status_code == 403
    response = writer.post(
        f"/desk/stories/{story.pk}/do/",
        {"action": "return", "version": str(story.version), "return-note": "Self-return"},
    )
    assert response.status_code == 403
    story.refresh_from_db()
    assert story.status == "draft" and story.review == Review.IN_REVIEW
    assert not StoryNote.objects.exists()


def test_notes_are_a_desk_thread_for_editors_and_the_stories_writers(contributor, editor):
    """An editor and the writer exchange notes on the story; another contributor can neither
    read nor add them; an empty note is a form error."""
    writer, chief = _client(contributor), _client(editor)
    story = actions.do_create_story(contributor, {"headline": "Bridge repairs"})
    response = chief.post(f"/desk/stories/{story.pk}/notes/", {"note-text": "Who is the source?"})
    assert response.status_code == 302
    response = writer.post(f"/desk/stories/{story.pk}/notes/", {"note-text": "The port office."})
    assert response.status_code == 302
    page = _page(writer, f"/desk/stories/{story.pk}/")
    assert page.index("Who is the source?") < page.index("The port office.")
    assert editor.username in page
    response = writer.post(f"/desk/stories/{story.pk}/notes/", {"note-text": "  "})
    assert response.status_code == 400
    assert "Add a note" in response.content.decode()
    stranger = _client(make_user("contributor", "stranger"))
    response = stranger.get(f"/desk/stories/{story.pk}/")
    assert response.status_code == 403 and "Who is the source?" not in response.content.decode()
    response = stranger.post(f"/desk/stories/{story.pk}/notes/", {"note-text": "Sneaky"})
    assert response.status_code == 403
    assert StoryNote.objects.count() == 2
    # Notes never change the story or its history.
    assert Story.objects.get(pk=story.pk).version == story.version
    assert story.revisions.count() == 1


def test_the_story_list_filters_by_review_state(contributor, editor):
    """The status filter offers "in review" and "returned" besides the statuses."""
    chief = _client(editor)
    waiting = actions.do_create_story(contributor, {"headline": "Waiting piece"})
    actions.do_submit_for_review(contributor, waiting.pk)
    actions.do_create_story(contributor, {"headline": "Plain draft"})
    page = _page(chief, "/desk/?status=in_review")
    assert "Waiting piece" in page and "Plain draft" not in page
    page = _page(chief, "/desk/?status=draft")
    assert "Plain draft" in page and "Waiting piece" not in page
    assert chief.get("/desk/?status=bogus").status_code == 400
