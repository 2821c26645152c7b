"""Reading an item file: encoding, line endings, and the ``Key: value`` header.

The header follows Python-Markdown's *meta* extension, which Pelican uses:
``Key: value`` lines at the top, indented continuation lines, and a blank line
before the body. We parse it ourselves (same rules) so that the check and the
build share one parser, and so that every field keeps its line number for the
messages and the pull-request annotations.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from mttq.core.text import nfc

_META_LINE = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)$")
_CONTINUATION = re.compile(r"^[ ]{4,}(?P<value>.*)$")

# Bytes that UTF-8 Vietnamese text never contains but Windows-1258 / TCVN3 /
# VNI text pasted from old Word files does; see :func:`decode_text`.
_LEGACY_HINT = (
    "Hãy lưu tệp dưới dạng UTF-8 (trong Notepad: Lưu thành… → Mã hóa UTF-8) và "
    "gõ lại bằng bảng mã Unicode (Unikey: bảng mã Unicode, kiểu gõ Telex/VNI)."
)


class TextDecodeError(ValueError):
    """The file is not UTF-8 text; the message says how to fix it."""

    hint = _LEGACY_HINT + " Có thể chuyển mã bằng Unikey: Công cụ → Chuyển mã (TCVN3/VNI → Unicode)."


@dataclass
class Field:
    key: str  # lower-case key, as Pelican sees it
    value: str
    line: int  # 1-based line number of the key in the file


@dataclass
class ParsedFile:
    fields: dict[str, Field] = field(default_factory=dict)
    duplicates: list[Field] = field(default_factory=list)
    body: str = ""
    body_line: int = 1  # 1-based line where the body starts


# Characters that Vietnamese written in Unicode does not use, but that text
# typed with the old TCVN3 (ABC) or VNI fonts becomes when pasted as Unicode:
# "Hµ Néi" (TCVN3) or "Haø Noäi" (VNI) for "Hà Nội".
_TCVN3_MARKERS = set("µ¸¶·¹¨»¾¼½Æ©ÇÊÈÉËÌÎÍÏÑ®×ØÜÙÚßãáâäåæçèéêëìíîïñóòôõöøùúûüýþ¡¢§£¤¥¦")
_VNI_PATTERN = re.compile(r"[a-zA-Z](?:ø|ù|ú|û|õ|ï|ò|ä|ã|à|á|â|ë|é|è|ê|ö|ô|ñ)(?=[a-zA-Z\s.,;:!?]|$)")
_VIETNAMESE_LETTERS = re.compile(
    r"[ăâđêôơưáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ]", re.I)


def looks_like_legacy_vietnamese(text: str) -> bool:
    """True when text looks typed with TCVN3/VNI fonts rather than Unicode.

    Genuine Unicode Vietnamese is full of letters such as "ệ", "ư", "đ"; text
    from the old fonts has almost none of them and many of the markers above.
    """
    letters = len(_VIETNAMESE_LETTERS.findall(text))
    markers = sum(1 for c in text if c in _TCVN3_MARKERS) + len(_VNI_PATTERN.findall(text))
    return markers >= 5 and markers > 2 * letters


def decode_text(raw: bytes) -> str:
    """UTF-8 (with or without BOM) to NFC text with ``\\n`` line endings."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise TextDecodeError(
            f"Tệp không phải văn bản UTF-8 (byte lạ ở vị trí {exc.start}); có thể "
            "tệp được soạn bằng bảng mã cũ (TCVN3, VNI, Windows-1258)."
        ) from exc
    text = nfc(text.replace("\r\n", "\n").replace("\r", "\n"))
    if looks_like_legacy_vietnamese(text):
        raise TextDecodeError(
            "Văn bản có vẻ được gõ bằng phông chữ cũ (TCVN3/ABC hoặc VNI), sẽ hiện thành "
            "chữ lỗi trên trang (ví dụ “Hµ Néi” thay vì “Hà Nội”)."
        )
    return text


def parse_header(text: str) -> ParsedFile:
    lines = text.split("\n")
    parsed = ParsedFile()
    current: Field | None = None
    index = 0
    for index, line in enumerate(lines):
        if not line.strip():
            index += 1
            break
        match = _META_LINE.match(line)
        if match:
            current = Field(match["key"].lower(), match["value"].strip(), index + 1)
            if current.key in parsed.fields:
                parsed.duplicates.append(current)
            else:
                parsed.fields[current.key] = current
            continue
        cont = _CONTINUATION.match(line)
        if cont and current is not None:
            current.value = f"{current.value} {cont['value'].strip()}".strip()
            continue
        # Not a header line: the header (if any) has ended and the body starts here.
        break
    else:
        index = len(lines)
    parsed.body = "\n".join(lines[index:])
    parsed.body_line = index + 1
    return parsed
