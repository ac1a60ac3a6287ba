"""The demo newsroom: an invented city's news desk, built through the real write actions.

`newsdesk demo` loads it for people trying the product, and tests load it as a realistic shared
fixture with `build.build_demo_newsroom(stories=40)`. Everything here is invented: the city of
Lindenhav, its region Aldermoor, its people and organisations. No text comes from a real outlet.

Modules: `world` holds the fixed facts (places, people, topics), `content` writes headlines and
bodies from them, `images` draws lead images and avatars with Pillow, `timeline` spreads the
stories over the last days, and `build` turns all of it into stories via `stories.actions`.
This package is not a Django app and owns no models; nothing outside it should import from it
except the `demo` command and tests.
"""
