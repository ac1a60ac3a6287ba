"""No 500 from any input (issue 12): every API write field and every desk form takes naughty
strings, every C0 control character (raw and as `&#N;`) and integer edges, and answers either
"saved" — the text then reads back as written from the API, the feeds and the sitemaps — or a
4xx naming the field. After each round every feed and sitemap is well-formed XML (sitemaps valid
against their schemas) and every JSON output parses. Rows stored before the checks existed
(control characters put in with a raw UPDATE) do not break any of them either."""

from __future__ import annotations

import base64
import json
import re
from collections import Counter

import lxml.html
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from newsdesk.api.actions import do_create_token
from newsdesk.core.errors import InvalidInput
from newsdesk.core.ids import parse_id
from newsdesk.core.validation import XML_ILLEGAL
from newsdesk.media.actions import do_upload_image
from newsdesk.stories import actions
from newsdesk.stories.models import Author, Correction, Image, Story, Topic
from tests.media.imagefiles import image_bytes
from tests.trust.hostile import (
    BOUNDARY_INTEGERS,
    XML_ILLEGAL_CHARACTERS,
    XML_LEGAL_CONTROLS,
    hostile_strings,
)
from tests.trust.outputs import Outputs, assert_all_outputs_well_formed

pytestmark = pytest.mark.django_db

API_EXAMPLES = (
    40  # per API test: each example writes every field of a story, a correction, an image
)
DESK_EXAMPLES = 30  # per desk test: each example posts every desk form once
NO_500 = settings(
    max_examples=API_EXAMPLES,
    deadline=None,
    database=None,
    # No shrinking: each example is a dozen HTTP requests on a growing database, and shrinking
    # one took over five minutes. The failure report shows the example as drawn.
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


# Plain values of each form's fields: an example makes up to two of them hostile (`form`).
API_PLAIN = {"headline": "Harbour", "summary": "Ferries.", "body": "Words.", "language": "en"}
DESK_PLAIN = {
    "story": {"headline": "Harbour", "slug": "", "summary": "", "body": "Words.", "language": "en"},
    "image": {"image-alt_text": "", "image-caption": "", "image-credit": ""},
    "quick": {"headline": "Ferries stop", "text": "Until noon."},
    "topic": {"name": "Energy", "slug": "", "description": ""},
    "author": {"name": "Mira Osei", "slug": "", "role": "Editor", "bio": ""},
}


@pytest.fixture(scope="module")
def hostile() -> list[str]:
    return hostile_strings()


def hostile_text(strings: list[str]) -> st.SearchStrategy[str]:
    """A string from the lists, any text, or any text around a character XML cannot hold."""
    around = st.builds(
        lambda a, c, b: a + c + b,
        st.text(max_size=12),
        st.sampled_from(XML_ILLEGAL_CHARACTERS + XML_LEGAL_CONTROLS),
        st.text(max_size=12),
    )
    return st.one_of(st.sampled_from(strings), st.text(max_size=60), around)


def form(hostile: st.SearchStrategy[str], **plain: str) -> st.SearchStrategy[dict[str, str]]:
    """The fields of one form: up to two of them hostile, the others their plain value. Each
    field is tried on its own and with another; all hostile at once would nearly always be
    refused for one of them, and the "saved as written" road would go untried."""
    names = sorted(plain)
    return st.tuples(
        st.sets(st.sampled_from(names), max_size=2),
        st.fixed_dictionaries({name: hostile for name in names}),
    ).map(lambda drawn: {n: drawn[1][n] if n in drawn[0] else plain[n] for n in names})


def sendable(text: str) -> str:
    """`text` as a browser can send it in a form: UTF-8 has no lone surrogates."""
    return re.sub("[\ud800-\udfff]", "", text)


def illegal(value) -> bool:
    """Holds a character XML cannot carry, once trimmed (fields that are trimmed before they are
    checked, like `language`, may end in a form feed and be saved without it)."""
    return isinstance(value, str) and XML_ILLEGAL.search(value.strip()) is not None


def json_body(payload: dict, **numbers) -> str:
    """`payload` as JSON, with `numbers` written as bare JSON numbers of any length (json.dumps
    refuses to write an int of more than 4,300 digits; a client can send one all the same)."""
    text = json.dumps(payload)
    for key, value in numbers.items():
        unsigned = value.removeprefix("-") if isinstance(value, str) else ""
        raw = value if unsigned.isascii() and unsigned.isdigit() else json.dumps(value)
        text = f'{text[:-1]}{", " if text != "{}" else ""}"{key}": {raw}}}'
    return text


def api_error(response, sent: set[str]) -> dict:
    """A refusal: 4xx, JSON, a message, and per-field messages only for fields that were sent."""
    assert 400 <= response.status_code < 500, (response.status_code, response.content[:300])
    error = response.json()["error"]
    assert error["message"]
    if response.status_code == 422:
        assert error["fields"] and set(error["fields"]) <= sent | {"body"}, error
    return error


def assert_named_if_illegal(error: dict, fields: dict) -> None:
    """When our own validation answered, every field holding an XML-illegal character is named."""
    if error["code"] == "invalid_input":
        for name, value in fields.items():
            if illegal(value):
                assert name in error["fields"], (name, error)


@pytest.fixture
def api(editor) -> Client:
    _token, secret = do_create_token(editor, "no-500")
    return Client(headers={"Authorization": f"Bearer {secret}"}, raise_request_exception=False)


@pytest.fixture
def reader() -> Client:
    return Client(raise_request_exception=False)


# ── the API ──────────────────────────────────────────────────────────────────────────────────


def test_api_story_fields_save_as_written_or_answer_4xx_naming_the_field(
    editor, api, reader, hostile
):
    """Create, edit and correct a story and upload an image through the API with hostile text in
    every text field and integer edges in `lead_image_id` and `version`: each request answers
    201/200 with the text as sent (stripped where the API strips), or a 4xx naming a field sent;
    a field holding a character XML cannot carry is always refused. Published, every accepted
    story reads back as written from RSS, Atom, JSON Feed and the news sitemap, and all feeds and
    sitemaps stay well-formed."""
    text = hostile_text(hostile)
    numbers = st.one_of(st.none(), st.sampled_from(BOUNDARY_INTEGERS))
    do_upload_image(editor, image_bytes("PNG", (40, 30)), alt_text="A harbour")
    outcomes = Counter()

    @NO_500
    @given(
        first=form(text, **API_PLAIN),
        second=form(text, **API_PLAIN),
        lead_image_id=numbers,
        version=numbers,
        correction=st.one_of(st.just("An earlier version said Tuesday."), text),
        image_text=form(text, alt_text="A harbour", caption="", credit="Ledger"),
    )
    @example(  # both roads, whatever is drawn: everything plain, then a control character
        first=API_PLAIN, second=API_PLAIN, lead_image_id=None, version=None,
        correction="Fixed.", image_text={"alt_text": "A harbour", "caption": "", "credit": ""},
    )  # fmt: skip
    @example(
        first={**API_PLAIN, "headline": "Har\x01bour"}, second={**API_PLAIN, "body": "\x1f"},
        lead_image_id=2**63, version=None, correction="\x0b",
        image_text={"alt_text": "\x02", "caption": "", "credit": ""},
    )  # fmt: skip
    def check(first, second, lead_image_id, version, correction, image_text):
        created = api.post("/api/v1/stories", json_body(first), content_type="application/json")
        outcomes["create saved" if created.status_code == 201 else "create refused"] += 1
        if created.status_code != 201:
            assert_named_if_illegal(api_error(created, set(first)), first)
            created = api.post(
                "/api/v1/stories",
                {"headline": "Plain words", "body": "Plain body."},
                content_type="application/json",
            )
        else:
            assert not any(map(illegal, first.values())), first
            story = created.json()
            assert story["headline"] == first["headline"].strip()
            assert story["summary"] == first["summary"].strip()
            assert story["body"] == first["body"]
        assert created.status_code == 201
        story_id = created.json()["id"]
        assert api.post(f"/api/v1/stories/{story_id}/publish").status_code == 200

        numbers = {"lead_image_id": lead_image_id, "version": version}
        numbers = {k: v for k, v in numbers.items() if v is not None}
        edited = api.patch(
            f"/api/v1/stories/{story_id}",
            json_body(second, **numbers),
            content_type="application/json",
        )
        if edited.status_code == 200:
            assert not any(map(illegal, second.values())), second
            assert edited.json()["headline"] == second["headline"].strip()
            assert edited.json()["body"] == second["body"]
        else:
            error = api_error(edited, set(second) | set(numbers))
            if edited.status_code != 409:
                assert_named_if_illegal(error, second)
            no_such_image = not Image.objects.filter(pk=parse_id(lead_image_id) or 0).exists()
            # Text is checked before the image is looked up with the user's rights: a refused
            # text field is reported first, the missing image once the text can be kept.
            text_ok = not any(map(illegal, second.values()))
            if lead_image_id is not None and no_such_image and error["code"] == "invalid_input":
                assert "lead_image_id" in error["fields"] or not text_ok, error

        noted = api.post(
            f"/api/v1/stories/{story_id}/corrections",
            json_body({"text": correction}),
            content_type="application/json",
        )
        if noted.status_code == 201:
            assert noted.json()["text"] == correction.strip()
        else:
            assert_named_if_illegal(api_error(noted, {"text"}), {"text": correction})

        upload = {k: sendable(v) for k, v in image_text.items()}
        upload["file"] = SimpleUploadedFile("p.png", image_bytes("PNG", (24, 16)), "image/png")
        uploaded = api.post("/api/v1/images", upload)
        if uploaded.status_code == 201:
            assert uploaded.json()["alt_text"] == upload["alt_text"].strip()
        else:
            api_error(uploaded, {"alt_text", "caption", "credit", "file"})

        outputs = Outputs(reader)
        outputs.assert_story_as_written(Story.objects.get(pk=story_id))
        outcomes["edit saved" if edited.status_code == 200 else "edit refused"] += 1

    check()
    assert_all_outputs_well_formed(reader)
    # Both roads were taken, many times: hostile text that is kept, and text that is refused.
    for outcome in ("create saved", "create refused", "edit saved", "edit refused"):
        assert outcomes[outcome] >= 1, outcomes


def test_api_addresses_and_queries_take_any_number(editor, api, reader):
    """Every id in an API path and every number in a query or a cursor, at each integer edge:
    a 2xx or a 4xx JSON error, never a 5xx."""
    story = actions.do_quick_post(editor, "Host story", "Words.")
    for value in BOUNDARY_INTEGERS:
        n = str(value).strip() or "0"
        cursors = [
            base64.urlsafe_b64encode(f"{n}.1".encode()).decode(),
            base64.urlsafe_b64encode(f"1700000000000000.{n}".encode()).decode(),
        ]
        requests = [
            ("get", f"/api/v1/stories/{n}", None),
            ("patch", f"/api/v1/stories/{n}", {"headline": "x"}),
            ("post", f"/api/v1/stories/{n}/publish", None),
            ("post", f"/api/v1/stories/{n}/unpublish", None),
            ("post", f"/api/v1/stories/{n}/corrections", {"text": "x"}),
            ("get", f"/api/v1/search?q=harbour&page={n}", None),
            *(("get", f"/api/v1/feed?before={c}", None) for c in cursors),
        ]
        for method, path, payload in requests:
            if payload is None:
                response = getattr(api, method)(path)
            else:
                response = getattr(api, method)(
                    path, json.dumps(payload), content_type="application/json"
                )
            assert response.status_code < 500, (path, response.content[:300])
            if response.status_code >= 400:
                assert response.json()["error"]["message"], path
        for path in (
            f"/?before={cursors[0]}",
            f"/?before={cursors[1]}",
            f"/more/?before={cursors[1]}",
            f"/live/poll?after={n}",
            f"/search?q=harbour&page={n}",
        ):
            assert reader.get(path).status_code < 500, path
    assert api.get(f"/api/v1/stories/{story.pk}").status_code == 200


def test_lead_image_id_past_64_bits_is_a_4xx_naming_the_field(editor, api):
    """Issue 12: `lead_image_id` 2^63 answered 500 (the database overflowed). Now the API answers
    422 naming `lead_image_id`, and the action says "No image with id …" for that field."""
    story = actions.do_create_story(editor, {"headline": "Needs a picture"})
    for value in (2**63, 2**64, 10**30, 0, -1):
        response = api.patch(
            f"/api/v1/stories/{story.pk}",
            json_body({}, lead_image_id=value),
            content_type="application/json",
        )
        assert response.status_code == 422, (value, response.content[:300])
        assert "lead_image_id" in response.json()["error"]["fields"]
        with pytest.raises(InvalidInput) as refused:
            actions.do_update_story(
                editor, story.pk, {"lead_image_id": value}, expected_version=None
            )
        assert "No image with id" in refused.value.fields["lead_image_id"][0]
    # A number too long for any JSON reader (5,000 digits) is a 400 saying the body is unreadable.
    response = api.patch(
        f"/api/v1/stories/{story.pk}",
        json_body({}, lead_image_id="9" * 5000),
        content_type="application/json",
    )
    assert response.status_code == 400 and response.json()["error"]["message"]
    assert api.get(f"/api/v1/stories/{story.pk}").status_code == 200


# ── the desk ─────────────────────────────────────────────────────────────────────────────────


def invalid_fields(response) -> set[str]:
    """Names of the form fields the page marks invalid (`aria-invalid="true"`)."""
    tree = lxml.html.fromstring(response.content.decode())
    return {e.get("name") for e in tree.iter() if e.get("aria-invalid") == "true"}


# What each desk form checks before the action sees the text: (max_length, required) per field.
# A form that fails these shape checks never reaches the action's character check.
SHAPES = {
    "story": {"headline": (300, True), "slug": (200, False), "language": (16, True)},
    "quick": {"headline": (300, True), "text": (None, True)},
    "topic": {"name": (80, True), "slug": (100, False)},
    "author": {"name": (120, True), "slug": (140, False), "role": (120, False)},
    "correction": {"text": (None, True)},
}


def shape_ok(form: str, fields: dict[str, str]) -> bool:
    for name, (limit, required) in SHAPES[form].items():
        value = fields.get(name, "").strip()
        if (required and not value) or (limit and len(value) > limit):
            return False
    return True


def desk_refusal(response, form: str, fields: dict[str, str]) -> None:
    """A form refused: 4xx, some field marked invalid, and — when the form's own shape checks
    passed — each field holding an XML-illegal character marked, with the character named."""
    assert 400 <= response.status_code < 500, (response.status_code, response.content[:300])
    marked = invalid_fields(response)
    assert marked, response.content[:300]
    if shape_ok(form, fields):
        for name, value in fields.items():
            if illegal(value):
                assert name in marked, (name, value, marked)


def test_a_refused_image_field_does_not_hide_a_refused_story_field(editor):
    """Found by the property test below: with an image credit the image form refuses itself (too
    long) and a control character in the summary (which the action refuses), both are marked."""
    desk = Client()
    desk.force_login(editor)
    story = {**DESK_PLAIN["story"], "summary": "a\x11b"}
    image = {**DESK_PLAIN["image"], "image-credit": "c" * 5000}
    response = desk.post(
        "/desk/stories/new/", {**story, **image, "kind": "update", "action": "save"}
    )
    assert response.status_code == 400
    assert {"summary", "image-credit"} <= invalid_fields(response)


def test_desk_forms_save_as_written_or_mark_the_field(editor, reader, hostile):
    """The story form, quick post, topic and author forms, corrections, autosave and preview
    with hostile text in every text field: a redirect with the text saved as typed (trimmed, as
    forms trim), or a 4xx page marking the field — never a 5xx. Every id and number the forms
    send (authors, topics, linked account, version, story) takes integer edges: never a 5xx.
    Feeds and sitemaps stay well-formed after every round."""
    desk = Client(raise_request_exception=False)
    desk.force_login(editor)
    text = hostile_text([sendable(s) for s in hostile]).map(sendable)
    number = st.sampled_from([str(v) for v in BOUNDARY_INTEGERS])
    host = actions.do_quick_post(editor, "Corrections go here", "Words.")
    draft = actions.do_create_story(editor, {"headline": "A draft"})
    outcomes = Counter()

    @settings(NO_500, max_examples=DESK_EXAMPLES)
    @given(
        **{name: form(text, **plain) for name, plain in DESK_PLAIN.items()},
        correction=st.one_of(st.just("An earlier version said Tuesday."), text),
        n=number,
    )
    @example(  # both roads, whatever is drawn: everything plain, then a control character
        story=DESK_PLAIN["story"], image=DESK_PLAIN["image"], quick=DESK_PLAIN["quick"],
        topic=DESK_PLAIN["topic"], author=DESK_PLAIN["author"], correction="Fixed.", n="1",
    )  # fmt: skip
    @example(
        story={**DESK_PLAIN["story"], "summary": "a\x01b"}, image=DESK_PLAIN["image"],
        quick={"headline": "x\x02y", "text": "z"}, topic={"name": "E\x0bE"},
        author={**DESK_PLAIN["author"], "bio": "\ufffe"}, correction="a\x1fb", n=str(2**63),
    )  # fmt: skip
    def check(story, image, quick, topic, author, correction, n):
        response = desk.post(
            "/desk/stories/new/", {**story, **image, "kind": "update", "action": "publish"}
        )
        if response.status_code == 302:
            saved = Story.objects.latest("pk")
            assert saved.headline == story["headline"].strip()
            assert saved.summary == story["summary"].strip()
            assert saved.body == story["body"].strip()
            Outputs(reader).assert_story_as_written(saved)
            outcomes["story saved"] += 1
        else:
            desk_refusal(response, "story", story)
            outcomes["story refused"] += 1
        autosaved = desk.post(f"/desk/stories/{draft.pk}/autosave/", story)
        assert autosaved.status_code in (200, 400), autosaved.content[:300]
        assert desk.post("/desk/preview/", story).status_code < 500

        response = desk.post("/desk/quick-post/", quick)
        if response.status_code == 302:
            assert Story.objects.latest("pk").headline == quick["headline"].strip()
        else:
            desk_refusal(response, "quick", quick)

        response = desk.post("/desk/topics/new/", topic)
        if response.status_code == 302:
            assert Topic.objects.latest("pk").name == topic["name"].strip()
            outcomes["topic saved"] += 1
        else:
            desk_refusal(response, "topic", topic)
            outcomes["topic refused"] += 1

        response = desk.post("/desk/authors/new/", author)
        if response.status_code == 302:
            assert Author.objects.latest("pk").bio == author["bio"].strip()
        else:
            desk_refusal(response, "author", author)

        before = Correction.objects.count()
        response = desk.post(
            f"/desk/stories/{host.pk}/do/", {"action": "correct", "text": correction}
        )
        if response.status_code == 302:
            assert Correction.objects.count() == before + 1
            assert Correction.objects.latest("pk").text == correction.strip()
        else:
            desk_refusal(response, "correction", {"text": correction})

        plain = {"headline": "Numbers", "language": "en", "kind": "update", "action": "save"}
        for path, data in (
            ("/desk/stories/new/", {**plain, "author_ids": [n], "topic_ids": [n]}),
            (f"/desk/stories/{draft.pk}/", {**plain, "version": n}),
            ("/desk/preview/", {**plain, "story": n}),
            ("/desk/authors/new/", {"name": "Numbers", "user": n}),
        ):
            assert desk.post(path, data).status_code < 500, (path, n)
        for query in ({"author": n}, {"topic": n}, {"q": story["headline"], "status": n}):
            assert desk.get("/desk/", query).status_code < 500, query
        Outputs(reader)

    check()
    assert_all_outputs_well_formed(reader)
    for outcome in ("story saved", "story refused", "topic saved", "topic refused"):
        assert outcomes[outcome] >= 1, outcomes


def test_desk_addresses_take_any_number(editor):
    """Every id in a desk address, at each integer edge: a page or a 404, never a 5xx."""
    desk = Client(raise_request_exception=False)
    desk.force_login(editor)
    story = actions.do_quick_post(editor, "Host story", "Words.")
    for value in BOUNDARY_INTEGERS:
        n = str(value).strip() or "0"
        for path in (
            f"/desk/stories/{n}/",
            f"/desk/stories/{n}/revisions/1/",
            f"/desk/stories/{story.pk}/revisions/{n}/",
            f"/desk/authors/{n}/",
            f"/desk/topics/{n}/",
            f"/desk/stories/{story.pk}/revisions/diff/?a={n}&b=1",
        ):
            assert desk.get(path).status_code in (200, 400, 404), path
        for path, data in (
            (f"/desk/stories/{n}/do/", {"action": "pin"}),
            (f"/desk/stories/{story.pk}/do/", {"action": "unpublish", "version": n}),
            (f"/desk/stories/{story.pk}/revisions/{n}/restore/", {"version": n}),
            (f"/desk/stories/{n}/autosave/", {"headline": "x"}),
            (f"/desk/stories/{n}/presence/", {"typing": "1"}),
            (
                f"/desk/stories/{story.pk}/",
                {
                    "action": "resolve",
                    "version": n,
                    "base_version": n,
                    "conflict_fields": ["author_ids", "body", "nonsense"],
                    "choose_author_ids": "mine",
                    "mine_author_ids": [n, "x"],
                    "choose_body": "merged",
                    "merged_body": n,
                },
            ),
        ):
            assert desk.post(path, data).status_code < 500, path


def test_the_login_form_takes_any_text(editor, hostile, settings):
    """The one desk form before login: control characters, NUL, 5,000 characters and a sample
    of the naughty strings as user name and password give the login page again (200, 400 or a
    lockout), never a 5xx."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only
    client = Client(raise_request_exception=False)
    tried = ["\x00", "ed\x01", "x" * 5000, *XML_ILLEGAL_CHARACTERS[::5], *hostile[::60]]
    for text in map(sendable, tried):
        response = client.post("/desk/login/", {"username": text, "password": text})
        assert response.status_code < 500, repr(text[:40])
        assert "_auth_user_id" not in client.session


# ── the reported cases, and rows from before the checks ──────────────────────────────────────


@pytest.mark.parametrize("char", XML_ILLEGAL_CHARACTERS, ids=lambda c: f"U+{ord(c):04X}")
def test_a_control_character_in_any_text_field_is_refused_naming_the_field(editor, char):
    """Issue 12: a control character in a headline, summary, body, topic name or author bio
    made the site's RSS and Atom feeds answer 500 and the news sitemap ill-formed. Each is now
    refused, with a message naming the field and the character; nothing is stored."""
    typed = f"Harbour{char}closed"
    code = f"U+{ord(char):04X}"
    for field in ("headline", "summary", "body"):
        data = {"headline": "Harbour closed", field: typed}
        with pytest.raises(InvalidInput) as refused:
            actions.do_create_story(editor, data)
        assert field in refused.value.fields
        assert "NUL" in refused.value.message or code in refused.value.message
    for call, field in (
        (lambda: actions.do_save_topic(editor, None, {"name": typed}), "name"),
        (
            lambda: actions.do_save_topic(editor, None, {"name": "T", "description": typed}),
            "description",
        ),
        (lambda: actions.do_save_author(editor, None, {"name": "A", "bio": typed}), "bio"),
        (lambda: actions.do_save_author(editor, None, {"name": typed}), "name"),
    ):
        with pytest.raises(InvalidInput) as refused:
            call()
        assert field in refused.value.fields
    assert not Story.objects.exists() and not Topic.objects.exists()


def test_a_control_character_through_the_api_and_the_desk_names_the_field(editor, api):
    """The same through HTTP: the API answers 422 with the field in `fields`; the desk's topic
    and author forms answer 400 with the field marked invalid and the message shown."""
    response = api.post(
        "/api/v1/stories",
        {"headline": "Harbour\x01closed", "summary": "x\x1fy", "body": "ok"},
        content_type="application/json",
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert {"headline", "summary"} <= set(error["fields"])
    assert "U+0001" in error["fields"]["headline"][0]
    desk = Client()
    desk.force_login(editor)
    page = desk.post("/desk/topics/new/", {"name": "Ener\x0bgy"})
    assert page.status_code == 400 and "name" in invalid_fields(page)
    page = desk.post("/desk/authors/new/", {"name": "Mira", "bio": "Night\x1bdesk"})
    assert page.status_code == 400 and "bio" in invalid_fields(page)
    assert "U+001B" in page.content.decode()


@pytest.mark.parametrize(
    "body", ["x &#1; y", "<p>x &#1; y</p>", '<p title="&#x1f;">x</p>', "<div>&#xFFFF; &#0;</div>"]
)
def test_character_references_to_control_characters_render_without_them(editor, reader, body):
    """`&#1;` and friends are ordinary text to store, but must not come back as the character:
    the stored HTML holds U+FFFD instead, and the feeds stay well-formed."""
    story = actions.do_quick_post(editor, "References", body)
    assert story.body == body
    assert not XML_ILLEGAL.search(story.body_html), story.body_html
    assert_all_outputs_well_formed(reader)
    assert Outputs(reader).rss_item(story) is not None


def test_rows_stored_before_the_checks_do_not_break_feeds_or_sitemaps(editor, reader):
    """Old rows may hold control characters (written before validation refused them): every
    feed, sitemap and page still answers 200 and is well-formed, showing U+FFFD in their place."""
    author = actions.do_save_author(editor, None, {"name": "Mira Osei", "bio": "Nights."})
    topic = actions.do_save_topic(editor, None, {"name": "Energy", "description": "Grids."})
    image = do_upload_image(editor, image_bytes("JPEG", (60, 40)), alt_text="Harbour")
    story = actions.do_create_story(
        editor,
        {
            "headline": "Old row",
            "body": "Words.",
            "author_ids": [author.pk],
            "topic_ids": [topic.pk],
            "lead_image_id": image.pk,
        },
    )
    actions.do_publish_story(editor, story.pk)
    actions.do_add_correction(editor, story.pk, "A fix.")
    # Every character XML cannot hold, as old rows may have them (PostgreSQL never stored NUL).
    bad = "".join(c for c in XML_ILLEGAL_CHARACTERS if c != "\x00" or connection.vendor == "sqlite")
    Story.objects.filter(pk=story.pk).update(
        headline=f"Old{bad}row", summary=f"Sum{bad}mary", body=f"Bo{bad}dy",
        body_html=f"<p>Bo{bad}dy</p>", language=f"en{bad[1:4]}",
    )  # fmt: skip
    Topic.objects.filter(pk=topic.pk).update(name=f"Ener{bad}gy", description=f"G{bad}rids")
    Author.objects.filter(pk=author.pk).update(name=f"Mi{bad}ra", bio=f"Ni{bad}ghts")
    Image.objects.filter(pk=image.pk).update(alt_text=f"Har{bad}bour", caption=f"C{bad}")
    Correction.objects.filter(story=story).update(text=f"A{bad}fix")
    assert_all_outputs_well_formed(reader)
    outputs = Outputs(reader)
    assert outputs.rss_item(story).findtext("title") == "Old" + "\ufffd" * len(bad) + "row"
    assert outputs.json_item(story)["title"] == f"Old{bad}row"  # JSON can carry them, escaped
    for path in (story.get_absolute_url(), f"/api/v1/stories/{story.pk}"):
        assert reader.get(path).status_code == 200, path
