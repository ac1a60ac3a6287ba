"""Photos in a real browser: an editor places a library photo inline and publishes; a newly
chosen file shows in the live preview before saving, alt text is asked for before sending, and
without JavaScript a refused save keeps the words and the chosen file."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.e2e.helpers import screenshot
from tests.e2e.test_editor import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(120)]

LIBRARY_CAPTION = "Cranes stand idle at the east quay."  # seeded by tests/e2e/seed.py


def test_an_editor_inserts_a_library_photo_inline_and_readers_see_the_figure(server, browser):
    """The editor's photo library picker inserts a "[image N | caption | credit]" line at the
    cursor; the live preview draws the figure; once published, the reader's page shows a
    <figure> with srcset, sizes and the caption and credit."""
    editor = browser.new_context().new_page()
    log_in(editor, server.url)
    editor.goto(server.url + "/desk/stories/new/")
    headline = "Cranes wait out the gale in pictures"
    editor.get_by_label("Headline").fill(headline)
    body = editor.locator("textarea[name='body']")
    body.fill("Crews stayed ashore all night.")

    picker = editor.locator("[data-photo-picker]")
    picker.get_by_label("Search photos").fill("cranes")
    picker.get_by_role("button", name="Search").click()
    item = picker.locator("[data-picker-image]", has_text=LIBRARY_CAPTION)
    expect(item).to_have_count(1)
    image_id = item.get_attribute("data-picker-image")
    item.get_by_role("button", name=re.compile("Insert in body")).click()
    expect(body).to_have_value(
        re.compile(rf"Crews stayed ashore all night\.\n\n\[image {image_id} \| Cranes stand idle")
    )

    preview = editor.locator("#preview-body")
    expect(preview.locator("figure.inline-figure img")).to_have_attribute(
        "alt", "Container cranes against a dark sky"
    )
    screenshot(editor, "inline-photo-editor")
    editor.get_by_role("button", name="Publish now").click()
    expect(editor.get_by_text("Published.")).to_be_visible()
    # The library lists the photo with the story now using it in its body.
    editor.get_by_role("link", name="Photos", exact=True).click()
    card = editor.locator(f"[data-photo-list] [data-image-id='{image_id}']")
    expect(card.get_by_role("link", name=headline)).to_be_visible()
    expect(card).to_contain_text("in the body")
    screenshot(editor, "photo-library")

    reader = browser.new_context().new_page()
    reader.goto(server.url + "/")
    reader.get_by_role("link", name=headline).first.click()
    figure = reader.locator("article figure.inline-figure")
    expect(figure).to_have_count(1)
    img = figure.locator("img")
    expect(img).to_have_attribute("srcset", re.compile(r"/media/images/.+ 400w"))
    expect(img).to_have_attribute("sizes", re.compile("100vw"))
    expect(figure.locator("figcaption")).to_contain_text(LIBRARY_CAPTION)
    expect(figure.locator("figcaption")).to_contain_text("Tomas Lind / Harbour Agency")
    # The browser really loaded a rendition (the file is public now the story is).
    assert img.evaluate("el => el.complete && el.naturalWidth > 0")
    screenshot(reader, "inline-photo-reader")


def _jpeg(path) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 400), (200, 80, 30)).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())


def test_a_newly_chosen_file_shows_in_the_preview_and_alt_text_is_asked_first(
    server, browser, tmp_path
):
    """Choosing a file draws it in the live preview at once (nothing is uploaded yet), and the
    alt text becomes required, so pressing Save without it is stopped by the browser."""
    editor = browser.new_context().new_page()
    log_in(editor, server.url)
    editor.goto(server.url + "/desk/stories/new/")
    editor.get_by_label("Headline").fill("Orange skies over the port")
    photo = tmp_path / "sky.jpg"
    _jpeg(photo)
    editor.get_by_label("Image file").set_input_files(str(photo))
    chosen = editor.locator("#preview-body [data-chosen-preview] img")
    expect(chosen).to_have_attribute("src", re.compile(r"^data:image/jpeg;base64,"))
    assert chosen.evaluate("el => el.complete && el.naturalWidth === 640")

    alt = editor.get_by_label("Alt text")
    expect(alt).to_have_attribute("required", "")
    address = editor.url
    editor.get_by_role("button", name="Save draft").click()
    assert alt.evaluate("el => el.validity.valueMissing")
    assert editor.url == address  # the browser kept the form: nothing was sent

    alt.fill("An orange sky above the cranes")
    expect(chosen).to_have_attribute("alt", "An orange sky above the cranes")
    editor.get_by_role("button", name="Save draft").click()
    expect(editor.get_by_text("Saved.")).to_be_visible()
    expect(editor.locator(".current-image img")).to_have_attribute(
        "alt", "An orange sky above the cranes"
    )


def test_without_javascript_a_refused_save_keeps_the_words_and_the_chosen_file(
    server, nojs_page, tmp_path
):
    """No script: the browser sends the photo without alt text, the server refuses and says so,
    the form comes back with the words and says the file is kept; adding alt text and saving
    stores the story with that photo, without choosing the file again."""
    page = nojs_page
    log_in(page, server.url)
    page.goto(server.url + "/desk/stories/new/")
    page.get_by_label("Headline").fill("Fog closes the ferry lanes")
    page.locator("textarea[name='body']").fill("Crossings wait until the fog lifts.")
    photo = tmp_path / "fog.jpg"
    _jpeg(photo)
    page.get_by_label("Image file").set_input_files(str(photo))
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Alt text is required.").first).to_be_visible()
    expect(page.locator("textarea[name='body']")).to_have_value(
        "Crossings wait until the fog lifts."
    )
    expect(page.locator("[data-kept-file]")).to_contain_text("“fog.jpg”, is kept")
    page.get_by_label("Alt text").fill("Fog over the ferry lanes")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Saved.")).to_be_visible()
    expect(page.locator(".current-image img")).to_have_attribute("alt", "Fog over the ferry lanes")
