"""The browser tests here use the shared fixtures of tests/browser.py (see tests/conftest.py)."""
