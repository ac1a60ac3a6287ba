"""Who may do what, by every road in: one table of rules, every cell tested.

`RULES` says which roles may do each action. The tests are generated from it: for every role
(anonymous, contributor, editor, admin) × action × channel (the desk through a CSRF-checking
client, the JSON API with a bearer token, the desk's preview), the request is sent as a real
client sends it. Allowed → the change is in the database. Refused → an answer that says so
(401, 403, 404, 405, or a redirect to a login page) and the database is exactly as before,
row for row.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from newsdesk.api.actions import do_create_token
from newsdesk.media.models import Image
from newsdesk.stories import actions
from newsdesk.stories.models import Author, Correction, FeedEvent, Revision, Status, Story, Topic
from tests.conftest import PASSWORD, make_user
from tests.desk.conftest import jpeg_file, story_form
from tests.media.imagefiles import image_bytes

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "contributor", "editor", "admin")
WRITERS = {"contributor", "editor", "admin"}
EDITORS = {"editor", "admin"}

# The one table: which roles may do each action (whatever the channel).
RULES: dict[str, set[str]] = {
    "view_others_draft": EDITORS,
    "edit_own_draft": WRITERS,
    "edit_others_story": EDITORS,
    "publish": EDITORS,
    "unpublish": EDITORS,
    "correct": EDITORS,
    "delete": set(),  # there is no delete: no channel offers one, to anybody
    "manage_people": {"admin"},
    "upload": WRITERS,
    "manage_authors_topics": EDITORS,
    "quick_post": EDITORS,
}
REFUSED = {400, 401, 403, 404, 405}


@dataclass
class World:
    users: dict[str, object]
    others_draft: Story
    own_drafts: dict[str, Story]
    published: Story
    tokens: dict[str, str]

    def target_draft(self, role: str) -> Story:
        """The role's own draft when it has one (so publish tests publishing, not access)."""
        return self.own_drafts.get(role, self.others_draft)


@pytest.fixture(autouse=True)
def _fast_hashes(settings):
    """Argon2 is deliberately slow; 100 cells × 6 accounts need a quick hasher (tests only)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db) -> World:
    editor = make_user("editor", "mx-chief")
    other = make_user("contributor", "mx-other")
    users = {"anonymous": None}
    tokens = {}
    own = {}
    for role in WRITERS:
        users[role] = make_user(role, f"mx-{role}")
        tokens[role] = do_create_token(users[role], "matrix")[1]
        own[role] = actions.do_create_story(
            users[role], {"headline": f"{role} own draft", "body": "Draft words."}
        )
    others_draft = actions.do_create_story(
        other, {"headline": "Another person's draft", "body": "Private words."}
    )
    # A published story written by the contributor: refusing them is about the role.
    published = actions.do_create_story(
        users["contributor"], {"headline": "Published by the desk", "body": "Public words."}
    )
    published = actions.do_publish_story(editor, published.pk)
    return World(users, others_draft, own, published, tokens)


def snapshot() -> dict:
    """Every row a refused request must leave alone."""
    User = get_user_model()
    return {
        "stories": list(Story.objects.order_by("pk").values()),
        "revisions": list(Revision.objects.order_by("pk").values_list("pk", "story_id", "number")),
        "events": list(FeedEvent.objects.order_by("pk").values_list("pk", "story_id", "kind")),
        "corrections": list(Correction.objects.order_by("pk").values_list("pk", "text")),
        "authors": list(Author.objects.order_by("pk").values()),
        "topics": list(Topic.objects.order_by("pk").values()),
        "images": list(Image.objects.order_by("pk").values_list("pk", "alt_text")),
        "users": list(User.objects.order_by("pk").values_list("pk", "username", "is_active")),
        "story_authors": list(Story.authors.through.objects.order_by("pk").values_list()),
    }


# ── the channels ─────────────────────────────────────────────────────────────────────────────


def desk_client(world: World, role: str) -> Client:
    """A browser at the desk: CSRF is checked, the token comes from the page's cookie."""
    client = Client(enforce_csrf_checks=True)
    if world.users[role] is not None:
        assert client.login(username=world.users[role].username, password=PASSWORD)
    client.get("/desk/login/")
    return client


def desk_post(client: Client, path: str, data: dict, **kw):
    token = client.cookies["csrftoken"].value
    return client.post(path, {**data, "csrfmiddlewaretoken": token}, **kw)


def api_client(world: World, role: str) -> Client:
    headers = {}
    if role != "anonymous":
        headers["Authorization"] = f"Bearer {world.tokens[role]}"
    return Client(headers=headers)


@dataclass
class Case:
    send: Callable  # (world, role) -> response
    changed: Callable  # (world, before snapshot) -> bool: did the allowed change happen?


def _story(pk: int) -> Story:
    return Story.objects.get(pk=pk)


def _desk_edit(world, role, story, headline):
    client = desk_client(world, role)
    return desk_post(client, f"/desk/stories/{story.pk}/", story_form(story, headline=headline))


CASES: dict[tuple[str, str], Case] = {
    ("view_others_draft", "desk"): Case(
        lambda w, r: desk_client(w, r).get(f"/desk/stories/{w.others_draft.pk}/"),
        lambda w, before, response: "Private words." in response.content.decode(),
    ),
    ("view_others_draft", "api"): Case(
        lambda w, r: api_client(w, r).get(f"/api/v1/stories/{w.others_draft.pk}"),
        lambda w, before, response: "Private words." in response.content.decode(),
    ),
    ("view_others_draft", "preview"): Case(
        lambda w, r: desk_post(
            desk_client(w, r),
            "/desk/preview/",
            {"story": str(w.others_draft.pk), "headline": "x", "body": "Typed now."},
        ),
        lambda w, before, response: "Typed now." in response.content.decode(),
    ),
    ("edit_own_draft", "desk"): Case(
        lambda w, r: _desk_edit(w, r, w.target_draft(r), "Own draft renamed"),
        lambda w, before, response: Story.objects.filter(headline="Own draft renamed").exists(),
    ),
    ("edit_own_draft", "api"): Case(
        lambda w, r: api_client(w, r).patch(
            f"/api/v1/stories/{w.target_draft(r).pk}",
            {"headline": "Own draft renamed"},
            content_type="application/json",
        ),
        lambda w, before, response: Story.objects.filter(headline="Own draft renamed").exists(),
    ),
    ("edit_others_story", "desk"): Case(
        lambda w, r: _desk_edit(w, r, w.others_draft, "Taken over"),
        lambda w, before, response: _story(w.others_draft.pk).headline == "Taken over",
    ),
    ("edit_others_story", "api"): Case(
        lambda w, r: api_client(w, r).patch(
            f"/api/v1/stories/{w.others_draft.pk}",
            {"headline": "Taken over"},
            content_type="application/json",
        ),
        lambda w, before, response: _story(w.others_draft.pk).headline == "Taken over",
    ),
    ("publish", "desk"): Case(
        lambda w, r: desk_post(
            desk_client(w, r),
            f"/desk/stories/{w.target_draft(r).pk}/",
            story_form(w.target_draft(r), action="publish"),
        ),
        lambda w, before, response: Story.objects.filter(
            status=Status.PUBLISHED, headline__endswith="own draft"
        ).exists(),
    ),
    ("publish", "api"): Case(
        lambda w, r: api_client(w, r).post(f"/api/v1/stories/{w.target_draft(r).pk}/publish"),
        lambda w, before, response: Story.objects.filter(
            status=Status.PUBLISHED, headline__endswith="own draft"
        ).exists(),
    ),
    ("unpublish", "desk"): Case(
        lambda w, r: desk_post(
            desk_client(w, r),
            f"/desk/stories/{w.published.pk}/do/",
            {"action": "unpublish", "version": str(_story(w.published.pk).version)},
        ),
        lambda w, before, response: _story(w.published.pk).status == Status.UNPUBLISHED,
    ),
    ("unpublish", "api"): Case(
        lambda w, r: api_client(w, r).post(f"/api/v1/stories/{w.published.pk}/unpublish"),
        lambda w, before, response: _story(w.published.pk).status == Status.UNPUBLISHED,
    ),
    ("correct", "desk"): Case(
        lambda w, r: desk_post(
            desk_client(w, r),
            f"/desk/stories/{w.published.pk}/do/",
            {"action": "correct", "text": "An earlier version misspelt the quay."},
        ),
        lambda w, before, response: Correction.objects.filter(story=w.published).exists(),
    ),
    ("correct", "api"): Case(
        lambda w, r: api_client(w, r).post(
            f"/api/v1/stories/{w.published.pk}/corrections",
            {"text": "An earlier version misspelt the quay."},
            content_type="application/json",
        ),
        lambda w, before, response: Correction.objects.filter(story=w.published).exists(),
    ),
    ("delete", "desk"): Case(
        lambda w, r: desk_post(
            desk_client(w, r), f"/desk/stories/{w.published.pk}/do/", {"action": "delete"}
        ),
        lambda w, before, response: not Story.objects.filter(pk=w.published.pk).exists(),
    ),
    ("delete", "api"): Case(
        lambda w, r: api_client(w, r).delete(f"/api/v1/stories/{w.published.pk}"),
        lambda w, before, response: not Story.objects.filter(pk=w.published.pk).exists(),
    ),
    ("delete", "admin"): Case(
        lambda w, r: desk_post(
            desk_client(w, r), f"/admin/stories/story/{w.published.pk}/delete/", {"post": "yes"}
        ),
        lambda w, before, response: not Story.objects.filter(pk=w.published.pk).exists(),
    ),
    ("manage_people", "admin"): Case(
        lambda w, r: desk_post(
            desk_client(w, r),
            "/admin/auth/user/add/",
            {
                "username": "newcomer",
                "password1": "Harbour-Lights-42x",
                "password2": "Harbour-Lights-42x",
                "usable_password": "true",
            },
        ),
        lambda w, before, response: get_user_model().objects.filter(username="newcomer").exists(),
    ),
    ("upload", "desk"): Case(
        lambda w, r: desk_post(
            desk_client(w, r),
            "/desk/stories/new/",
            {**story_form(), "image-image_file": jpeg_file(), "image-alt_text": "A quay"},
        ),
        lambda w, before, response: Image.objects.count() == len(before["images"]) + 1,
    ),
    ("upload", "api"): Case(
        lambda w, r: api_client(w, r).post(
            "/api/v1/images",
            {"file": io.BytesIO(image_bytes()), "alt_text": "A quay"},
        ),
        lambda w, before, response: Image.objects.count() == len(before["images"]) + 1,
    ),
    ("manage_authors_topics", "desk"): Case(
        lambda w, r: desk_post(
            desk_client(w, r), "/desk/topics/new/", {"name": "Tides", "description": ""}
        ),
        lambda w, before, response: Topic.objects.filter(name="Tides").exists(),
    ),
    ("manage_authors_topics", "desk-authors"): Case(
        lambda w, r: desk_post(desk_client(w, r), "/desk/authors/new/", {"name": "New Voice"}),
        lambda w, before, response: Author.objects.filter(name="New Voice").exists(),
    ),
    ("quick_post", "desk"): Case(
        lambda w, r: desk_post(
            desk_client(w, r), "/desk/quick-post/", {"headline": "Flash", "text": "Now."}
        ),
        lambda w, before, response: Story.objects.filter(
            headline="Flash", status=Status.PUBLISHED
        ).exists(),
    ),
}
# Actions a channel does not offer at all (asserted below, so the gap is a decision).
NOT_OFFERED = {
    ("manage_people", "api"): "/api/v1/users",
    ("manage_authors_topics", "api"): "/api/v1/topics",
    ("quick_post", "api"): "/api/v1/quick-post",
}


def _is_refusal(response) -> bool:
    if response.status_code in REFUSED:
        return True
    if response.status_code == 302:
        return "/login/" in response["Location"]
    return False


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("action", "channel"), sorted(CASES))
def test_each_role_action_and_channel_follows_the_rules(world, role, action, channel):
    """Allowed (per RULES) → the change is made; refused → a refusal answer and not one row of
    the database differs."""
    case = CASES[(action, channel)]
    before = snapshot()
    response = case.send(world, role)
    if role in RULES[action]:
        assert response.status_code < 400, response.content[:500]
        assert case.changed(world, before, response), f"{role} {action} via {channel}"
    else:
        assert _is_refusal(response), (response.status_code, response.content[:300])
        assert not case.changed(world, before, response)
        assert snapshot() == before


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("action", "channel"), sorted(NOT_OFFERED))
def test_writes_the_api_does_not_offer_are_refused_for_everyone(world, role, action, channel):
    """People, authors/topics and quick post have no API write: posting there changes nothing."""
    before = snapshot()
    response = api_client(world, role).post(
        NOT_OFFERED[(action, channel)], {"name": "x"}, content_type="application/json"
    )
    assert response.status_code in {401, 404, 405}
    assert snapshot() == before


def test_the_rules_table_covers_every_action_and_every_action_has_a_channel():
    """No action in the table goes untested, and no tested action is missing from the table."""
    tested = {action for action, _ in CASES} | {action for action, _ in NOT_OFFERED}
    assert tested == set(RULES)


@pytest.mark.parametrize("role", sorted(WRITERS))
def test_a_revoked_or_disabled_account_can_do_nothing(world, role):
    """An account switched off (is_active False) loses the desk and its API token at once."""
    user = world.users[role]
    user.is_active = False
    user.save(update_fields=["is_active"])
    before = snapshot()
    response = api_client(world, role).post(
        f"/api/v1/stories/{world.target_draft(role).pk}/publish"
    )
    assert response.status_code == 401
    client = Client()
    client.force_login(user)
    assert client.get("/desk/").status_code == 302
    assert snapshot() == before
