"""Pages (``content/pages/<slug>.md``: introduction, contact, how to send news):
read once, judged like items, by the check and the build alike.

A page is untrusted too (anyone may propose one in a pull request), and
Pelican gives page headers powers items never get: ``Save_as: index.html``
replaced the home page, ``Url: //evil.example/`` put an off-site link in the
main menu of every page, a ``Template:`` that does not exist crashed the
build, a ``Slug`` equal to a folder of the site (``tin-bai``, ``feeds``)
wrote over it. So a page may say only its title, slug, summary and status;
its slug must be free; its body follows the items' rules (no intrasite
markers, photos beside it, bounded Markdown).
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from mttq.content import limits
from mttq.content.header import duplicate_field_problems, parse_header, read_source
from mttq.content.markdown_photos import FigureRenderer, PhotoRef, render_body
from mttq.content.sanitize import intrasite_links
from mttq.core import problems as P
from mttq.core.text import is_slug, slugify

PAGES_FOLDER = "pages"
# Pages' photos go to <MTTQ_PHOTO_DIR>/trang/<slug>/: an item's slug has no "/", so no
# item can share a page's photo folder.
PAGE_PHOTO_FOLDER = "trang"
PAGE_FIELDS = ("title", "slug", "summary", "status", "template")
# The theme's page templates a page may choose (``Template: contact`` shows the
# site's contact from data, ``submit`` the rules of sending from the code).
PAGE_TEMPLATES = ("page", "contact", "submit")
PAGE_STATUSES = ("published", "hidden", "draft")
# Header keys Pelican acts on that a page may not use (see the module docstring).
FORBIDDEN_FIELDS = ("save_as", "url", "lang", "translation", "category", "tags",
                    "author", "authors", "date", "modified", "override_url", "path")
MAX_PAGE_BYTES = 200_000


@dataclass
class Page:
    path: Path
    slug: str
    title: str = ""
    summary: str = ""
    status: str = "published"
    template: str = "page"
    html: str = ""
    photos: list[PhotoRef] = field(default_factory=list)
    problems: list[P.Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(p.severity == P.ERROR for p in self.problems)


def find_pages(content_root: Path) -> list[Path]:
    folder = Path(content_root) / PAGES_FOLDER
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in
                  (".md", ".markdown", ".mkd", ".mdown")) if folder.is_dir() else []


def read_page(path: Path, reserved: set[str],
              renderer_for: Callable[[str], FigureRenderer] | None = None) -> Page:
    """Read and judge one page; every problem collected, none raised.

    ``reserved``: first path segments the site's own pages use (``tin-bai``,
    ``chu-de``…): a page may not take one as its slug. ``renderer_for(slug)``:
    the build's figure renderer for the page's photos (the check needs none)."""
    path = Path(path)
    page = Page(path=path, slug="")
    if path.suffix != ".md" or path.is_symlink():
        page.problems.append(P.error(
            "article.bad_location",
            f"Trang `{path.name}` phải là một tệp `.md` thật trong `content/pages/`.",
            "Đổi tên tệp thành `ten-trang.md` (chữ thường, không dấu) và chép tệp thật vào đó."))
        return page
    text, unreadable = read_source(path, MAX_PAGE_BYTES, "Chỉ giữ nội dung của trang.")
    if unreadable is not None:
        page.problems.append(unreadable)
        return page
    parsed = parse_header(text)
    fields = parsed.fields
    page.problems.extend(duplicate_field_problems(parsed))
    for key, f in fields.items():
        if key in FORBIDDEN_FIELDS:
            page.problems.append(P.error(
                "meta.invalid", f"Trang không được dùng trường `{key.capitalize()}`.",
                "Xóa dòng này: địa chỉ và ngày của trang do trang web quyết định; "
                f"trang chỉ ghi {', '.join(k.capitalize() for k in PAGE_FIELDS)}.",
                field=key, line=f.line))
        elif key not in PAGE_FIELDS:
            close = difflib.get_close_matches(key, PAGE_FIELDS, n=1)
            page.problems.append(P.warning(
                "meta.unknown_key", f"Trường `{key}` không được dùng và sẽ bị bỏ qua.",
                f"Có phải ý bạn là `{close[0].capitalize()}`?" if close
                else "Xóa dòng này hoặc sửa tên trường.", field=key, line=f.line))
        else:
            page.problems.extend(limits.field_problems(key, f.value.strip(), f.line, key.capitalize()))
    title = fields["title"].value.strip() if "title" in fields else ""
    if not title:
        page.problems.append(P.error("meta.missing", "Trang thiếu tiêu đề.",
                                     "Thêm dòng `Title: …` ở đầu tệp.", field="title"))
    page.title = title
    slug_field = fields.get("slug")
    page.slug = slug_field.value.strip() if slug_field else (slugify(title) or path.stem)
    if not is_slug(page.slug):
        page.problems.append(P.error(
            "article.bad_slug", f"Địa chỉ trang `{page.slug}` không hợp lệ.",
            f"Ghi `Slug: {slugify(page.slug) or 'ten-trang'}` (chữ thường, không dấu, nối bằng `-`).",
            field="slug", line=slug_field.line if slug_field else None))
    elif page.slug in reserved:
        page.problems.append(P.error(
            "article.duplicate_slug",
            f"Địa chỉ trang `/{page.slug}/` là một mục của trang web (tin, bài, chủ đề, nguồn tin…).",
            f"Chọn địa chỉ khác, ví dụ `Slug: trang-{page.slug}`.",
            field="slug", line=slug_field.line if slug_field else None))
    status = fields["status"].value.strip().lower() if "status" in fields else "published"
    if status not in PAGE_STATUSES:
        page.problems.append(P.error(
            "meta.invalid", f"Trạng thái `{status}` không hợp lệ.",
            "Ghi `Status: hidden` (không hiện trong trình đơn) hoặc `Status: draft`, hoặc bỏ dòng này.",
            field="status", line=fields["status"].line))
    else:
        page.status = status
    page.summary = fields["summary"].value.strip() if "summary" in fields else ""
    template = fields["template"].value.strip().lower() if "template" in fields else "page"
    if template not in PAGE_TEMPLATES:
        page.problems.append(P.error(
            "meta.invalid", f"Mẫu trình bày `{template}` không có.",
            f"Ghi một trong {', '.join(f'`{t}`' for t in PAGE_TEMPLATES)}, hoặc bỏ dòng `Template`.",
            field="template", line=fields["template"].line))
    else:
        page.template = template
    page.problems.extend(limits.body_problems(parsed.body, parsed.body_line))
    if any(p.code == "article.too_complex" for p in page.problems):
        return page
    renderer = renderer_for(page.slug) if renderer_for and page.ok else None
    page.html, page.photos = render_body(parsed.body, path.parent, renderer)
    for value in intrasite_links(page.html):
        page.problems.append(P.error(
            "article.intrasite_link",
            f"Liên kết `{value[:80]}` dùng cú pháp nội bộ của Pelican, cú pháp này không được phép.",
            "Liên kết tới trang khác bằng địa chỉ của nó, ví dụ `[Liên hệ](/lien-he/)`; chèn ảnh "
            "bằng `![Chú thích](anh-1.jpg)`."))
    for ref in page.photos:
        if ref.problem:
            page.problems.append(P.error(
                ref.problem, f"Ảnh `{ref.src}` của trang không dùng được.",
                "Chép ảnh vào thư mục `content/pages/` và ghi đúng tên tệp."))
        elif not ref.alt:
            page.problems.append(P.error(
                "article.caption_missing", f"Ảnh `{ref.src}` chưa có chú thích.",
                f"Ghi chú thích trong ngoặc vuông: `![Mô tả ảnh]({ref.src})`."))
    return page


def duplicate_page_slugs(pages: list[Page]) -> dict[Path, P.Problem]:
    by_slug: dict[str, list[Page]] = {}
    for page in pages:
        if page.slug:
            by_slug.setdefault(page.slug, []).append(page)
    clashes = {}
    for slug, same in by_slug.items():
        if len(same) > 1:
            for page in same:
                others = ", ".join(f"`{p.path.name}`" for p in same if p is not page)
                clashes[page.path] = P.error(
                    "article.duplicate_slug",
                    f"Địa chỉ trang `/{slug}/` trùng với {others}: hai trang sẽ ghi đè lên nhau.",
                    "Đổi `Slug` của một trang.", field="slug")
    return clashes


OUTPUT_FOLDER_SETTINGS = ("MTTQ_PHOTO_DIR", "MTTQ_FEED_DIR", "THEME_STATIC_DIR",
                          "MTTQ_EDITORS_PATH", "MTTQ_COLUMNS_PATH")


def reserved_segments(settings: dict) -> set[str]:
    """The first path segment of every address the site's own pages and files use
    (``*_URL``, ``*_SAVE_AS`` and the output folders): a page may not take one."""
    found = set()
    for key, value in settings.items():
        if not (isinstance(value, str) and value and not value.startswith("/")):
            continue
        if key.endswith(("_URL", "_SAVE_AS")) or key in OUTPUT_FOLDER_SETTINGS:
            first = value.strip("/").split("/")[0]
            if first and "{" not in first and is_slug(first.removesuffix(".html")):
                found.add(first.removesuffix(".html"))
    return found
