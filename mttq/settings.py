"""Defaults of the project's own settings, in one place.

``pelicanconf.py`` (or a test) may override any of them; the plugins read them
through :func:`with_defaults` so a missing key never means a different rule.
"""
from __future__ import annotations

import os

from mttq.core.paths import DATA_DIR, DEFAULT_CACHE_DIR
from mttq.photos.renditions import DEFAULT_WIDTHS

DEFAULTS = {
    # Registries (data files editors maintain).
    "MTTQ_TOPICS_FILE": str(DATA_DIR / "topics.yaml"),
    "MTTQ_UNITS_FILE": str(DATA_DIR / "units.yaml"),
    # Where encoded photo renditions are cached between builds (outside output/).
    "MTTQ_CACHE_DIR": str(DEFAULT_CACHE_DIR),
    # Rendition widths in pixels; the page picks one with srcset/sizes.
    "MTTQ_RENDITION_WIDTHS": DEFAULT_WIDTHS,
    # Width of the rendition used for sharing previews (Open Graph asks ≥ 1200).
    "MTTQ_SHARE_WIDTH": 1200,
    # Worker processes that encode renditions; None = all cores.
    "MTTQ_WORKERS": None,
    # Output folder (under the site root) of item photos: anh/<slug>/…
    "MTTQ_PHOTO_DIR": "anh",
    # Related items listed on an item page.
    "MTTQ_RELATED_COUNT": 4,
    # Items per topic block on the home page.
    "MTTQ_HOME_TOPIC_ITEMS": 4,
    # The quota policy: which kinds of unit owe how many tin and bài a month, from
    # when to when (seed 002, II.1 until 30/06/2025; data/quota.yaml).
    "MTTQ_QUOTA_FILE": str(DATA_DIR / "quota.yaml"),
    # The site's identity by period: name, publisher, logo, contact, feed id
    # authority (data/site.yaml); the pages carry the one of the build's "today".
    "MTTQ_SITE_FILE": str(DATA_DIR / "site.yaml"),
    # "Today" of the build (YYYY-MM-DD): what is published (an item dated later
    # waits), the anniversary banner, the editors' current month; None = the
    # local date and time when the site is built.
    "MTTQ_TODAY": None,
    # The submissions ledger written when pull requests are merged
    # (mttq/registry/ledger.py): the deadline judged in reports = on the PR.
    # None = data/submissions.csv beside the content folder.
    "MTTQ_LEDGER_FILE": None,
    # The anniversary banner shows this many days before the day (and on it).
    "MTTQ_ANNIVERSARY_LEAD_DAYS": 7,
    "MTTQ_ANNIVERSARIES_FILE": str(DATA_DIR / "anniversaries.yaml"),
    # Monthly column plans: one <year>.yaml per year (seed 002, II.2).
    "MTTQ_COLUMNS_DIR": str(DATA_DIR / "columns"),
    # Output folders: editors' reports (noindex, not in the menu) and column plans.
    "MTTQ_EDITORS_PATH": "bien-tap",
    "MTTQ_COLUMNS_PATH": "chuyen-muc",
    # URL patterns of unit pages (Pelican has no such taxonomy of its own).
    "MTTQ_UNIT_URL": "don-vi/{slug}/",
    "MTTQ_UNIT_SAVE_AS": "don-vi/{slug}/index.html",
    "MTTQ_UNITS_URL": "don-vi/",
    "MTTQ_UNITS_SAVE_AS": "don-vi/index.html",
    # The search page; its index goes into <MTTQ_SEARCH_URL><content hash>/ (docs/search.md).
    "MTTQ_SEARCH_URL": "tim-kiem/",
    "MTTQ_SEARCH_SAVE_AS": "tim-kiem/index.html",
    # Feeds for partners (RSS 2.0 + Atom, written by the plugin with feedgen; see
    # docs/feeds.md): newest items per feed (whole site, each topic, each unit).
    "MTTQ_FEED_ITEMS": 50,
    # Folder of the feed files: feeds/all.rss.xml, feeds/chu-de/<key>.atom.xml, …
    "MTTQ_FEED_DIR": "feeds",
    # Cover rendition sent as enclosure/media:content, and the thumbnail (px).
    "MTTQ_FEED_IMAGE_WIDTH": 1200,
    "MTTQ_FEED_THUMBNAIL_WIDTH": 480,
    # Entry ids are tag:<authority>,<date>:tin-bai/<slug>. None = the host of
    # SITEURL; pin the domain here before the site ever moves, and never change
    # either value afterwards (partners would see every item as new).
    "MTTQ_FEED_ID_AUTHORITY": None,
    "MTTQ_FEED_ID_DATE": "2025",
    # The page that lists every feed for partners.
    "MTTQ_RSS_PAGE_URL": "rss/",
    "MTTQ_RSS_PAGE_SAVE_AS": "rss/index.html",
    # Feeds over time (docs/feeds.md): each feed holds every item published or
    # corrected in the MTTQ_FEED_DAYS days before the site's newest change, and
    # at least the MTTQ_FEED_ITEMS newest; older items are in the monthly
    # archives (RFC 5005, feeds/luu-tru/YYYY-MM.*.xml).
    "MTTQ_FEED_DAYS": 7,
    # A withdrawn item stays in the feeds as withdrawn (RFC 6721) this many days
    # after it was taken down, counted to the earlier of the build's "today"
    # (MTTQ_TODAY) and the content's newest commit; its page says it was
    # withdrawn (HTTP 410) for good.
    "MTTQ_FEED_TOMBSTONE_DAYS": 30,
    # The feeds' images (theme files, PNG): RSS <image> and Atom <icon> (square,
    # at most 144 px wide), Atom <logo> (2:1). Drawn by tools/feed_images.py.
    "MTTQ_FEED_ICON": "img/feed-icon.png",
    "MTTQ_FEED_LOGO": "img/feed-logo.png",
    # Every feed in one OPML file (RSS 2.0 addresses), for partners' readers.
    "MTTQ_FEED_OPML": "nguon-tin.opml",
    # When the site is rebuilt (said on the RSS page; .github/workflows/publish.yml).
    "MTTQ_FEED_SCHEDULE": ("mỗi khi Ban Biên tập duyệt và hợp nhất tin, bài vào nhánh chính, "
                           "và mỗi ngày lúc 00:05 (giờ Việt Nam) cho tin, bài hẹn giờ đăng"),
    # Terms of republication shown on the RSS page (one paragraph each).
    "MTTQ_FEED_TERMS": (
        "Cơ quan báo chí, đài phát thanh – truyền hình và trang thông tin điện tử được đăng "
        "lại tin, bài từ nguồn tin này, giữ đúng nội dung, tiêu đề và ảnh.",
        "Khi đăng lại phải ghi rõ nguồn: tên trang và đường dẫn tới tin, bài gốc; tên tác giả "
        "và đơn vị gửi tin; tên người chụp ảnh (media:credit) kèm mỗi ảnh.",
        "Khi tin, bài được sửa (thời điểm sửa thay đổi), bản đăng lại cần được cập nhật theo "
        "bản sửa; khi tin, bài bị gỡ (nguồn tin báo “Đã gỡ”, địa chỉ cũ trả mã 410), bản "
        "đăng lại cần được gỡ hoặc ghi rõ đã gỡ.",
        "Không dùng tin, bài, ảnh vào mục đích quảng cáo, thương mại.",
    ),
    # The web form for contributors (Decap CMS, docs/soan-tin.md): its address,
    # and the Decap `backend` block it saves to. The default is the local git
    # mode of `invoke soan-tin` (decap-server on this computer); publishconf.py
    # names the office's forge. No secret ever goes here.
    "MTTQ_CMS_PATH": "soan-tin",
    "MTTQ_CMS_BACKEND": {"name": "proxy", "proxy_url": "http://localhost:8081/api/v1",
                         "branch": "main"},
}


class SettingsError(ValueError):
    """A project setting of the wrong kind (in Vietnamese, naming each setting)."""


# The settings whose default is None, and the kind of value they take otherwise.
OPTIONAL_KINDS = {"MTTQ_WORKERS": int, "MTTQ_TODAY": str, "MTTQ_LEDGER_FILE": str,
                  "MTTQ_FEED_ID_AUTHORITY": str}
_KIND_NAMES = {str: "một chuỗi (tên tệp, thư mục, địa chỉ hay chữ)", int: "một số nguyên",
               tuple: "một danh sách", dict: "một bảng (dict)"}


def _fits(value, kind) -> bool:
    if kind is str:
        return isinstance(value, (str, os.PathLike))
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool) and value >= 0
    if kind is tuple:
        return isinstance(value, (tuple, list))
    return isinstance(value, kind)


def _is_iso_date(text: str) -> bool:
    import datetime as dt

    try:
        dt.date.fromisoformat(text[:10])
    except ValueError:
        return False
    return True


def settings_problems(settings: dict) -> list[str]:
    """What is wrong with the project's settings that ``settings`` sets, one
    line each: every ``MTTQ_*`` setting takes the kind of value its default is
    (the kind ``OPTIONAL_KINDS`` names when the default is None); counts are
    never negative, workers at least 1, widths whole pixels, ``MTTQ_TODAY`` a
    date. A wrong kind would otherwise fail deep in a build, far from its cause."""
    import datetime as dt

    found = []
    for key, default in DEFAULTS.items():
        if key not in settings or (default is None and settings[key] is None):
            continue
        value, kind = settings[key], OPTIONAL_KINDS.get(key) or type(default)
        kind = tuple if kind is list else kind
        if key == "MTTQ_TODAY":
            good = isinstance(value, dt.date) or (_fits(value, str) and _is_iso_date(str(value)))
        else:
            good = _fits(value, kind)
        if good and key == "MTTQ_WORKERS":
            good = value >= 1
        if good and key == "MTTQ_RENDITION_WIDTHS":
            good = bool(value) and all(_fits(w, int) and w > 0 for w in value)
        if not good:
            wanted = ("một ngày dạng YYYY-MM-DD" if key == "MTTQ_TODAY" else
                      "một số nguyên từ 1 trở lên" if key == "MTTQ_WORKERS" else
                      "một danh sách độ rộng (số nguyên dương, px)" if key == "MTTQ_RENDITION_WIDTHS"
                      else _KIND_NAMES.get(kind, kind.__name__))
            found.append(f"Thiết lập {key} = {value!r} không dùng được: cần {wanted}"
                         + (" (hoặc None)" if default is None else "")
                         + ". Sửa trong pelicanconf.py hoặc publishconf.py.")
    return found


def with_defaults(settings: dict) -> dict:
    """Fill in every missing project setting (in place) and return ``settings``."""
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
    return settings


def registries_from_settings(settings: dict):
    """The topic and unit registries named by ``settings`` (cached per file)."""
    from pathlib import Path

    from mttq.content.item import Registries
    from mttq.registry.registries import load_topics, load_units

    settings = with_defaults(settings)
    return Registries(
        topics=load_topics(Path(settings["MTTQ_TOPICS_FILE"])),
        units=load_units(Path(settings["MTTQ_UNITS_FILE"])),
    )


def quota_policy_from_settings(settings: dict):
    """The quota policy named by ``settings`` (``MTTQ_QUOTA_FILE``), cached per run."""
    from pathlib import Path

    from mttq.registry.quota_policy import load_quota_policy

    return load_quota_policy(Path(with_defaults(settings)["MTTQ_QUOTA_FILE"]))


def site_identities_from_settings(settings: dict):
    """The site's identities by period (``MTTQ_SITE_FILE``), cached per run."""
    from pathlib import Path

    from mttq.registry.site_identity import load_site_identities

    return load_site_identities(Path(with_defaults(settings)["MTTQ_SITE_FILE"]))


def run_now(settings: dict):
    """The run's "now": the end of ``MTTQ_TODAY`` when set, else the current time."""
    import datetime as dt

    from mttq.core.times import LOCAL_TZ, parse_local_datetime

    today = with_defaults(settings)["MTTQ_TODAY"]
    if today in (None, ""):
        return dt.datetime.now(LOCAL_TZ)
    if isinstance(today, dt.datetime):
        return today
    if not isinstance(today, dt.date):
        today = parse_local_datetime(str(today)).date()
    return dt.datetime.combine(today, dt.time(23, 59, 59), tzinfo=LOCAL_TZ)
