"""Feeds and sitemaps stay well-formed XML whatever the rows hold.

Writes refuse the characters XML 1.0 cannot hold (`core.validation`), but rows stored before
that check, or text that reaches us some other way, may still carry one. Django's feed writer
raises on such a character (every subscriber of the feed would get a 500) and a template writes
it as it is (an ill-formed sitemap that search engines drop). So this is the last line: the feed
generators write through `XmlWriter`, and the templated sitemaps pass `xml_response`. Both put
U+FFFD where such a character was, as `core.validation.replace_xml_illegal` does everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import wraps

from django.http import HttpResponse
from django.utils.xmlutils import SimplerXMLGenerator

from newsdesk.core.validation import REPLACEMENT, replace_xml_illegal

# The same characters as `validation.XML_ILLEGAL`, as UTF-8 bytes: C0 controls but TAB, LF, CR
# (single bytes that never occur inside a multi-byte sequence) and U+FFFE, U+FFFF. (A lone
# surrogate cannot be encoded to UTF-8 at all, so it never reaches a response's bytes.)
_XML_ILLEGAL_UTF8 = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]|\xef\xbf[\xbe\xbf]")


class XmlWriter(SimplerXMLGenerator):
    """Django's feed XML writer, replacing what XML cannot hold instead of raising."""

    def characters(self, content) -> None:
        super().characters(replace_xml_illegal(content) if isinstance(content, str) else content)

    def startElement(self, name, attrs) -> None:
        super().startElement(
            name,
            {k: replace_xml_illegal(v) if isinstance(v, str) else v for k, v in attrs.items()},
        )


def xml_response(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A view whose (UTF-8) XML answer never carries a character XML cannot hold."""

    @wraps(view)
    def wrapped(*args, **kwargs) -> HttpResponse:
        response = view(*args, **kwargs)
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        if not response.streaming and _XML_ILLEGAL_UTF8.search(response.content):
            response.content = _XML_ILLEGAL_UTF8.sub(REPLACEMENT.encode(), response.content)
        return response

    return wrapped
