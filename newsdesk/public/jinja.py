"""The Jinja2 environment of reader pages (Django's Jinja2 backend; `TEMPLATES` in settings).

Why Jinja2 for what readers see: every reader page is answered by a Django view through
Django's middleware, and with the page cache off (or on a miss) drawing the page around its
items was most of what a request cost in Django's template engine. Jinja2 compiles a template
to Python once per process, so the frame costs a fraction of that (docs/benchmarks.md). The
items themselves are drawn once per version (`public.fragments`). The desk keeps Django's
templates, where its forms live.

What Django's template tags and filters did for these pages is here as globals and filters,
with Django's own rules: times are shown in the current time zone, text is escaped unless it
is marked safe (Django's `SafeString` is safe to Jinja2 too).
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.templatetags.static import static as django_static
from django.utils import dateformat, timezone, translation
from django.utils.safestring import mark_safe
from jinja2 import Environment
from markupsafe import Markup

from newsdesk.core import editions
from newsdesk.core.addresses import path_in, path_to
from newsdesk.public import reader_words, times
from newsdesk.stories.cards import render_body
from newsdesk.stories.excerpts import cut_at_word
from newsdesk.syndication import entries, jsonld
from newsdesk.syndication.feeds import FORMAT_LABELS, FORMATS, MIME_TYPES, feed_url


@functools.lru_cache(maxsize=256)
def static(path: str) -> str:
    """Django's `static()`, remembered: the static files' manifest is read once per process."""
    return django_static(path)


def date(value, fmt: str) -> str:
    """Django's `date` filter: an aware time shown in the current time zone."""
    if value is None or value == "":
        return ""
    return dateformat.format(times.local(value), fmt)


def truncatechars(text, chars: int) -> str:
    """Django's `truncatechars`, but never inside a word (descriptions, bios, queries): the
    one rule of `stories.excerpts.cut_at_word`."""
    return cut_at_word(str(text or ""), int(chars))


def photo_credit(credit: str) -> str:
    return translation.gettext("(Photo: %(credit)s)") % {"credit": credit} if credit else ""


def srcset(image, fmt: str = "") -> str:
    """`srcset` of an image's renditions in one format (default: the original's)."""
    return image.srcset(fmt or None) if image else ""


def story_body(story, top: int = 2):
    """The story's body; its headings start at `<h{top}>` (3 in a feed item, under its `<h2>`)."""
    return render_body(story.body_html, exclude_slug=story.slug, top=int(top), embed_cards=True)


# The reader interface's words, in the active language (the edition's, `public.editions`), from
# Django's gettext, so templates, Python and the catalogue in newsdesk/locale are one:
# `_("Search")`, `_("Stories by %(author)s", author=name)`, `ngettext("%(num)s min read",
# "%(num)s min read", n)` (`num` is the count unless given). Translations are our own text
# (Markup); the values put into them are escaped. Plain functions with a per-language memory,
# not Jinja2's i18n extension: its calls go through two context calls and Django's catalogue
# lookup each, which with the ~70 words of a page cost a third of the page frame.


@functools.lru_cache(maxsize=8192)
def _word(language: str | None, context: str | None, message: str) -> Markup:
    if context is None:
        return _ours(translation.gettext(message))
    return _ours(translation.pgettext(context, message))


def _ours(text: str) -> Markup:
    """A translation from our catalogue: trusted text, into which `%` escapes what it puts."""
    return Markup(text)  # noqa: S704 (the catalogue is ours, as the templates are)


def gettext(message: str, **values) -> Markup:
    text = _word(translation.get_language(), None, message)
    return text % values if values else text


def pgettext(context: str, message: str, **values) -> Markup:
    text = _word(translation.get_language(), context, message)
    return text % values if values else text


def ngettext(singular: str, plural: str, number: int, **values) -> Markup:
    values.setdefault("num", number)
    return _ours(translation.ngettext(singular, plural, number)) % values


def language_code() -> str:
    """The language of the page: its edition's (`<html lang>`)."""
    return editions.current().language


def time_zone_name() -> str:
    return timezone.get_current_timezone_name()


def environment(**options) -> Environment:
    options.pop("autoescape", None)  # always on: what editors write is text, escaped
    env = Environment(autoescape=True, **options)

    def partial(template: str, **context):
        return mark_safe(env.get_template(template).render(context))

    def feed_links(title: str, subject: str = "site", slug: str = ""):
        """`<link rel="alternate">` for the three formats of one feed, for feed readers: the
        same on every page of a subject, so drawn once per process and site address."""
        return _feed_links(title, subject, slug, settings.SITE_URL, path_to("public:feed"))

    @functools.lru_cache(maxsize=1024)
    def _feed_links(title: str, subject: str, slug: str, site_url: str, root: str):
        links = [
            {
                "href": feed_url(subject, fmt, slug or None),
                "type": MIME_TYPES[fmt],
                "title": f"{title} ({FORMAT_LABELS[fmt]})",
            }
            for fmt in FORMATS
        ]
        return partial("syndication/_feed_links.html", links=links)

    def social_tags(title, description, page_url, og_type="website", story=None):
        """OpenGraph and Twitter card tags; an article's image and times come from its story."""
        return partial(
            "syndication/_social.html",
            site_name=settings.SITE_NAME,
            title=title,
            description=description,
            url=entries.absolute(page_url),
            og_type=og_type,
            story=story,
            image=entries.lead_image(story) if story is not None else None,
        )

    env.globals.update(
        _=gettext,
        gettext=gettext,
        pgettext=pgettext,
        ngettext=ngettext,
        url=path_to,
        url_in=path_in,
        static=static,
        story_body=story_body,
        language_code=language_code,
        editions=editions.every,
        current_edition=editions.current,
        edition_name=reader_words.edition_name,
        reader_words=reader_words.script,
        live_query=reader_words.live_query,
        time_zone_name=time_zone_name,
        clock_hours=times.clock_hours,
        feed_links=feed_links,
        social_tags=social_tags,
        news_article_jsonld=lambda story: jsonld.script(jsonld.news_article(story)),
        profile_page_jsonld=lambda author: jsonld.script(jsonld.profile_page(author)),
    )
    env.filters.update(
        date=date,
        truncatechars=truncatechars,
        photo_credit=photo_credit,
        srcset=srcset,
        iso_time=times.iso,
        clock=times.clock,
        day_text=times.day,
        day_and_clock=times.day_and_clock,
        update_text=times.update_text,
    )
    return env
