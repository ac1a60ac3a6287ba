"""Live coverage in a real browser: an editor posts through the live desk's quick post while a
reader has the live page open; key events, a key event link to an entry further down, and an
entry's own address."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.test_editor import log_in
from tests.e2e.test_reader_places import run

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(180)]
ENTRIES = "[data-live-list] > article"


@pytest.fixture(scope="module")
def coverage(server):
    """A published live coverage with 30 entries: the oldest is a key event, two pages down."""
    out = run(
        server,
        "c = actions.do_create_story(u, {'headline': 'Quay fire: live', 'kind': 'live', "
        "'summary': 'A warehouse is burning on the quay.'}); actions.do_publish_story(u, c.pk); "
        "old = actions.do_post_entry(u, c.pk, {'headline': 'First alarm raised', "
        "'body': 'The first alarm came at 21:04.'}); actions.do_set_key_event(u, old.pk, True); "
        "[actions.do_post_entry(u, c.pk, {'body': f'Crews still at work, note {n}.'}) "
        "for n in range(29)]; print(c.pk, c.slug, old.pk)",
    )
    pk, slug, old = out.splitlines()[-1].split()
    yield {"id": int(pk), "slug": slug, "old": int(old)}
    # The server is shared with the other browser modules, which read "the newest stories":
    # take this coverage and its entries off the site again.
    run(
        server,
        "from newsdesk.stories.models import Story; "
        f"[actions.do_unpublish_story(u, s.pk) for s in Story.objects.filter(coverage_id={pk}, "
        f"status='published')]; actions.do_unpublish_story(u, {pk})",
    )


def test_entries_posted_at_the_desk_arrive_on_an_open_live_page(server, browser, coverage):
    reader = browser.new_context().new_page()
    reader.goto(f"{server.url}/live/{coverage['slug']}/")
    expect(reader.locator("[data-coverage]")).to_have_attribute("data-live-connected", "true")
    reader.evaluate("window.__sameDocument = true")

    editor = browser.new_context().new_page()
    log_in(editor, server.url)
    editor.goto(f"{server.url}/desk/live/{coverage['id']}/")
    text = editor.get_by_label("Text")
    for n in range(3):
        text.fill(f"Quick post number {n} from the quay.")
        text.press("Control+Enter")
        expect(editor.locator("[data-live-rows] > li").first).to_contain_text(
            f"Quick post number {n}"
        )
        expect(text).to_be_focused()
        expect(text).to_have_value("")

    for n in range(3):
        expect(reader.locator(ENTRIES).nth(2 - n)).to_contain_text(f"Quick post number {n}")

    row = editor.locator("[data-live-rows] > li", has_text="Quick post number 2")
    expect(editor.locator("[data-live-rows] > li").first).to_contain_text("Quick post number 2")
    row.get_by_role("button", name="Key event").click()
    expect(row.get_by_role("button", name="Unmark key event")).to_be_visible()
    timeline = reader.locator("[data-key-events-list]")
    expect(timeline.locator("li").first).to_contain_text("Quick post number 2")
    assert reader.evaluate("window.__sameDocument") is True, "the page must not reload"

    # What a colleague posts shows in the editor's own list without a reload.
    run(server, f"actions.do_post_entry(u, {coverage['id']}, {{'body': 'From a colleague.'}})")
    expect(editor.locator("[data-live-rows] > li").first).to_contain_text("From a colleague.")

    # A key event two pages down: its link opens the entry's own address, on that entry.
    timeline.get_by_role("link", name="First alarm raised").click()
    expect(reader).to_have_url(
        f"{server.url}/live/{coverage['slug']}/entries/{coverage['old']}/#entry-{coverage['old']}"
    )
    expect(reader.locator(ENTRIES).first).to_have_id(f"entry-{coverage['old']}")
    expect(reader.locator(f"#entry-{coverage['old']}")).to_be_in_viewport()


def test_the_front_pages_quick_post_posts_into_a_chosen_live_page(server, browser, coverage):
    """The desk's front page: "Post into" a live page shows its latest entries under the box;
    three entries posted with Ctrl+Enter each appear there at once with the box empty and
    focused, reach a reader who has the page open, and the choice is remembered. The reader's
    "Share" link of an entry opens the entry's own address, on that entry."""
    reader = browser.new_context().new_page()
    reader.goto(f"{server.url}/live/{coverage['slug']}/")
    expect(reader.locator("[data-coverage]")).to_have_attribute("data-live-connected", "true")

    editor = browser.new_context().new_page()
    log_in(editor, server.url)
    editor.goto(f"{server.url}/desk/")
    editor.get_by_label("Post into").select_option(label="Quay fire: live")
    rows = editor.locator("[data-quick-entries] [data-live-rows] > li")
    expect(editor.get_by_role("heading", name="Latest entries: Quay fire: live")).to_be_visible()
    expect(rows.first).to_be_visible()
    text = editor.get_by_label("Text")
    for n in range(3):
        text.fill(f"From the front page, entry {n}.")
        text.press("Control+Enter")
        expect(rows.first).to_contain_text(f"From the front page, entry {n}.")
        expect(text).to_be_focused()
        expect(text).to_have_value("")
    for n in range(3):
        expect(reader.locator(ENTRIES).nth(2 - n)).to_contain_text(
            f"From the front page, entry {n}."
        )

    editor.reload()
    expect(editor.get_by_label("Post into")).to_have_value(f"live:{coverage['id']}")
    expect(rows.first).to_contain_text("From the front page, entry 2.")

    newest = reader.locator(ENTRIES).first
    entry_id = newest.get_attribute("data-entry-id")
    newest.get_by_role("link", name="Share this entry").click()
    expect(reader).to_have_url(f"{server.url}/live/{coverage['slug']}/entries/{entry_id}/")
    expect(reader.locator(ENTRIES).first).to_have_id(f"entry-{entry_id}")
    expect(reader).to_have_title(re.compile(r"^From the front page, entry 2\."))


def test_an_entry_address_opens_on_that_entry_without_javascript(server, browser, coverage):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{server.url}/live/{coverage['slug']}/entries/{coverage['old']}/")
    expect(page).to_have_title(re.compile(r"^First alarm raised · Quay fire: live · "))
    expect(page.locator(ENTRIES).first).to_have_id(f"entry-{coverage['old']}")
    page.get_by_role("link", name="Oldest first").click()
    expect(page.locator(ENTRIES).first).to_contain_text("The first alarm came at 21:04.")


def test_the_live_page_and_live_desk_have_no_axe_violations(server, browser, coverage):
    from tests.e2e.test_accessibility import violations

    found = {}
    for scheme in ("light", "dark"):
        reader = browser.new_context(color_scheme=scheme).new_page()
        for path in (
            f"/live/{coverage['slug']}/",
            f"/live/{coverage['slug']}/entries/{coverage['old']}/",
        ):
            reader.goto(server.url + path)
            found[f"{scheme} {path}"] = violations(reader)
    editor = browser.new_context().new_page()
    log_in(editor, server.url)
    for path in ("/desk/", "/desk/live/", f"/desk/live/{coverage['id']}/"):
        editor.goto(server.url + path)
        found[path] = violations(editor)
    assert {path: v for path, v in found.items() if v} == {}
