"""A news index (the site's home page, lists the 20 newest news pages) and a news page; the
page's title is its headline."""

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


class NewsIndexPage(Page):
    intro = RichTextField(blank=True)

    subpage_types = ["news.NewsPage"]
    content_panels = [*Page.content_panels, FieldPanel("intro")]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["news_pages"] = (
            NewsPage.objects.live().child_of(self).order_by("-date", "-first_published_at")[:20]
        )
        return context


class NewsPage(Page):
    date = models.DateTimeField("published")
    intro = models.CharField(max_length=300)
    body = RichTextField()

    parent_page_types = ["news.NewsIndexPage"]
    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]
