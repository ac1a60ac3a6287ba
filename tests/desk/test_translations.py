"""Translations at the desk and through the API (issue 19): starting one, keeping each language's
publishing its own, the lists of what needs a translation or an update, and the desk's language."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from newsdesk.api.actions import do_create_token
from newsdesk.core.errors import NotAllowed
from newsdesk.stories import actions
from newsdesk.stories.models import Status, Story
from tests.conftest import make_user
from tests.desk.conftest import story_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def original(editor, author, topic, publish):
    return publish(
        "Storm closes the harbour",
        summary="Ferries stay in port.",
        body="The harbour master closed the port at noon.",
        kind="article",
        author_ids=[author.pk],
        topic_ids=[topic.pk],
    )


def _translate(client, story, language="uk"):
    return client.post(f"/desk/stories/{story.pk}/translate/", {"language": language})


def test_create_translation_starts_a_linked_draft_from_the_originals_fields(
    editor_client, original, author, topic
):
    """ "Create translation" opens a new draft in the chosen language holding the original's
    words, byline and topics, linked to it; the original's editor lists it."""
    page = editor_client.get(f"/desk/stories/{original.pk}/").content.decode()
    assert "Create translation" in page and 'name="translate-language"' in page
    response = _translate(editor_client, original)
    draft = Story.objects.get(translation_of=original)
    assert response.status_code == 302 and response["Location"] == f"/desk/stories/{draft.pk}/"
    assert (draft.language, draft.status, draft.kind) == ("uk", Status.DRAFT, "article")
    assert (draft.headline, draft.summary, draft.body) == (
        original.headline, original.summary, original.body,
    )  # fmt: skip
    assert [a.pk for a in draft.ordered_authors()] == [author.pk]
    assert list(draft.topics.all()) == [topic]
    assert draft.slug == f"{original.slug}-uk"
    page = editor_client.get(f"/desk/stories/{original.pk}/").content.decode()
    assert f'href="/desk/stories/{draft.pk}/"' in page and 'data-translation="uk"' in page
    # The draft's own editor names the original and offers no second Ukrainian version.
    draft_page = editor_client.get(f"/desk/stories/{draft.pk}/").content.decode()
    assert f'href="/desk/stories/{original.pk}/"' in draft_page
    assert "Create translation" not in draft_page


def test_a_second_translation_into_the_same_language_is_refused(editor_client, original, editor):
    """A story has one version per language: asking again names the one it has."""
    actions.do_create_translation(editor, original.pk, "uk")
    response = _translate(editor_client, original)
    assert response.status_code == 302
    page = editor_client.get(response["Location"]).content.decode()
    assert "already has a" in page and Story.objects.filter(translation_of=original).count() == 1
    # The story's own language and a language the site does not have are refused too.
    for language in ("en", "fr"):
        response = _translate(editor_client, original, language)
        assert Story.objects.filter(translation_of=original).count() == 1


def test_publishing_corrections_and_unpublishing_stay_each_languages_own(client, editor, original):
    """Publishing the translation leaves the original as it is, a correction appears under one
    only, and unpublishing the original leaves the translation up."""
    translation = actions.do_create_translation(editor, original.pk, "uk")
    actions.do_update_story(
        editor, translation.pk, {"headline": "Шторм закрив гавань"}, expected_version=None
    )
    published = actions.do_publish_story(editor, translation.pk)
    original.refresh_from_db()
    assert published.status == Status.PUBLISHED and original.version == 2
    actions.do_add_correction(editor, original.pk, "An earlier version gave the wrong hour.")
    assert "wrong hour" not in client.get(published.get_absolute_url()).content.decode()
    actions.do_unpublish_story(editor, original.pk)
    assert client.get(original.get_absolute_url()).status_code == 404
    page = client.get(published.get_absolute_url())
    assert page.status_code == 200 and "Шторм закрив гавань" in page.content.decode()


def test_the_list_shows_translations_that_need_an_update_until_they_are_saved(
    editor_client, editor, original
):
    """When the original is published as an update after the translation was last saved, the
    translation needs an update: the list's filter finds it and the editor shows the badge.
    Saving the translation brings it back in step."""
    translation = actions.do_create_translation(editor, original.pk, "uk")
    translation = actions.do_publish_story(editor, translation.pk)
    listed = editor_client.get("/desk/?translation=needs_update").content.decode()
    assert f'href="/desk/stories/{translation.pk}/"' not in listed
    Story.objects.filter(pk=translation.pk).update(
        translated_at=timezone.now() - dt.timedelta(minutes=5)
    )
    actions.do_update_story(
        editor, original.pk, {"summary": "Ferries stay in port until Friday."},
        expected_version=None, mark_as_update=True,
    )  # fmt: skip
    listed = editor_client.get("/desk/?translation=needs_update").content.decode()
    assert f'href="/desk/stories/{translation.pk}/"' in listed
    assert f'href="/desk/stories/{original.pk}/"' not in listed
    assert re.search(r"data-needs-update-count>1<", listed)  # the menu's count
    assert (
        "data-needs-update"
        in editor_client.get(f"/desk/stories/{translation.pk}/").content.decode()
    )
    translation.refresh_from_db()
    editor_client.post(
        f"/desk/stories/{translation.pk}/",
        story_form(translation, summary="Пороми стоятимуть у порту до п'ятниці."),
    )
    listed = editor_client.get("/desk/?translation=needs_update").content.decode()
    assert f'href="/desk/stories/{translation.pk}/"' not in listed
    assert re.search(r"data-needs-update-count>0<", listed)
    # A silent fix of the original does not ask for an update.
    actions.do_update_story(editor, original.pk, {"body": "Typo fixed."}, expected_version=None)
    listed = editor_client.get("/desk/?translation=needs_update").content.decode()
    assert f'href="/desk/stories/{translation.pk}/"' not in listed


def test_the_list_shows_stories_without_a_translation_into_a_language(
    editor_client, editor, original, publish
):
    """ "no translation into українська" lists originals lacking one, not their translations."""
    other = publish("Bridge reopens")
    translation = actions.do_create_translation(editor, original.pk, "uk")
    listed = editor_client.get("/desk/?translation=missing_uk").content.decode()
    assert f'href="/desk/stories/{other.pk}/"' in listed
    assert f'href="/desk/stories/{original.pk}/"' not in listed
    assert f'href="/desk/stories/{translation.pk}/"' not in listed
    assert editor_client.get("/desk/?translation=missing_xx").status_code == 400


def test_a_live_entry_is_translated_into_the_coverages_translation(editor, editor_client):
    """An entry's translation goes into the translation of its coverage; without one the desk
    says to translate the coverage first."""
    coverage = actions.do_create_story(
        editor, {"headline": "Storm: live", "summary": "So far.", "kind": "live"}
    )
    coverage = actions.do_publish_story(editor, coverage.pk)
    entry = actions.do_post_entry(editor, coverage.pk, {"body": "Winds reach 100 km/h."})
    response = _translate(editor_client, entry)
    assert "Translate the live coverage" in editor_client.get(response["Location"]).content.decode()
    uk_coverage = actions.do_create_translation(editor, coverage.pk, "uk")
    assert uk_coverage.kind == "live" and uk_coverage.summary == "So far."
    _translate(editor_client, entry)
    uk_entry = Story.objects.get(translation_of=entry)
    assert (uk_entry.kind, uk_entry.coverage_id, uk_entry.language) == (
        "entry",
        uk_coverage.pk,
        "uk",
    )


def test_contributors_translate_published_stories_and_their_own_not_others_drafts(
    contributor, editor, original
):
    """A contributor may start a translation of a story readers can see, or of their own, but
    not of someone else's draft."""
    mine = actions.do_create_translation(contributor, original.pk, "uk")
    assert mine.created_by == contributor and mine.status == Status.DRAFT
    draft = actions.do_create_story(editor, {"headline": "Editor's draft"})
    with pytest.raises(NotAllowed):
        actions.do_create_translation(contributor, draft.pk, "uk")
    assert not Story.objects.filter(translation_of=draft).exists()


def test_the_api_starts_translations_and_lists_a_storys_languages(client, editor, original):
    """POST /stories/{id}/translations makes the draft (201); GET lists the story's languages:
    anonymously only published ones, with a desk token drafts too; the desk's lists answer."""
    token = do_create_token(editor, "translator")[1]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    url = f"/api/v1/stories/{original.pk}/translations"
    assert client.post(url, {"language": "uk"}, content_type="application/json").status_code == 401
    response = client.post(url, {"language": "uk"}, content_type="application/json", **auth)
    assert response.status_code == 201 and response.json()["language"] == "uk"
    draft_id = response.json()["id"]
    again = client.post(url, {"language": "uk"}, content_type="application/json", **auth)
    assert again.status_code == 422 and "already has" in again.json()["error"]["message"]
    assert client.get(url).json() == []
    desk = client.get(url, **auth).json()
    assert [(t["id"], t["status"]) for t in desk] == [(draft_id, "draft")]
    actions.do_publish_story(editor, draft_id)
    public = client.get(url).json()
    assert [t["language"] for t in public] == ["uk"] and public[0]["url"].endswith("-uk/")
    back = client.get(f"/api/v1/stories/{draft_id}/translations").json()
    assert [(t["id"], t["is_original"]) for t in back] == [(original.pk, True)]
    missing = client.get("/api/v1/translations/missing/uk", **auth).json()
    assert original.pk not in [t["id"] for t in missing]
    assert client.get("/api/v1/translations/needs-update", **auth).json() == []
    assert client.get("/api/v1/translations/needs-update").status_code == 401


def test_each_person_chooses_the_desks_language(client, editor):
    """The desk speaks the language a person chose in its settings, and only to them."""
    other = make_user("editor", "olena")
    client.force_login(editor)
    assert "Stories" in client.get("/desk/").content.decode()
    response = client.post("/desk/settings/", {"language": "uk"})
    assert response.status_code == 302
    page = client.get("/desk/")
    text = page.content.decode()
    assert '<html lang="uk">' in text and "Матеріали" in text
    assert page["Content-Language"] == "uk"
    assert "тепер редакційний інтерфейс говорить до вас цією мовою" in text
    assert client.post("/desk/settings/", {"language": "xx"}).status_code == 400
    client.force_login(other)
    page = client.get("/desk/").content.decode()
    assert '<html lang="en">' in page and "Матеріали" not in page


@pytest.mark.parametrize("app", ["desk", "stories"])
def test_the_ukrainian_catalogues_are_complete_and_compiled(app):
    """Every desk string (and the reader's "Read in English") has its Ukrainian, none is left
    fuzzy, and the compiled .mo says exactly what the .po says (it was compiled after the last
    change)."""
    import ast
    import gettext
    from pathlib import Path

    import newsdesk

    folder = Path(newsdesk.__file__).parent / app / "locale" / "uk" / "LC_MESSAGES"
    text = (folder / "django.po").read_text(encoding="utf-8")
    assert "#, fuzzy" not in text
    # Each entry's msgctxt, msgid and msgstr, a string continued on the lines that follow it.
    entries, current, field = [], {}, None
    for line in text.splitlines():
        if line.startswith(("msgctxt ", "msgid ", "msgstr ")):
            field, _, value = line.partition(" ")
            if field != "msgstr" and "msgstr" in current:
                entries.append(current)
                current = {}
            current[field] = ast.literal_eval(value)
        elif line.startswith('"') and field:
            current[field] += ast.literal_eval(line)
        else:
            field = None
    entries.append(current)
    pairs = {}
    for entry in entries:
        if entry.get("msgid"):
            context = entry.get("msgctxt")
            key = f"{context}\x04{entry['msgid']}" if context else entry["msgid"]
            pairs[key] = entry.get("msgstr", "")
    assert pairs and all(pairs.values()), [k for k, v in pairs.items() if not v]
    with (folder / "django.mo").open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)._catalog
    assert {k: v for k, v in catalogue.items() if k} == pairs
