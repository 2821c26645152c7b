"""Vietnamese text helpers: NFC normalisation, ASCII slugs, diacritic folding.

Vietnamese letters arrive composed or decomposed (macOS file names, different
keyboards); everything we store or compare is NFC first. Slugs and search keys
drop diacritics, and ``đ`` becomes ``d`` (Unicode does not decompose it, so a
plain NFKD-and-strip would lose the letter).
"""
from __future__ import annotations

import re
import unicodedata

from unidecode import unidecode

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_SLUG_LENGTH = 80


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def fold_diacritics(text: str) -> str:
    """``"Mặt trận Đoàn"`` -> ``"Mat tran Doan"``: for slugs and search keys."""
    decomposed = unicodedata.normalize("NFD", nfc(text))
    stripped = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    stripped = stripped.replace("đ", "d").replace("Đ", "D")
    return unidecode(stripped)


def slugify(text: str, max_length: int = MAX_SLUG_LENGTH) -> str:
    """An ASCII, lower-case, hyphenated slug that reads like the title."""
    ascii_text = fold_diacritics(text).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0] or slug[:max_length]
    return slug


def is_slug(text: str) -> bool:
    return bool(SLUG_PATTERN.match(text)) and len(text) <= MAX_SLUG_LENGTH
