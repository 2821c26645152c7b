"""Reading an item file: encoding, line endings, and the ``Key: value`` header.

The header follows Python-Markdown's *meta* extension, which Pelican uses:
``Key: value`` lines at the top, indented continuation lines, and a blank line
before the body. We parse it ourselves (same rules) so that the check and the
build share one parser, and so that every field keeps its line number for the
messages and the pull-request annotations.

A second form is accepted: YAML front matter between two ``---`` lines, the
only header the web form (Decap CMS, ``/soan-tin/``) can write. Its keys are
the same fields; a list (``tags``) becomes the comma-separated value of the
first form; and its ``photos`` list (``image`` + ``caption``, the form's photo
field) becomes ``![caption](image)`` lines at the end of the body, so both
forms of one item are the same item for the check and the build.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

from mttq.core.text import nfc
from mttq.core.yamlfile import DataFileError, NoAliasLoader

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
    # (line, message, hint) of a header that could not be read (YAML front matter only)
    errors: list[tuple[int | None, str, str]] = field(default_factory=list)
    front_matter: bool = False  # the header was YAML front matter


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
    if lines and lines[0].rstrip() == FRONT_MATTER_FENCE:
        return parse_front_matter(lines)
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


# --- the second form: YAML front matter ------------------------------------------------

FRONT_MATTER_FENCE = "---"
PHOTOS_KEY = "photos"
_YAML_HINT = ("Phần đầu tệp (giữa hai dòng ---) phải là YAML: mỗi dòng 'khóa: giá trị'; "
              "giá trị có dấu ':' hay '#' đặt trong ngoặc kép.")


def photo_markdown(image: str, caption: str) -> str:
    """``![caption](image)``, written so that Markdown reads the caption back whole.

    Python-Markdown reads balanced brackets in an image's text as they are, but
    leaves a backslash-escaped one as an internal placeholder in the ``alt``;
    so brackets are kept when balanced and become parentheses when not."""
    alt = " ".join(caption.split())
    depth = 0
    for char in alt:
        depth += {"[": 1, "]": -1}.get(char, 0)
        if depth < 0:
            break
    if depth != 0:
        alt = alt.replace("[", "(").replace("]", ")")
    target = f"<{image}>" if re.search(r"[\s()<>]", image) else image
    return f"![{alt}]({target})"


def _scalar_text(node) -> str:
    # The text as written (a date stays "2025-05-13 08:00"); YAML's null is empty.
    if node.tag == "tag:yaml.org,2002:null":
        return ""
    return nfc(str(node.value).strip())


def parse_front_matter(lines: list[str]) -> ParsedFile:
    parsed = ParsedFile(front_matter=True)
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        parsed.errors.append((1, "Phần đầu tệp mở bằng dòng --- nhưng không có dòng --- đóng lại.",
                              "Thêm một dòng --- sau trường cuối cùng, trước nội dung."))
        parsed.body = "\n".join(lines[1:])
        parsed.body_line = 2
        return parsed
    parsed.body = "\n".join(lines[end + 1:])
    parsed.body_line = end + 2
    try:
        root = yaml.compose("\n".join(lines[1:end]), Loader=NoAliasLoader)
    except (yaml.YAMLError, DataFileError) as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        parsed.errors.append((line, "Không đọc được phần đầu tệp (YAML).", _YAML_HINT))
        return parsed
    if root is None:
        return parsed
    if not isinstance(root, yaml.MappingNode):
        parsed.errors.append((2, "Phần đầu tệp (YAML) phải là các dòng 'khóa: giá trị'.", _YAML_HINT))
        return parsed
    photo_lines: list[str] = []
    for key_node, value_node in root.value:
        line = key_node.start_mark.line + 2  # +1: 1-based, +1: the opening ---
        key = str(key_node.value).strip().lower()
        if key == PHOTOS_KEY:
            photo_lines.extend(_photos(value_node, line, parsed))
            continue
        if isinstance(value_node, yaml.ScalarNode):
            value = _scalar_text(value_node)
        elif isinstance(value_node, yaml.SequenceNode) and all(
                isinstance(v, yaml.ScalarNode) for v in value_node.value):
            value = ", ".join(t for t in (_scalar_text(v) for v in value_node.value) if t)
        else:
            parsed.errors.append((line, f"Trường `{key}` phải là một giá trị (chữ, ngày…), "
                                        "không phải một nhóm trường.", _YAML_HINT))
            continue
        current = Field(key, value, line)
        if key in parsed.fields:
            parsed.duplicates.append(current)
        else:
            parsed.fields[key] = current
    if photo_lines:
        body = parsed.body.rstrip("\n")
        parsed.body = (body + "\n\n" if body.strip() else "") + "\n\n".join(photo_lines) + "\n"
    return parsed


def _photos(node, line: int, parsed: ParsedFile) -> list[str]:
    """The form's photo list -> Markdown image lines (an empty caption stays empty,
    so the check asks for it)."""
    if isinstance(node, yaml.ScalarNode) and _scalar_text(node) == "":
        return []
    if not isinstance(node, yaml.SequenceNode):
        parsed.errors.append((line, "Trường `photos` phải là danh sách ảnh (image, caption).",
                              _YAML_HINT))
        return []
    found = []
    for entry in node.value:
        values = {}
        if isinstance(entry, yaml.MappingNode):
            values = {str(k.value).strip().lower(): _scalar_text(v) for k, v in entry.value
                      if isinstance(v, yaml.ScalarNode)}
        image = values.get("image", "")
        if not image:
            parsed.errors.append((entry.start_mark.line + 2,
                                  "Một ảnh trong danh sách `photos` không có tệp ảnh (image).",
                                  "Chọn ảnh cho mục này, hoặc xóa mục ảnh trống."))
            continue
        found.append(photo_markdown(image, values.get("caption", "")))
    return found


def read_source(path, max_bytes: int, too_large_hint: str):
    """The text of a contributed Markdown file, or the one problem that stops
    reading it (too large, not UTF-8 / typed in an old font, unreadable).

    Items and pages both read their file this way: ``(text, None)`` or
    ``(None, problem)``."""
    from mttq.core import problems as P

    try:
        raw = path.read_bytes()
        if len(raw) > max_bytes:
            return None, P.error(
                "article.too_large",
                f"Tệp `{path.name}` nặng {len(raw) // 1000} KB (tối đa {max_bytes // 1000} KB).",
                too_large_hint)
        return decode_text(raw), None
    except TextDecodeError as exc:
        return None, P.error("article.encoding", str(exc), exc.hint)
    except OSError as exc:
        return None, P.error("article.unreadable", f"Không đọc được tệp: {exc.strerror}.",
                             f"Kiểm tra tệp `{path.name}` có tồn tại và đọc được.")


def duplicate_field_problems(parsed: ParsedFile) -> list:
    from mttq.core import problems as P

    return [P.error("meta.duplicate", f"Trường `{dup.key}` được ghi hai lần.",
                    "Giữ lại một dòng, xóa dòng kia.", field=dup.key, line=dup.line)
            for dup in parsed.duplicates]
