"""The site's identity by period: its name, publisher, logo and contact.

On 01/07/2025 the news site of the Sóc Trăng provincial Front became the site
of the Front of the new city of Cần Thơ. Items published before keep the
publisher they had (their JSON-LD, their archive feeds); the pages and the
subscription feeds carry the identity in force on the build's day.
``data/site.yaml`` lists the identities, one per period, with no gap and no
overlap, so every day has exactly one; another province writes its own.

The feeds' entry ids (``tag:<authority>,<date>:tin-bai/<slug>``) use one
``feed_id_authority`` for the whole site, whatever the period: an id must
never change, and partners would see every item again as new.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path


from mttq.core.paths import DATA_DIR
from mttq.core.runs import once_per_run
from mttq.core.text import nfc
from mttq.core.times import to_local
from mttq.registry.entries import checked_entry, load_yaml
from mttq.registry.periods import Period, RegistryError, month_bounds, read_period

IDENTITY_FIELDS = ("key", "from", "until", "name", "short_name", "tagline", "publisher", "logo",
                   "contact", "note")
REQUIRED = ("name", "short_name", "publisher", "logo", "contact")
CONTACT_FIELDS = ("address", "phone", "email")
_AUTHORITY_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789.-")


class SiteIdentityError(RegistryError):
    """``data/site.yaml`` is malformed (Vietnamese message naming the file and entry)."""


@dataclass(frozen=True)
class Identity:
    key: str
    period: Period
    name: str  # the site's name (header, <title>, og:site_name)
    short_name: str  # after " – " in page titles, in feed titles
    tagline: str
    publisher: str  # the organisation that publishes: footer, JSON-LD, feeds
    logo: str  # path under the site root, e.g. theme/img/logo.svg
    contact: dict = field(default_factory=dict)  # address, phone, email
    note: str = ""

    def as_settings(self) -> dict:
        """The Pelican settings the templates and the feeds read."""
        return {"SITENAME": self.name, "SITE_SHORTNAME": self.short_name,
                "SITE_TAGLINE": self.tagline, "SITE_PUBLISHER": self.publisher,
                "AUTHOR": self.publisher, "SITELOGO": self.logo, "SITE_CONTACT": dict(self.contact)}


@dataclass(frozen=True)
class SiteIdentities:
    identities: tuple[Identity, ...]
    feed_id_authority: str | None
    path: Path | None = None

    def on(self, day: dt.date | dt.datetime) -> Identity:
        """The identity in force on ``day`` (a local date; a datetime's local date)."""
        if isinstance(day, dt.datetime):
            day = to_local(day).date()
        for identity in self.identities:
            if identity.period.contains(day):
                return identity
        raise AssertionError("identities cover every day")  # checked when loaded

    def in_month(self, year: int, month: int) -> Identity:
        """The identity on the month's last day (the one its archive is published under)."""
        return self.on(month_bounds(year, month)[1])


def _text(entry: dict, name: str) -> str:
    return nfc(str(entry.get(name) or "")).strip()


def _identity(entry, path: Path, seen: set[str]) -> Identity:
    key, where = checked_entry(entry, path, seen, "danh tính", IDENTITY_FIELDS,
                               "(key, from/until, name, publisher, …)", SiteIdentityError)
    missing = [f for f in REQUIRED if not entry.get(f)]
    if missing:
        raise SiteIdentityError(f"{path}: {where}: thiếu '{missing[0]}'.")
    contact = entry["contact"]
    if not isinstance(contact, dict) or any(not contact.get(f) for f in CONTACT_FIELDS):
        raise SiteIdentityError(f"{path}: {where}: 'contact' ghi đủ address (địa chỉ), phone "
                                "(điện thoại) và email (thư điện tử).")
    unknown = [f for f in contact if f not in CONTACT_FIELDS]
    if unknown:
        raise SiteIdentityError(f"{path}: {where}: 'contact' chỉ có address, phone, email "
                                f"(không có '{unknown[0]}').")
    logo = _text(entry, "logo").lstrip("/")
    if ".." in logo.split("/") or "://" in logo:
        raise SiteIdentityError(f"{path}: {where}: 'logo' là đường dẫn trong trang, ví dụ "
                                "theme/img/logo.svg.")
    return Identity(key, read_period(entry, path, where), _text(entry, "name"),
                    _text(entry, "short_name"), _text(entry, "tagline") or _text(entry, "name"),
                    _text(entry, "publisher"), logo,
                    {f: nfc(str(contact[f])).strip() for f in CONTACT_FIELDS},
                    _text(entry, "note"))


def parse_site_identities(data, path: Path) -> SiteIdentities:
    if not isinstance(data, dict) or not isinstance(data.get("identities"), list) \
            or not data["identities"]:
        raise SiteIdentityError(f"{path}: tệp phải có mục 'identities:' là danh sách các danh "
                                "tính của trang theo giai đoạn (xem phần đầu tệp data/site.yaml).")
    unknown = [k for k in data if k not in ("identities", "feed_id_authority")]
    if unknown:
        raise SiteIdentityError(f"{path}: mục '{unknown[0]}' không dùng được (chỉ có "
                                "feed_id_authority, identities).")
    authority = data.get("feed_id_authority")
    if authority is not None:
        authority = str(authority).strip().lower()
        if not authority or not set(authority) <= _AUTHORITY_CHARS:
            raise SiteIdentityError(f"{path}: 'feed_id_authority' là một tên miền, ví dụ "
                                    "mttq.cantho.example (không có https://, không có '/').")
    seen: set[str] = set()
    identities = tuple(_identity(e, path, seen) for e in data["identities"])
    ordered = sorted(identities, key=lambda i: i.period.start or dt.date.min)
    if ordered[0].period.start is not None:
        raise SiteIdentityError(f"{path}: danh tính đầu tiên ('{ordered[0].key}') không ghi "
                                "'from': trang phải có một danh tính cho mọi ngày trước đó.")
    if ordered[-1].period.end is not None:
        raise SiteIdentityError(f"{path}: danh tính cuối cùng ('{ordered[-1].key}') không ghi "
                                "'until': trang phải có một danh tính cho hôm nay và về sau.")
    for before, after in zip(ordered, ordered[1:]):
        expected = before.period.end + dt.timedelta(days=1) if before.period.end else None
        if after.period.start != expected:
            raise SiteIdentityError(
                f"{path}: danh tính '{before.key}' đến hết "
                f"{before.period.end:%d/%m/%Y} thì '{after.key}' phải bắt đầu ngày "
                f"{expected:%d/%m/%Y} (from: {expected.isoformat()}): không được hở hay chồng ngày."
                if expected else f"{path}: danh tính '{before.key}' thiếu 'until'.")
    return SiteIdentities(tuple(ordered), authority, Path(path))


@once_per_run
def load_site_identities(path: Path = DATA_DIR / "site.yaml") -> SiteIdentities:
    data = load_yaml(path, "tệp danh tính của trang", SiteIdentityError)
    return parse_site_identities(data, Path(path))
