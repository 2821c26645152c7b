"""Plain Pelican for comparison: its default theme and settings, no plugins.

Only what is needed to read the same content tree as our build: the item
folders (``tin/``, ``bai/``) are articles and ``pages/`` are pages; the photos
beside each ``index.md`` are not copied (our build publishes re-encoded
renditions, never originals); the slug is the item's folder name, as in our
build. Unknown header fields (``Unit``, ``Type``, ``Event_date``…) are kept by
Pelican as plain strings. ``PATH``, ``OUTPUT_PATH`` and ``CACHE_PATH`` are
given by ``bench/steps.py``.

The reader cache is on (as in our ``pelicanconf.py``): Pelican's default is
off, which would make its warm rebuild a cold one and flatter our ratio.
"""
SITENAME = "MTTQ bench (plain Pelican)"
SITEURL = ""
TIMEZONE = "Asia/Ho_Chi_Minh"
DEFAULT_LANG = "vi"

ARTICLE_PATHS = ["tin", "bai"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = []
PATH_METADATA = r"(?:tin|bai)/\d{4}/\d{2}/(?P<slug>[^/]+)/index\.md"

PLUGINS = []  # no namespace plugins (pelican-sitemap is installed for our build)

CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CONTENT_CACHING_LAYER = "reader"
