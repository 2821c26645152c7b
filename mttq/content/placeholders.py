"""What ``invoke new`` leaves for the contributor to write, and the check that it was written.

The scaffold (:mod:`mttq.content.new_item`) fills ``index.md`` with guidance
texts in place of the summary, the author, the body and the photo caption. A
page must never go live saying "Viết nội dung bài ở đây": while any of them is
left, :func:`placeholder_problems` (called by ``read_item``, so by the check and
the build alike) refuses the item with ``article.placeholder``. Both sides read
the texts from here, so a reworded template cannot slip past the check.

Also here, because an untouched or barely touched template is the usual cause:
the floor under which a summary or a body is not one at all (errors), and the
lengths the editors advise (advice only: shown by the guide and the public page
"Gửi tin, bài" through a filter, never checked).
"""
from __future__ import annotations

import re
import unicodedata

from mttq.core import problems as P

# --- the texts the scaffold writes (``{type_name}``: "tin" or "bài") -------------------------
SUMMARY = "Tóm tắt 1–2 câu: việc gì, ở đâu, khi nào, kết quả ra sao."
AUTHOR = "Họ và tên người viết"
BODY = "Viết nội dung {type_name} ở đây. Câu đầu nói rõ: ai, làm gì, ở đâu, khi nào."
CAPTION = "Chú thích ảnh: ai, đang làm gì, ở đâu"
# Captions that only repeat an example of our own hints (``![Chú thích](anh-1.jpg)``).
EXAMPLE_CAPTIONS = ("Chú thích", "Chú thích ảnh", "Mô tả ai, làm gì, ở đâu")

# --- lengths, in words ("chữ": Vietnamese syllables, as written between spaces) ------------------
MIN_SUMMARY_WORDS = 4  # fewer is not a summary ("Tóm tắt.")
MIN_BODY_WORDS = 5  # fewer is not a body (a title repeated, one line)
# What the editors advise (words, photos): the guide's table and the page "Gửi tin, bài".
ADVISED_WORDS = {"tin": (150, 400), "bai": (600, 1500)}
ADVISED_PHOTOS = {"tin": (1, 2), "bai": (2, 4)}

_MARKUP = re.compile(r"!?\[([^\]]*)\]\([^)]*\)|<[^>]*>|https?://\S+")
_WORD = re.compile(r"\w", re.UNICODE)


def _normal(text: str) -> str:
    """NFC, case-folded, one space between words, for comparing texts as read."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _sentences(template: str) -> list[re.Pattern]:
    """Each sentence of a template as a pattern (``{type_name}`` = any word), so that a
    contributor who deleted half of the template is still caught by the other half."""
    patterns = []
    for sentence in re.split(r"(?<=\.)\s+", template):
        sentence = _normal(sentence).rstrip(".")
        if sentence:
            escaped = re.escape(sentence).replace(re.escape("{type_name}"), r"\w+")
            patterns.append(re.compile(escaped))
    return patterns


_BODY_PATTERNS = _sentences(BODY)
_CAPTION_PATTERNS = _sentences(CAPTION)
_SUMMARY_PATTERNS = _sentences(SUMMARY)
_EXAMPLES = {_normal(c) for c in EXAMPLE_CAPTIONS}


def word_count(markdown_text: str) -> int:
    """Words a reader reads: photos, links' addresses and HTML tags left out."""
    text = _MARKUP.sub(lambda m: m.group(1) if m.group(0).startswith("[") else " ", markdown_text)
    return sum(1 for token in text.split() if _WORD.search(token))


def advised_length(item_type: str) -> str:
    """``150–400 chữ``: the editors' advice for a type, as pages write it."""
    low, high = ADVISED_WORDS[item_type]
    return f"{low:,}–{high:,} chữ".replace(",", ".")


def advised_photos(item_type: str) -> str:
    """``2–4 ảnh``: how many photos the editors advise for a type."""
    low, high = ADVISED_PHOTOS[item_type]
    return f"{low}–{high} ảnh"


def _found(patterns, text: str) -> bool:
    normal = _normal(text)
    return any(p.search(normal) for p in patterns)


def _placeholder(what: str, replace_with: str, **where) -> P.Problem:
    return P.error(
        "article.placeholder",
        f"{what} vẫn là chữ mẫu của lệnh `invoke new`: trang sẽ đăng nguyên văn chữ mẫu.",
        f"Thay chữ mẫu bằng {replace_with}.", **where)


def placeholder_problems(meta, body: str, photos) -> list[P.Problem]:
    """``article.placeholder`` for every template text left, and the too-short
    summary (``meta.invalid``) and body (``article.too_short``).

    ``meta``: the item's :class:`~mttq.content.item.ItemMeta`; ``body``: its
    Markdown body; ``photos``: its photo references (``alt`` = caption).
    """
    found: list[P.Problem] = []
    summary = meta.summary or ""
    if summary and _found(_SUMMARY_PATTERNS, summary):
        found.append(_placeholder("Tóm tắt (`Summary`)",
                                  "1–2 câu tóm tắt của chính tin, bài", field="summary"))
    elif summary and word_count(summary) < MIN_SUMMARY_WORDS:
        found.append(P.error(
            "meta.invalid",
            f"Tóm tắt (`Summary`) chỉ có {word_count(summary)} chữ: chưa phải là tóm tắt.",
            "Viết 1–2 câu nói việc gì, ở đâu, khi nào, kết quả ra sao (tóm tắt hiện dưới tiêu "
            "đề và khi chia sẻ lên Zalo, Facebook).", field="summary"))
    if meta.author and _normal(meta.author) == _normal(AUTHOR):
        found.append(_placeholder("Tác giả (`Author`)", "họ và tên người viết", field="author"))
    if _found(_BODY_PATTERNS, body):
        found.append(_placeholder("Nội dung", "nội dung của tin, bài (xóa cả câu hướng dẫn)"))
    elif body.strip() and word_count(body) < MIN_BODY_WORDS:
        advice = (f" (Ban Biên tập khuyên {advised_length(meta.type)})"
                  if meta.type in ADVISED_WORDS else "")
        words = word_count(body)
        found.append(P.error(
            "article.too_short",
            f"Nội dung chỉ có {words} chữ: chưa phải là một tin, bài." if words
            else "Nội dung chưa có chữ nào (chỉ có ảnh).",
            f"Viết nội dung đầy đủ{advice}: câu đầu nói ai, làm gì, ở đâu, khi nào."))
    for ref in photos:
        caption = ref.alt or ""
        if caption and (_found(_CAPTION_PATTERNS, caption) or _normal(caption) in _EXAMPLES):
            found.append(_placeholder(
                f"Chú thích của ảnh `{ref.src}`",
                "chú thích thật của ảnh: ai, đang làm gì, ở đâu"))
    return found
