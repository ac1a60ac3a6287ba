"""Caching of anonymous reader pages by content version.

- `versions` names what a page's content depends on and when that changed: the id of the newest
  feed event (every publish, update, correction, unpublish and pin records one), a counter for
  author and topic edits, and a `purge` counter of takedowns, corrections and edits. A feed event
  bumps the version for every reader page, because every page shows the newest items (story pages
  have the News Feed sidebar).
- `store` keeps one rendered response per URL with the versions it was rendered at, and a short
  lock so a hot page whose version changed is rendered once while other readers get the previous
  copy (stale-while-revalidate) — unless a purge came between: then they wait for the render.
- `front` is the ASGI layer in front of Django that answers from the store, with the exact
  headers Django sent, and answers conditional requests with 304.
- `purge` tells nginx or a CDN in front of us to drop what a takedown took away
  (`NEWSDESK_PURGE_URL`).

Views opt in by marking a response `public` with a `Surrogate-Key` header (`headers.public`);
nothing else is ever stored, and no request carrying a session cookie is ever answered from here.
"""
