"""The browser fixtures (`server`, `browser`, `page`, `nojs_page`) live in tests/browser.py and
are registered once in tests/conftest.py, so every folder shares one Chromium and one server."""
