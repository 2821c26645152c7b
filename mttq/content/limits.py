"""What an item's text may hold, so that the check refuses what the build would.

Anything a contributor sends reaches the pages, the feeds (strict XML: lxml
refuses a NUL or U+FFFE and the whole feed fails), the search index and file
names. Each limit here exists because some input broke one of them:

- control characters (C0 but tab and newline, C1), NUL, the noncharacters
  U+FFFE/U+FFFF: XML cannot carry them; a title with one fails every feed;
- bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069) and
  zero-width characters in titles, names and tags: they make a text read
  differently from what it is (a reviewer sees one title, readers another);
- dates outside 2000–2099 (``0001-01-01`` made the reports write
  26,000 month pages and an invalid RSS date);
- tags: their number and length (each tag is a page, a feed and a file name;
  3,000 tags made 3,101 files) and a tag of only symbols (an empty slug:
  ``/tu-khoa//``);
- Markdown whose cost grows faster than its length: Python-Markdown scans
  ahead for a closing bracket from every ``[`` and for the end of a tag from
  every ``<``, so thousands of them take minutes. Real items have a few dozen;
  the counts are capped so that any body renders in bounded time.
"""
from __future__ import annotations

import datetime as dt
import unicodedata

from mttq.core import problems as P
from mttq.core.text import slugify
from mttq.core.times import LOCAL_TZ

# Header fields shown as text somewhere (page, feed, file name) and their limits.
TEXT_LIMITS = {"title": 200, "author": 100, "summary": 600, "tags": 1000,
               "deadline_waiver": 500, "photo_credit": 200, "cover": 100}
MAX_TAGS = 15
MAX_TAG_LENGTH = 60
# Markup characters whose count bounds Markdown's work (see the module docstring).
MAX_BRACKETS = 400  # "[": links and photos; an item has at most 30 photos
MAX_ANGLES = 1500  # "<": raw HTML tags
MAX_ABBREVIATIONS = 30  # "*[abbr]: …" definitions
# A fixed window, not one that moves with "now": the check and a build a year
# later must agree on the same file.
EARLIEST = dt.datetime(2000, 1, 1, tzinfo=LOCAL_TZ)
LATEST = dt.datetime(2099, 12, 31, 23, 59, 59, tzinfo=LOCAL_TZ)

_BIDI = {"\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"}
_ZERO_WIDTH = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"}
_NONCHARACTERS = {"\ufffe", "\uffff"}


def _is_control(char: str) -> bool:
    return (unicodedata.category(char) == "Cc" and char not in "\t\n") or char in _NONCHARACTERS


def _describe(char: str) -> str:
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X}" + (f" {name}" if name else "")


def unsafe_character(text: str, *, in_line: bool) -> tuple[int, str] | None:
    """The first character of ``text`` that may not be in it, with its position.

    ``in_line``: a header value (title, name, tag), where bidi and zero-width
    characters are refused too; a body may need a zero-width joiner."""
    for index, char in enumerate(text):
        if _is_control(char) or (in_line and (char in _BIDI or char in _ZERO_WIDTH)):
            return index, char
        if not in_line and char in _BIDI:
            return index, char
    return None


def field_problems(key: str, value: str, line: int | None, label: str) -> list[P.Problem]:
    """Characters and length of one header value."""
    found = []
    bad = unsafe_character(value, in_line=True)
    if bad is not None:
        index, char = bad
        found.append(P.error(
            "meta.invalid",
            f"{label} có ký tự không được phép ({_describe(char)}) ở vị trí {index + 1}.",
            "Gõ lại dòng này (ký tự ẩn hay ký tự điều khiển thường dính vào khi sao chép từ "
            "trang web hoặc tin nhắn).", field=key, line=line))
    limit = TEXT_LIMITS.get(key)
    if limit and len(value) > limit:
        found.append(P.error("meta.invalid", f"{label} dài {len(value)} ký tự (tối đa {limit}).",
                             f"Rút gọn xuống dưới {limit} ký tự.", field=key, line=line))
    return found


def body_problems(body: str, body_line: int) -> list[P.Problem]:
    """Characters and Markdown complexity of the body."""
    found = []
    bad = unsafe_character(body, in_line=False)
    if bad is not None:
        index, char = bad
        line = body_line + body.count("\n", 0, index)
        found.append(P.error(
            "article.bad_character",
            f"Nội dung có ký tự không được phép ({_describe(char)}) ở dòng {line}.",
            "Xóa ký tự đó (thường dính vào khi sao chép từ Word, trang web hoặc tin nhắn) rồi "
            "lưu tệp ở dạng UTF-8.", line=line))
    counts = (("[", body.count("["), MAX_BRACKETS, "dấu ngoặc vuông `[`"),
              ("<", body.count("<"), MAX_ANGLES, "dấu `<`"),
              ("*[", body.count("*["), MAX_ABBREVIATIONS, "định nghĩa viết tắt `*[…]:`"))
    for _, count, limit, what in counts:
        if count > limit:
            found.append(P.error(
                "article.too_complex",
                f"Nội dung có {count} {what} (tối đa {limit}): quá nhiều để dựng trang kịp thời.",
                "Đây thường là văn bản dán nhầm (mã HTML, bảng tính). Chỉ giữ nội dung tin, bài; "
                "liên kết và ảnh ghi theo dạng `[chữ](địa chỉ)` và `![Chú thích](anh-1.jpg)`."))
    return found


def date_problem(key: str, value: dt.datetime, line: int | None, label: str) -> P.Problem | None:
    """A date before 2000 or after 2099 is a typing error (``0001-01-01``, ``20255``)."""
    if EARLIEST <= value <= LATEST:
        return None
    return P.error(
        "meta.invalid",
        f"{label}: ngày {value:%d/%m/%Y} không hợp lý (phải từ 01/01/2000 đến 31/12/2099).",
        "Kiểm tra lại năm, ví dụ 2025-05-14 08:30.", field=key, line=line)


def tag_problems(tags: list[str], line: int | None) -> list[P.Problem]:
    found = []
    if len(tags) > MAX_TAGS:
        found.append(P.error("meta.invalid", f"Có {len(tags)} từ khóa (tối đa {MAX_TAGS}).",
                             "Giữ lại vài từ khóa tiêu biểu nhất.", field="tags", line=line))
    for tag in tags:
        if len(tag) > MAX_TAG_LENGTH:
            found.append(P.error(
                "meta.invalid", f"Từ khóa dài {len(tag)} ký tự (tối đa {MAX_TAG_LENGTH}).",
                "Từ khóa là vài chữ, ví dụ `Vì người nghèo`; các từ khóa cách nhau bằng dấu phẩy.",
                field="tags", line=line))
        elif not slugify(tag):
            found.append(P.error(
                "meta.invalid", f"Từ khóa `{tag}` không có chữ hay số nào.",
                "Xóa từ khóa này hoặc viết bằng chữ, ví dụ `Nông thôn mới`.",
                field="tags", line=line))
    return found
