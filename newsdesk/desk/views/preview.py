"""The live preview: the story as readers would see it, rendered by the same pieces as the
public story page (`render_markdown`, `cards.render_body`, `public/_lead_figure.html`).

Nothing here writes. The editor's script posts the form here as people type; without
JavaScript the editor's Preview button renders the same fragment into the page.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from newsdesk.core.errors import InvalidInput
from newsdesk.core.ids import parse_id
from newsdesk.core.validation import max_length, text_problem
from newsdesk.desk.access import desk_view, parse_int
from newsdesk.stories import desk_queries, permissions
from newsdesk.stories.cards import render_body
from newsdesk.stories.inline_images import check_inline_images, inline_image_ids
from newsdesk.stories.markdown import render_markdown
from newsdesk.stories.models import Image, Story


def preview_html(
    request: HttpRequest, fields: dict, *, image=None, slug: str = "", shown=frozenset()
) -> str:
    """The preview fragment for headline, summary and body as typed (NULs dropped). Images in
    the body must be ones this person may use (`shown`: those the story has already), as a
    save would refuse the others."""
    body = (fields.get("body") or "").replace("\x00", "")
    problem = text_problem("Body", body, max_length(Story, "body"), required=False)
    if problem:
        raise InvalidInput(problem, fields={"body": [problem]})
    check_inline_images(request.user, body, already=shown)
    # Under the preview's own <h3> headline, as on the story page under its <h1>.
    rendered = render_markdown(body, site_url=settings.SITE_URL)
    body_html = render_body(rendered, exclude_slug=slug, top=4)
    context = {
        "headline": (fields.get("headline") or "").replace("\x00", ""),
        "summary": (fields.get("summary") or "").replace("\x00", ""),
        "body_html": body_html,
        # The reader's lead figure, drawn by the reader pages' own template (Jinja2).
        "figure": mark_safe(render_to_string("public/_lead_figure.html", {"image": image}))
        if image
        else "",
        "breaking": bool(fields.get("breaking")),
    }
    return render_to_string("desk/_preview.html", context, request=request)


@desk_view
@require_POST
def preview(request: HttpRequest) -> HttpResponse:
    """POST the editor's fields (and `story`, the id, for its lead image) → an HTML fragment."""
    image, slug, shown = None, "", set()
    if request.POST.get("story"):
        story_id = parse_int(request.POST["story"], "story id")
        story = desk_queries.story_for_desk(request.user, story_id)
        slug = story.slug
        shown = inline_image_ids(story.body)
        if not request.POST.get("image-remove_image"):
            image = story.lead_image
    library_id = parse_id(request.POST.get("image-library_image") or "")
    if library_id is not None:
        picked = Image.objects.filter(pk=library_id).first()
        if picked is not None and permissions.can_use_image(request.user, picked):
            image = picked
    status = 200
    try:
        html = preview_html(request, request.POST, image=image, slug=slug, shown=shown)
    except InvalidInput as error:
        # Said where the preview is shown (a body too long, a photo that cannot be used).
        html, status = format_html('<p class="alert alert--error">{}</p>', error.message), 400
    response = HttpResponse(html, content_type="text/html; charset=utf-8", status=status)
    response["Cache-Control"] = "no-store"
    return response
