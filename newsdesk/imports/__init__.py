"""Moving a newsroom in: WordPress (WXR) and Ghost (JSON) exports read into stories, and the
redirects that keep the old addresses working.

- `wordpress` and `ghost` read an export into plain records (`records`), never touching the
  database; `html_markdown` turns the old HTML into the Markdown a story body is written in.
- `actions.do_import_batch` writes a batch of records in one transaction (permission first),
  remembering each source id (`SourceItem`) so a second run updates instead of duplicating.
- `runner.run_import` drives a whole file: batches, progress, stop and resume, the summary.
- `Redirect` rows answer 301 for old addresses (`middleware`), looked up only on a 404 or an
  old-style `/?p=123` query, so normal pages never pay for them.

Layer 3: it uses `stories` (actions, models) and `media` (image uploads).
"""
