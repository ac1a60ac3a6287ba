"""Who may do what, enforced by the actions themselves, and edit conflicts caught on save."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from newsdesk.core.errors import EditConflict, InvalidInput, NotAllowed
from newsdesk.stories import actions
from newsdesk.stories.accounts import do_create_user
from newsdesk.stories.models import FeedEvent, Status, Story
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def own_draft(user, headline: str = "My draft") -> Story:
    return actions.do_create_story(user, {"headline": headline, "body": "Words."})


@pytest.mark.parametrize(
    "attempt",
    [
        pytest.param(lambda u, s: actions.do_publish_story(u, s.pk), id="publish"),
        pytest.param(lambda u, s: actions.do_unpublish_story(u, s.pk), id="unpublish"),
        pytest.param(lambda u, s: actions.do_add_correction(u, s.pk, "Fix."), id="correct"),
        pytest.param(lambda u, s: actions.do_set_pinned(u, s.pk, True), id="pin"),
        pytest.param(lambda u, s: actions.do_set_breaking(u, s.pk, True), id="breaking"),
        pytest.param(lambda u, s: actions.do_quick_post(u, "Flash", "Text."), id="quick-post"),
        pytest.param(
            lambda u, s: actions.do_schedule_story(u, s.pk, timezone.now() + dt.timedelta(hours=1)),
            id="schedule",
        ),
    ],
)
def test_contributor_cannot_do_editor_actions(contributor, publish, attempt):
    """Publishing decisions are an editor's: a contributor gets NotAllowed and nothing changes."""
    story = publish("Editor's story")
    events_before = FeedEvent.objects.count()
    stories_before = Story.objects.count()
    with pytest.raises(NotAllowed):
        attempt(contributor, story)
    assert FeedEvent.objects.count() == events_before
    assert Story.objects.count() == stories_before
    story.refresh_from_db()
    assert (story.status, story.pinned, story.breaking) == (Status.PUBLISHED, False, False)


def test_contributor_creates_and_edits_own_draft(contributor):
    """A contributor writes drafts and keeps editing them."""
    story = own_draft(contributor)
    actions.do_update_story(contributor, story.pk, {"body": "Better."}, expected_version=1)
    assert Story.objects.get(pk=story.pk).body == "Better."


def test_contributor_cannot_mark_own_draft_as_update(contributor):
    """'(Updated: …)' is an editor's decision."""
    story = own_draft(contributor)
    with pytest.raises(NotAllowed):
        actions.do_update_story(
            contributor, story.pk, {"body": "x"}, expected_version=1, mark_as_update=True
        )


def test_contributor_cannot_edit_someone_elses_story(contributor, editor):
    """A contributor only edits their own stories."""
    story = own_draft(editor, "Editor's draft")
    with pytest.raises(NotAllowed, match="your own stories"):
        actions.do_update_story(contributor, story.pk, {"body": "Mine now."}, expected_version=1)
    assert Story.objects.get(pk=story.pk).body == "Words."


def test_contributor_cannot_edit_own_story_once_published(contributor, editor):
    """After publication only an editor changes the story readers see."""
    story = own_draft(contributor)
    actions.do_publish_story(editor, story.pk)
    story.refresh_from_db()
    with pytest.raises(NotAllowed, match="published"):
        actions.do_update_story(
            contributor, story.pk, {"body": "Sneaky."}, expected_version=story.version
        )
    assert Story.objects.get(pk=story.pk).body == "Words."


def test_contributor_cannot_restore_revisions_of_others(contributor, editor):
    """Restoring is an edit and follows the same rule."""
    story = own_draft(editor)
    with pytest.raises(NotAllowed):
        actions.do_restore_revision(contributor, story.pk, 1, expected_version=None)


def test_editor_can_edit_anyones_story(contributor, editor):
    """An editor edits a contributor's draft."""
    story = own_draft(contributor)
    actions.do_update_story(editor, story.pk, {"body": "Edited."}, expected_version=1)
    assert Story.objects.get(pk=story.pk).body == "Edited."


def test_anonymous_and_inactive_users_cannot_write(editor):
    """Without an active newsroom account there is no writing at all."""
    anonymous = AnonymousUser()
    with pytest.raises(NotAllowed):
        actions.do_create_story(anonymous, {"headline": "Hi", "body": ""})
    story = own_draft(editor)
    with pytest.raises(NotAllowed):
        actions.do_update_story(anonymous, story.pk, {"body": "x"}, expected_version=None)
    with pytest.raises(NotAllowed):
        actions.do_publish_story(anonymous, story.pk)
    with pytest.raises(NotAllowed):
        actions.do_create_story(None, {"headline": "Hi", "body": ""})
    editor.is_active = False
    editor.save()
    with pytest.raises(NotAllowed):
        actions.do_publish_story(editor, story.pk)
    assert Story.objects.get(pk=story.pk).status == Status.DRAFT


def test_admin_creates_accounts_and_contributor_cannot(admin_user, contributor):
    """Only admins manage people."""
    user = do_create_user(admin_user, "newbie", PASSWORD, "contributor")
    assert list(user.groups.values_list("name", flat=True)) == ["contributor"]
    with pytest.raises(NotAllowed):
        do_create_user(contributor, "sneaky", PASSWORD, "admin")
    assert not get_user_model().objects.filter(username="sneaky").exists()


def test_create_user_refuses_duplicates_weak_passwords_and_unknown_roles(admin_user):
    """Each problem is reported on its field, and no account is made."""
    make_user("contributor", "taken")
    with pytest.raises(InvalidInput) as raised:
        do_create_user(admin_user, "TAKEN", "123", "overlord")
    assert set(raised.value.fields) == {"username", "password", "role"}
    assert get_user_model().objects.filter(username__iexact="taken").count() == 1


# ── edit conflicts ───────────────────────────────────────────────────────────────────────────


def test_second_edit_from_the_same_version_is_a_conflict(editor, contributor):
    """Two people start from version 1: the first save wins, the second is told, nothing lost."""
    story = own_draft(contributor)
    version = Story.objects.get(pk=story.pk).version
    actions.do_update_story(editor, story.pk, {"body": "First save."}, expected_version=version)
    with pytest.raises(EditConflict) as raised:
        actions.do_update_story(
            contributor, story.pk, {"body": "Second save."}, expected_version=version
        )
    current = Story.objects.get(pk=story.pk)
    assert raised.value.current_version == current.version == version + 1
    assert f"version {current.version}" in raised.value.message
    assert current.body == "First save."
    assert current.revisions.count() == 2  # created + the first save only


def test_conflict_on_publish_with_a_stale_version(editor):
    """Publishing what you saw is refused when somebody saved since."""
    story = own_draft(editor)
    actions.do_update_story(editor, story.pk, {"body": "Newer."}, expected_version=1)
    with pytest.raises(EditConflict):
        actions.do_publish_story(editor, story.pk, expected_version=1)
    assert Story.objects.get(pk=story.pk).status == Status.DRAFT


def test_each_save_claims_the_next_version(editor):
    """Saves chain: each one bumps the version and the next must name it."""
    story = own_draft(editor)
    first = actions.do_update_story(editor, story.pk, {"body": "a"}, expected_version=1)
    second = actions.do_update_story(
        editor, story.pk, {"body": "b"}, expected_version=first.version
    )
    assert (first.version, second.version) == (2, 3)
    with pytest.raises(EditConflict):
        actions.do_update_story(editor, story.pk, {"body": "c"}, expected_version=first.version)
    assert Story.objects.get(pk=story.pk).body == "b"
