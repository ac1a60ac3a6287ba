"""The write actions: what each one stores, which feed events it emits, and that it is atomic."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from newsdesk.core.errors import InvalidInput
from newsdesk.stories import actions
from newsdesk.stories.actions import publishing
from newsdesk.stories.models import Correction, FeedEvent, Revision, Status, Story
from newsdesk.stories.signals import feed_events_committed

pytestmark = pytest.mark.django_db


def events(story: Story) -> list[str]:
    return list(FeedEvent.objects.filter(story=story).order_by("id").values_list("kind", flat=True))


def revision_actions(story: Story) -> list[str]:
    return list(story.revisions.order_by("number").values_list("action", flat=True))


def draft(user, headline: str = "Grid holds overnight", **fields) -> Story:
    return actions.do_create_story(user, {"headline": headline, "body": "Some words.", **fields})


def test_create_story_makes_a_draft_with_one_revision_and_no_feed_event(editor):
    """A new story is a private draft: revision 1 'created', nothing for readers."""
    story = draft(editor)
    story.refresh_from_db()
    assert story.status == Status.DRAFT
    assert story.published_at is None
    assert list(story.revisions.values_list("number", "action")) == [(1, "created")]
    assert events(story) == []


def test_publish_sets_status_time_event_and_revision(editor):
    """Publishing makes the story public now, records a revision and a 'published' event."""
    story = draft(editor)
    before = timezone.now()
    actions.do_publish_story(editor, story.pk)
    story.refresh_from_db()
    assert story.status == Status.PUBLISHED
    assert before <= story.published_at <= timezone.now()
    assert story.updated_at is None
    assert events(story) == ["published"]
    assert revision_actions(story) == ["created", "published"]


def test_publishing_twice_is_refused(editor, publish):
    """A published story cannot be published again (it would jump to the top)."""
    story = publish("Once")
    with pytest.raises(InvalidInput, match="already published"):
        actions.do_publish_story(editor, story.pk)
    assert events(story) == ["published"]


def test_update_marked_as_update_sets_updated_at_and_emits_updated(editor, publish):
    """An edit marked as an update shows '(Updated: …)': updated_at is set, event says so."""
    story = publish("Storm nears coast")
    actions.do_update_story(
        editor,
        story.pk,
        {"body": "The storm made landfall."},
        expected_version=story.version,
        mark_as_update=True,
    )
    story.refresh_from_db()
    assert story.updated_at is not None
    assert story.updated_at >= story.published_at
    last = FeedEvent.objects.filter(story=story).latest("id")
    assert last.kind == "updated"
    assert last.data["marked_update"] is True
    assert revision_actions(story)[-1] == "marked as update"


def test_silent_fix_emits_updated_without_changing_updated_at(editor, publish):
    """A typo fix reaches readers (an 'updated' event) but shows no '(Updated: …)'."""
    story = publish("Storm nears coast")
    actions.do_update_story(
        editor, story.pk, {"body": "Fixed a typo."}, expected_version=story.version
    )
    story.refresh_from_db()
    assert story.updated_at is None
    assert story.body == "Fixed a typo."
    last = FeedEvent.objects.filter(story=story).latest("id")
    assert (last.kind, last.data["marked_update"]) == ("updated", False)


def test_editing_a_draft_emits_no_feed_event(editor):
    """Readers never hear about drafts."""
    story = draft(editor)
    actions.do_update_story(editor, story.pk, {"body": "More."}, expected_version=story.version)
    assert events(story) == []
    assert revision_actions(story) == ["created", "saved"]


def test_marking_a_draft_as_update_is_refused(editor):
    """Only a published story can carry '(Updated: …)'."""
    story = draft(editor)
    with pytest.raises(InvalidInput, match="published"):
        actions.do_update_story(
            editor, story.pk, {"body": "x"}, expected_version=story.version, mark_as_update=True
        )


def test_unpublish_emits_event_clears_pin_and_hides_the_page(client, editor, publish):
    """An unpublished story leaves every public page, loses its pin, and readers are told."""
    story = publish("Wrong story")
    actions.do_set_pinned(editor, story.pk, True)
    assert client.get(story.get_absolute_url()).status_code == 200
    actions.do_unpublish_story(editor, story.pk)
    story.refresh_from_db()
    assert story.status == Status.UNPUBLISHED
    assert story.pinned is False
    assert events(story)[-1] == "unpublished"
    assert client.get(story.get_absolute_url()).status_code == 404


def test_republishing_an_unpublished_story_keeps_its_original_time(editor, publish):
    """A story put back returns to its old place in the feed, not the top."""
    story = publish("Back again")
    first_time = Story.objects.get(pk=story.pk).published_at
    actions.do_unpublish_story(editor, story.pk)
    actions.do_publish_story(editor, story.pk)
    story.refresh_from_db()
    assert story.status == Status.PUBLISHED
    assert story.published_at == first_time


def test_scheduled_story_is_not_public_until_due_and_publishes_once(client, editor):
    """A scheduled story stays hidden; when due, the scheduler publishes it exactly once."""
    story = draft(editor, "Embargoed report")
    when = timezone.now() + dt.timedelta(hours=1)
    actions.do_schedule_story(editor, story.pk, when)
    story.refresh_from_db()
    assert story.status == Status.SCHEDULED
    assert client.get(story.get_absolute_url()).status_code == 404
    assert actions.do_publish_due_stories(now=timezone.now()) == []

    later = when + dt.timedelta(minutes=1)
    first = actions.do_publish_due_stories(now=later)
    second = actions.do_publish_due_stories(now=later)
    assert [s.pk for s in first] == [story.pk]
    assert second == []
    story.refresh_from_db()
    assert story.status == Status.PUBLISHED
    assert story.published_at == when
    assert events(story) == ["published"]
    assert revision_actions(story).count("published on schedule") == 1
    assert client.get(story.get_absolute_url()).status_code == 200


def test_schedule_in_the_past_or_naive_is_refused(editor):
    """The schedule must be a future, time-zone-aware moment."""
    story = draft(editor)
    with pytest.raises(InvalidInput, match="past"):
        actions.do_schedule_story(editor, story.pk, timezone.now() - dt.timedelta(minutes=1))
    with pytest.raises(InvalidInput, match="time zone") as raised:
        actions.do_schedule_story(editor, story.pk, dt.datetime(2999, 1, 1))
    assert "time zone" in raised.value.fields["publish_at"][0]  # a message, not a placeholder
    story.refresh_from_db()
    assert story.status == Status.DRAFT


def test_correction_is_recorded_emitted_and_shown(client, editor, publish):
    """A correction is an event for live readers and a note under the story."""
    story = publish("Minister resigns")
    correction = actions.do_add_correction(
        editor, story.pk, "An earlier version misspelled the minister's name."
    )
    assert correction.story_id == story.pk
    last = FeedEvent.objects.filter(story=story).latest("id")
    assert (last.kind, last.data["correction_id"]) == ("corrected", correction.pk)
    page = client.get(story.get_absolute_url()).content.decode()
    assert "An earlier version misspelled the minister&#39;s name." in page  # escaped once


def test_correction_on_a_draft_is_refused(editor):
    """Drafts are fixed by editing, not by public corrections."""
    story = draft(editor)
    with pytest.raises(InvalidInput, match="published stories"):
        actions.do_add_correction(editor, story.pk, "Oops.")
    assert not Correction.objects.exists()


def test_empty_correction_is_refused(editor, publish):
    """A correction needs words."""
    story = publish()
    with pytest.raises(InvalidInput, match="required"):
        actions.do_add_correction(editor, story.pk, "   ")


def test_pin_and_unpin_emit_events(editor, publish):
    """Pinning and releasing a pin are both changes live readers must see."""
    story = publish("Live: election night")
    actions.do_set_pinned(editor, story.pk, True)
    assert Story.objects.get(pk=story.pk).pinned is True
    actions.do_set_pinned(editor, story.pk, False)
    assert Story.objects.get(pk=story.pk).pinned is False
    pins = FeedEvent.objects.filter(story=story, kind="pinned").order_by("id")
    assert [e.data["pinned"] for e in pins] == [True, False]


def test_pinning_a_draft_is_refused(editor):
    """Only published stories can sit at the top of the feed."""
    story = draft(editor)
    with pytest.raises(InvalidInput, match="published"):
        actions.do_set_pinned(editor, story.pk, True)


def test_breaking_flag_is_saved_and_emitted(editor, publish):
    """Marking a story breaking changes what readers see, so it is an event."""
    story = publish()
    actions.do_set_breaking(editor, story.pk, True)
    assert Story.objects.get(pk=story.pk).breaking is True
    assert events(story)[-1] == "updated"
    assert revision_actions(story)[-1] == "marked breaking"


def test_restore_revision_brings_back_old_words_as_a_new_revision(editor):
    """Restoring revision 1 of a draft is a new save with the old headline and body."""
    story = actions.do_create_story(editor, {"headline": "First headline", "body": "First body."})
    actions.do_update_story(
        editor,
        story.pk,
        {"headline": "Second headline", "body": "Second body."},
        expected_version=story.version,
    )
    story.refresh_from_db()
    count_before = story.revisions.count()
    actions.do_restore_revision(editor, story.pk, 1, expected_version=story.version)
    story.refresh_from_db()
    assert (story.headline, story.body) == ("First headline", "First body.")
    assert "First body." in story.body_html
    assert story.status == Status.DRAFT
    assert story.revisions.count() == count_before + 1
    assert story.revisions.first().action == "restored revision 1"
    assert Revision.objects.get(story=story, number=1).content["headline"] == "First headline"


def test_restore_on_a_published_story_changes_nothing_readers_see(editor, publish):
    """On a published story the restored words are the editor's pending change (an autosave
    revision), never a silent publish."""
    story = publish("First headline", body="First body.")
    story = actions.do_update_story(
        editor, story.pk, {"body": "Second body."}, expected_version=story.version
    )
    events_before = story.events.count()
    actions.do_restore_revision(editor, story.pk, 1, expected_version=story.version)
    after = Story.objects.get(pk=story.pk)
    assert after.body == "Second body." and after.version == story.version
    pending = after.revisions.first()
    assert pending.action == "autosave" and pending.content["body"] == "First body."
    assert pending.content["restored_from"] == 1
    assert after.events.count() == events_before


def test_quick_post_publishes_in_one_step(editor, topic):
    """A quick post is a published feed update straight away."""
    story = actions.do_quick_post(
        editor, "Explosion heard downtown", "Police are at the scene.", [topic.pk]
    )
    story.refresh_from_db()
    assert story.status == Status.PUBLISHED
    assert story.kind == "update"
    assert list(story.topics.all()) == [topic]
    assert events(story) == ["published"]


def test_slugs_are_unique_with_a_numbered_suffix(editor):
    """Two stories with the same headline get distinct addresses."""
    first = draft(editor, "Same headline")
    second = draft(editor, "Same headline")
    assert first.slug == "same-headline"
    assert second.slug == "same-headline-2"


def test_slug_of_a_published_story_cannot_change(editor, publish):
    """Readers' links point at a published address, so it is fixed."""
    story = publish("Fixed address")
    story.refresh_from_db()
    with pytest.raises(InvalidInput, match="cannot change") as raised:
        actions.do_update_story(
            editor, story.pk, {"slug": "new-address"}, expected_version=story.version
        )
    assert "slug" in raised.value.fields
    assert Story.objects.get(pk=story.pk).slug == "fixed-address"


def test_slug_of_a_draft_can_change(editor):
    """Before publication the address is still free to change."""
    story = draft(editor, "Working title")
    actions.do_update_story(editor, story.pk, {"slug": "Final Title"}, expected_version=1)
    assert Story.objects.get(pk=story.pk).slug == "final-title"


def test_invalid_edit_leaves_no_revision_and_no_event(editor, publish):
    """An edit that fails validation changes nothing: no revision, no event, same version."""
    story = publish("Valid")
    story.refresh_from_db()
    revisions, event_count = story.revisions.count(), FeedEvent.objects.count()
    with pytest.raises(InvalidInput):
        actions.do_update_story(
            editor, story.pk, {"headline": "   ", "body": "x"}, expected_version=story.version
        )
    with pytest.raises(InvalidInput):
        actions.do_update_story(
            editor, story.pk, {"body": "bad\x00byte"}, expected_version=story.version
        )
    after = Story.objects.get(pk=story.pk)
    assert (after.headline, after.version) == ("Valid", story.version)
    assert story.revisions.count() == revisions
    assert FeedEvent.objects.count() == event_count


def test_failure_inside_an_action_rolls_back_everything(editor, publish, monkeypatch):
    """If the last step of a publish fails, the story, revision and event are all rolled back."""
    story = draft(editor, "Half done")

    def broken_event(*args, **kwargs):
        raise RuntimeError("feed store down")

    monkeypatch.setattr(publishing, "record_event", broken_event)
    with pytest.raises(RuntimeError):
        actions.do_publish_story(editor, story.pk)
    after = Story.objects.get(pk=story.pk)
    assert after.status == Status.DRAFT
    assert after.published_at is None
    assert revision_actions(after) == ["created"]
    assert events(after) == []


def test_signal_is_sent_only_after_commit(editor, django_capture_on_commit_callbacks):
    """Live readers hear about a publish once it is committed, with the event and story ids."""
    story = draft(editor)
    received = []

    def listener(sender, event_ids, story_ids, **kwargs):
        received.append((event_ids, story_ids))

    feed_events_committed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            actions.do_publish_story(editor, story.pk)
        assert received == []  # not yet committed
        for callback in callbacks:
            callback()
    finally:
        feed_events_committed.disconnect(listener)
    event = FeedEvent.objects.get(story=story)
    assert received == [([event.pk], [story.pk])]


@pytest.mark.django_db(transaction=True)
def test_signal_is_not_sent_when_the_transaction_rolls_back(editor):
    """A write rolled back by an outer transaction never reaches a reader."""
    story = draft(editor)
    received = []

    def listener(sender, **kwargs):
        received.append(kwargs)

    feed_events_committed.connect(listener)
    try:
        with pytest.raises(RuntimeError), transaction.atomic():
            actions.do_publish_story(editor, story.pk)
            raise RuntimeError("abort")
        assert received == []
        assert Story.objects.get(pk=story.pk).status == Status.DRAFT
        assert not FeedEvent.objects.filter(story=story).exists()
        actions.do_publish_story(editor, story.pk)  # a real commit does send it
        assert len(received) == 1
    finally:
        feed_events_committed.disconnect(listener)
