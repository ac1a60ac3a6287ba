"""Context every template gets: the site's name, URL, logo, links and the header's sections."""

from django.conf import settings

from newsdesk.public import navigation


def site(request):
    return {
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
        "site_logo": navigation.logo_url(),
        "about_url": settings.ABOUT_URL,
        "contact_url": settings.CONTACT_URL,
        "site_feeds": navigation.site_feeds,
        "nav_topics": navigation.nav_topics,
        "live_now": navigation.live_now,
        "nav_live_count": navigation.NAV_LIVE,
        "reader_topics": navigation.reader_topics,
    }
