"""Development settings of the provincial Front news site.

Province-specific values are in ``data/`` (units, quota policy, the site's
identity by period) and, for the address, in ``publishconf.py``: another
province changes the data files, not the code. Project settings (``MTTQ_*``)
have their defaults in ``mttq/settings.py``.
"""
from pathlib import Path

ROOT = Path(__file__).resolve().parent

# --- The site -----------------------------------------------------------------
# Name, short name, tagline, publisher, logo and contact are data: data/site.yaml,
# one identity per period (the news site of the Sóc Trăng provincial Front until
# 30/06/2025, of the Front of the city of Cần Thơ since). The plugin sets SITENAME,
# SITE_SHORTNAME, SITE_TAGLINE, SITE_PUBLISHER, SITELOGO and SITE_CONTACT from the
# identity in force on the build's day; each item keeps the one of its date. The
# authority of the feeds' permanent entry ids (tag:<authority>,2025:tin-bai/<slug>)
# is pinned in the same file, so that renaming or moving the site never changes an id.
# Another province: docs/cau-hinh-tinh.md.
MTTQ_SITE_FILE = str(ROOT / "data" / "site.yaml")


def _feed_id_authority():
    from mttq.registry.site_identity import load_site_identities

    try:
        return load_site_identities(Path(MTTQ_SITE_FILE)).feed_id_authority
    except ValueError:  # a malformed file: the build says so (plugin, identity.py)
        return None


MTTQ_FEED_ID_AUTHORITY = _feed_id_authority()
SITEURL = ""
RELATIVE_URLS = False

PATH = "content"
OUTPUT_PATH = "output"
TIMEZONE = "Asia/Ho_Chi_Minh"
DEFAULT_LANG = "vi"
LOCALE = ("C.UTF-8",)
DEFAULT_DATE_FORMAT = "%d/%m/%Y"

# --- Content ------------------------------------------------------------------
ARTICLE_PATHS = ["tin", "bai"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = []  # photos reach the site only as re-encoded renditions
# IGNORE_FILES: set by the plugin to what the check skips (mttq/content/item.py).
WITH_FUTURE_DATES = False  # an item dated in the future waits until then
DEFAULT_PAGINATION = 12
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/trang/{number}/", "{base_name}/trang/{number}/index.html"),
)
SUMMARY_MAX_LENGTH = 50

# Installed packages (pyproject.toml): loaded by module name.
PLUGINS = ["mttq_site", "pelican.plugins.sitemap"]

# Pelican's content cache, beside our rendition cache, both outside output/.
CACHE_PATH = "cache/pelican"
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CONTENT_CACHING_LAYER = "reader"

# --- URLs: ASCII, stable, readable -------------------------------------------------
ARTICLE_URL = "tin-bai/{slug}/"
ARTICLE_SAVE_AS = "tin-bai/{slug}/index.html"
DRAFT_URL = "ban-nhap/{slug}/"
DRAFT_SAVE_AS = "ban-nhap/{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
CATEGORY_URL = "chu-de/{slug}/"
CATEGORY_SAVE_AS = "chu-de/{slug}/index.html"
CATEGORIES_URL = "chu-de/"
CATEGORIES_SAVE_AS = "chu-de/index.html"
TAG_URL = "tu-khoa/{slug}/"
TAG_SAVE_AS = "tu-khoa/{slug}/index.html"
TAGS_URL = "tu-khoa/"
TAGS_SAVE_AS = "tu-khoa/index.html"
AUTHOR_SAVE_AS = ""  # contributors are named on items; units have the pages
AUTHORS_SAVE_AS = ""
ARCHIVES_URL = "luu-tru/"
ARCHIVES_SAVE_AS = "luu-tru/index.html"
YEAR_ARCHIVE_URL = "luu-tru/{date:%Y}/"
YEAR_ARCHIVE_SAVE_AS = "luu-tru/{date:%Y}/index.html"
MONTH_ARCHIVE_URL = "luu-tru/{date:%Y}/{date:%m}/"
MONTH_ARCHIVE_SAVE_AS = "luu-tru/{date:%Y}/{date:%m}/index.html"
DIRECT_TEMPLATES = ["index", "categories", "tags", "archives", "404", "robots"]
ROBOTS_SAVE_AS = "robots.txt"
PAGINATED_TEMPLATES = {"index": None, "category": None, "tag": None, "unit": None,
                       "period_archives": None}

# --- Theme ----------------------------------------------------------------------
THEME = "theme"
THEME_STATIC_DIR = "theme"
JINJA_FILTERS = {}  # filled by the plugin (dates dd/mm/yyyy, JSON-LD, …)

# --- Feeds: written by the plugin with feedgen (Pelican's own are off) -------------
FEED_ALL_ATOM = None
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
CATEGORY_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

SITEMAP = {
    "format": "xml",
    "exclude": ["tu-khoa/", "ban-nhap/", "bien-tap/", "tim-kiem/", "404.html"],
}
READERS = {"rst": None, "html": None, "htm": None}  # Markdown bundles only

# Escape every value placed in a template (titles, names, tags…); bodies are
# sanitised HTML and are marked safe explicitly in the templates.
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "autoescape": True}
