"""The JSON API (`/api/v1/`, Django Ninja, OpenAPI schema at `/api/v1/openapi.json`) and API tokens.

The API is another edge like the desk: it reads through `stories.queries`/`search.queries` and
writes through `stories.actions`/`media.actions`, so a token can never do what its user could not
do in the desk. Tokens are stored as SHA-256 hashes only; `actions` creates and revokes them.
"""
