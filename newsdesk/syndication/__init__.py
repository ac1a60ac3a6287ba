"""What machines read: feeds, sitemaps, robots.txt, structured data in pages, WebSub pings.

Every story this package shows comes from `stories.queries.published()` (directly or through
`feed_page`), so a draft, scheduled or unpublished story can never reach a feed, a sitemap or
JSON-LD. `entries` decides what a story looks like to a machine (its permanent id, absolute
links, content); the feed, sitemap and JSON-LD modules are declarations on top of it.
"""
