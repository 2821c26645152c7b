"""``invoke import-docx``: a Word document (e-mail, Zalo) becomes an item bundle.

Most items still reach the editors as a ``.docx`` with photos pasted in. This
module turns one into ``content/<tin|bai>/<yyyy>/<mm>/<slug>/index.md`` beside
its photos:

- the text as Markdown (headings, paragraphs, bold/italic, lists, simple
  tables, links), converted by mammoth (a well-kept .docx reader) to its small,
  fixed HTML vocabulary and then to Markdown here;
- every embedded photo extracted as it is stored in the document (its
  original resolution and bytes) under a clean name (``anh-1.jpg``…), placed
  where it stood, with the paragraph that follows it as its caption (or an
  empty caption, which the check then asks for);
- the title from the document's first heading; ``Submitted`` from the
  e-mail's time, so the deadline is judged on when it reached the editors.

The file is untrusted: it is refused with a Vietnamese message (never a
traceback) when it is not a .docx, is password-protected, is too large, or is
a zip bomb; no name inside it is ever used for a file we write, and nothing is
written outside the new bundle (which is removed again if the import fails).
"""
from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import xml.etree.ElementTree as etree
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image

from mttq.content.header import photo_markdown
from mttq.content.item import ITEM_TYPES, Registries
from mttq.core.text import nfc, slugify
from mttq.core.times import LOCAL_TZ, parse_local_datetime

MAX_DOCX_BYTES = 50 * 1024 * 1024  # a Word file with 30 phone photos is ~30 MB
MAX_UNPACKED_BYTES = 200 * 1024 * 1024  # everything inside, uncompressed
MAX_ENTRIES = 5000
MAX_RATIO = 150  # uncompressed/compressed size of one entry: more is a zip bomb
MAX_PHOTO_PIXELS = 60_000_000  # 60 MP: more than any phone; a decompression bomb beyond
MAX_PHOTO_BYTES = 25 * 1024 * 1024
MAX_PHOTOS = 30
MAX_CAPTION_CHARS = 300
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .doc, or an encrypted .docx
WORDS_OF_AN_ARTICLE = 500  # a tin is ~150–350 words, a bài ~500–900 (the site's guide)

# Word's own styles that mean a heading or a caption, beyond mammoth's defaults.
STYLE_MAP = """
p[style-name='Title'] => h1:fresh
p[style-name='Tiêu đề'] => h1:fresh
p[style-name='Caption'] => p.caption:fresh
p[style-name='Chú thích'] => p.caption:fresh
"""
_KEEP = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}  # kept byte for byte
_CONVERT = {"GIF", "BMP", "TIFF"}  # re-saved as PNG: the same pixels, a format the site takes
_DRAWINGS = ("image/x-emf", "image/x-wmf", "image/emf", "image/wmf", "image/x-pict")
_XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_AUTO_ALT = re.compile(r"automatically generated|được tạo tự động|tự động tạo", re.I)


class DocxError(ValueError):
    """The file cannot be imported; the message (Vietnamese) says why and what to do."""


@dataclass
class ImportResult:
    folder: Path
    title: str
    item_type: str
    photos: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the editor should look at


# --- the file itself ---------------------------------------------------------------

def _sniff(path: Path) -> None:
    """Refuse what is not a .docx before any parser sees it."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise DocxError(f"Không mở được tệp '{path.name}': {exc.strerror}.") from exc
    if not path.is_file():
        raise DocxError(f"'{path.name}' không phải là một tệp.")
    if size > MAX_DOCX_BYTES:
        raise DocxError(
            f"Tệp '{path.name}' nặng {size / 1024 / 1024:.0f} MB (tối đa "
            f"{MAX_DOCX_BYTES // 1024 // 1024} MB). Hãy gửi văn bản không kèm ảnh và gửi "
            "riêng các ảnh gốc (JPG), hoặc chia thành nhiều tin, bài.")
    if size == 0:
        raise DocxError(f"Tệp '{path.name}' rỗng (0 byte): hãy xin người gửi gửi lại.")
    with path.open("rb") as handle:
        head = handle.read(8)
        if head == OLE_SIGNATURE:
            # An encrypted .docx is an OLE compound file with an "EncryptionInfo"
            # stream, which its directory names in UTF-16 (the directory may sit
            # anywhere in the file: all of it is read, at most MAX_DOCX_BYTES).
            handle.seek(0)
            name = "EncryptionInfo".encode("utf-16-le")
            encrypted, tail = False, b""
            while not encrypted:
                chunk = handle.read(1024 * 1024)
                if not chunk:
                    break
                encrypted = name in tail + chunk
                tail = chunk[-len(name):]
            if encrypted:
                raise DocxError(
                    f"Tệp '{path.name}' được đặt mật khẩu. Hãy xin người gửi bỏ mật khẩu "
                    "(trong Word: Tệp → Thông tin → Bảo vệ tài liệu → Mã hóa bằng mật khẩu, "
                    "xóa mật khẩu) rồi gửi lại.")
            raise DocxError(
                f"Tệp '{path.name}' là tệp Word cũ (.doc), không phải .docx. Mở bằng Word hoặc "
                "LibreOffice, chọn Lưu thành… → Tài liệu Word (.docx), rồi nhập lại.")
    if head[:4] != b"PK\x03\x04":
        raise DocxError(
            f"Tệp '{path.name}' không phải tệp Word (.docx). Nếu là ảnh, PDF hay tệp khác, "
            "hãy xin người gửi bản .docx.")


def _safe_archive(path: Path) -> zipfile.ZipFile:
    """The .docx as a zip that is safe to read: no bomb, no odd names."""
    try:
        archive = zipfile.ZipFile(path)
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise DocxError(f"Tệp '{path.name}' bị hỏng (không đọc được nội dung nén): hãy xin "
                        "người gửi lưu lại bằng Word và gửi lại.") from exc
    if len(infos) > MAX_ENTRIES:
        raise DocxError(f"Tệp '{path.name}' chứa {len(infos)} phần bên trong: không phải tệp "
                        "Word thông thường.")
    total = 0
    for info in infos:
        name = info.filename
        if (name.startswith(("/", "\\")) or "\\" in name or ":" in name
                or any(part == ".." for part in name.split("/"))):
            raise DocxError(f"Tệp '{path.name}' có tên phần bên trong bất thường ('{name[:60]}'): "
                            "không phải tệp Word thông thường, không nhập.")
        total += info.file_size
        if info.file_size > 10 * 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise DocxError(f"Tệp '{path.name}' có phần nén bất thường (bung ra "
                            f"{info.file_size // 1024 // 1024} MB): không nhập.")
    if total > MAX_UNPACKED_BYTES:
        raise DocxError(f"Nội dung tệp '{path.name}' bung ra {total // 1024 // 1024} MB (tối đa "
                        f"{MAX_UNPACKED_BYTES // 1024 // 1024} MB): hãy gửi ảnh gốc riêng.")
    names = {info.filename for info in infos}
    if "word/document.xml" not in names:
        if "content.xml" in names:
            raise DocxError(f"Tệp '{path.name}' là tệp OpenDocument (.odt): mở bằng LibreOffice, "
                            "chọn Lưu thành… → Word (.docx), rồi nhập lại.")
        raise DocxError(f"Tệp '{path.name}' không phải tệp Word (.docx): không có phần văn bản.")
    return archive


# --- mammoth's HTML -> Markdown ---------------------------------------------------------

@dataclass
class _Photo:
    data: bytes | None
    content_type: str
    alt: str
    name: str = ""
    caption: str = ""
    problem: str = ""


class _Converter:
    """Markdown from mammoth's HTML. Written here: mammoth's own Markdown writer is
    deprecated and has no tables, and the photo rules (a block of its own, the next
    paragraph as caption) need the document's blocks in order; mammoth's output is a
    small fixed set of elements (p, h1–h6, strong, em, s, a, br, ul/ol/li, table,
    sup, img), parsed here as XML."""

    def __init__(self, photos: list[_Photo]):
        self.photos = photos

    def inline(self, element, bold=False, italic=False) -> str:
        out = [_escape(element.text or "")]
        for child in element:
            tag = child.tag
            if tag == "img":
                pass  # photos become blocks of their own, see blocks()
            elif tag == "br":
                out.append("  \n")
            elif tag in ("strong", "b"):
                text = self.inline(child, True, italic).strip()
                out.append(f"**{text}**" if text and not bold else text)
            elif tag in ("em", "i"):
                text = self.inline(child, bold, True).strip()
                out.append(f"*{text}*" if text and not italic else text)
            elif tag == "s":
                text = self.inline(child, bold, italic).strip()
                out.append(f"~~{text}~~" if text else "")
            elif tag == "a":
                text = self.inline(child, bold, italic).strip()
                href = child.get("href", "")
                if href.startswith(("http://", "https://", "mailto:")) and text:
                    out.append(f"[{text}]({href})")
                else:
                    out.append(text)  # footnote marks and internal anchors: text only
            elif tag == "sup" and child.find("a") is not None and (child.find("a").get("href") or "").startswith("#"):
                pass  # a footnote reference: the footnotes themselves are kept as a list
            else:
                out.append(self.inline(child, bold, italic))
            out.append(_escape(child.tail or ""))
        return "".join(out)

    def images(self, element) -> list[_Photo]:
        return [self.photos[int(img.get("src", "-1"))] for img in element.iter("img")
                if img.get("src", "").isdigit()]

    def blocks(self, root) -> list[tuple[str, object]]:
        """``(kind, value)`` in document order: heading, text, photo, list, table."""
        found: list[tuple[str, object]] = []
        for element in root:
            tag = element.tag
            photos = self.images(element)
            if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                text = _clean(self.inline(element))
                if text:
                    found.append((tag, text))
            elif tag == "p":
                text = _clean(self.inline(element))
                if text:
                    found.append(("caption" if element.get("class") == "caption" else "p", text))
            elif tag in ("ul", "ol"):
                found.append(("list", self.list_markdown(element, 0)))
            elif tag == "table":
                found.append(("table", self.table(element)))
            else:
                text = _clean(self.inline(element))
                if text:
                    found.append(("p", text))
            found.extend(("photo", photo) for photo in photos)
        return found

    def list_markdown(self, element, depth: int) -> str:
        lines = []
        for number, item in enumerate(element.findall("li"), 1):
            marker = f"{number}." if element.tag == "ol" else "-"
            nested = [c for c in item if c.tag in ("ul", "ol")]
            for c in nested:
                item.remove(c)
            text = _clean(self.inline(item))
            lines.append("    " * depth + f"{marker} {text}")
            for c in nested:
                lines.append(self.list_markdown(c, depth + 1))
        return "\n".join(lines)

    def table(self, element) -> str:
        rows = []
        for row in element.iter("tr"):
            cells = [_clean(self.inline(cell)).replace("|", "\\|").replace("\n", " ")
                     for cell in row if cell.tag in ("td", "th")]
            if cells:
                rows.append(cells)
        if not rows:
            return ""
        width = max(len(r) for r in rows)
        rows = [r + [""] * (width - len(r)) for r in rows]
        lines = ["| " + " | ".join(rows[0]) + " |", "|" + " --- |" * width]
        lines += ["| " + " | ".join(r) + " |" for r in rows[1:]]
        return "\n".join(lines)


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>])")


def _escape(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text.replace("\xa0", " "))


def _clean(text: str) -> str:
    text = re.sub(r"[ \t]+", " ", nfc(text))
    return re.sub(r" *\n *", "\n", text).strip()


def _plain(markdown_text: str) -> str:
    text = re.sub(r"\\([\\`*_\[\]<>])", r"\1", markdown_text.replace("**", "").replace("~~", ""))
    return re.sub(r"(?<![\w*])\*(?!\s)|(?<!\s)\*(?![\w*])", "", text).strip()


# --- photos ------------------------------------------------------------------------------

def _read_photo(image) -> _Photo:
    content_type = (image.content_type or "").lower()
    alt = nfc((image.alt_text or "").strip())
    if content_type in _DRAWINGS:
        return _Photo(None, content_type, alt, problem="drawing")
    with image.open() as handle:
        data = handle.read(MAX_PHOTO_BYTES + 1)
    if len(data) > MAX_PHOTO_BYTES:
        return _Photo(None, content_type, alt, problem="too_large")
    return _Photo(data, content_type, alt)


def _photo_file(photo: _Photo, number: int) -> tuple[str, bytes] | None:
    """``(file name, bytes)`` for a photo the site can use, or None (``problem`` set)."""
    try:
        with Image.open(io.BytesIO(photo.data)) as image:
            fmt = image.format
            width, height = image.size
            if width * height > MAX_PHOTO_PIXELS:
                photo.problem = "too_many_pixels"
                return None
            if fmt in _KEEP:
                return f"anh-{number}{_KEEP[fmt]}", photo.data
            if fmt in _CONVERT:
                out = io.BytesIO()
                image.convert("RGBA" if "A" in image.getbands() else "RGB").save(out, "PNG")
                return f"anh-{number}.png", out.getvalue()
    except Exception:  # Pillow raises many kinds on a broken or hostile picture
        photo.problem = "unreadable"
        return None
    photo.problem = "drawing" if fmt in ("WMF", "EMF") else "format"
    return None


_PHOTO_NOTES = {
    "drawing": ("là hình vẽ EMF/WMF (sơ đồ, hình chèn từ Office), không phải ảnh chụp: không "
                "dùng được trên trang. Hãy xin người gửi ảnh gốc (JPG) và chép vào thư mục."),
    "too_large": f"nặng hơn {MAX_PHOTO_BYTES // 1024 // 1024} MB: không nhập; hãy xin ảnh nhẹ hơn.",
    "too_many_pixels": (f"lớn hơn {MAX_PHOTO_PIXELS // 1_000_000} triệu điểm ảnh: không nhập; "
                        "hãy xin ảnh gốc từ điện thoại, máy ảnh."),
    "unreadable": "bị hỏng, không đọc được: hãy xin người gửi ảnh gốc (JPG).",
    "format": "có định dạng lạ: hãy xin người gửi ảnh gốc (JPG).",
}


# --- the bundle --------------------------------------------------------------------------

def _summary(paragraphs: list[str]) -> str:
    """The lead (sapo): the first paragraph, cut after a sentence under 300 characters."""
    if not paragraphs:
        return ""
    text = _plain(paragraphs[0]).replace("\n", " ")
    if len(text) <= 300:
        return text
    sentences = re.split(r"(?<=[.!?…])\s+", text)
    out = ""
    for sentence in sentences:
        if len(out) + len(sentence) > 300:
            break
        out = f"{out} {sentence}".strip()
    return out or text[:297].rsplit(" ", 1)[0] + "…"


def _header_value(value: str) -> str:
    return " ".join(value.split())


def import_docx(path: Path, content_root: Path, registries: Registries, *,
                item_type: str | None = None, unit: str | None = None, topic: str | None = None,
                event: str | None = None, author: str | None = None,
                submitted: str | None = None, today: dt.date | None = None) -> ImportResult:
    """Create the bundle of ``path``; raise :class:`DocxError` on input it refuses."""
    import mammoth

    path = Path(path)
    if item_type is not None and item_type not in ITEM_TYPES:
        raise DocxError("--type phải là 'tin' hoặc 'bai'.")
    if topic and topic not in registries.topics:
        raise DocxError(f"Chủ đề '{topic}' không có. Các chủ đề: {', '.join(registries.topics)}.")
    if unit and unit not in registries.units:
        raise DocxError(f"Đơn vị '{unit}' không có trong data/units.yaml.")
    try:
        event_time = parse_local_datetime(event) if event else None
        submitted_time = parse_local_datetime(submitted) if submitted else None
    except ValueError as exc:
        raise DocxError(f"Ngày giờ không hợp lệ: {exc} Ghi theo dạng dd/mm/yyyy HH:MM, "
                        "ví dụ 13/05/2025 08:00.") from exc
    _sniff(path)
    archive = _safe_archive(path)
    photos: list[_Photo] = []

    def convert_image(image):
        photos.append(_read_photo(image))
        return {"src": str(len(photos) - 1)}

    archive.close()  # checked; mammoth opens the same bytes itself
    try:
        with path.open("rb") as handle:
            result = mammoth.convert_to_html(
                handle, style_map=STYLE_MAP,
                convert_image=mammoth.images.img_element(convert_image))
    except Exception as exc:  # mammoth on a broken document
        raise DocxError(f"Không đọc được nội dung tệp '{path.name}' ({type(exc).__name__}): hãy "
                        "mở bằng Word, lưu lại thành .docx rồi nhập lại.") from exc
    # Word text may hold control characters (a vertical tab for a manual line break
    # in old files) that XML refuses: they are spaces to a reader.
    markup = _XML_INVALID.sub(" ", result.value)
    try:
        root = etree.fromstring(f"<root>{markup}</root>")
    except etree.ParseError as exc:
        raise DocxError(f"Không chuyển được nội dung tệp '{path.name}': hãy mở bằng Word, lưu "
                        "lại thành .docx rồi nhập lại.") from exc
    blocks = _Converter(photos).blocks(root)

    title = ""
    heading = next((i for i, (kind, _) in enumerate(blocks) if kind in ("h1", "h2", "h3")), None)
    notes: list[str] = []
    if heading is not None:
        title = _plain(blocks.pop(heading)[1])
    elif blocks and blocks[0][0] == "p" and blocks[0][1].startswith("**") \
            and blocks[0][1].endswith("**") and len(blocks[0][1]) < 250:
        title = _plain(blocks.pop(0)[1])  # no heading style: a bold first line is the title
        notes.append("Tài liệu không có dòng kiểu Tiêu đề (Heading): lấy dòng chữ đậm đầu tiên "
                     "làm tiêu đề; hãy xem lại.")
    else:
        notes.append("Tài liệu không có tiêu đề (dòng kiểu Heading): hãy ghi Title trong index.md.")
    title = title.replace("\n", " ")

    # Lay out the body; a photo takes the paragraph right after it as its caption.
    lines: list[str] = []
    paragraphs: list[str] = []
    words = 0
    kept: list[_Photo] = []
    index = 0
    while index < len(blocks):
        kind, value = blocks[index]
        index += 1
        if kind == "photo":
            photo = value
            following = blocks[index] if index < len(blocks) else None
            if following and following[0] in ("p", "caption") and \
                    len(_plain(following[1])) <= MAX_CAPTION_CHARS and \
                    (following[0] == "caption" or len(_plain(following[1])) <= 200):
                photo.caption = _plain(following[1]).replace("\n", " ")
                index += 1
            elif photo.alt and not _AUTO_ALT.search(photo.alt):
                photo.caption = photo.alt
            kept.append(photo)
            lines.append(photo)  # placeholder, named below
            continue
        if kind in ("h1", "h2", "h3", "h4", "h5", "h6"):
            level = max(2, int(kind[1]))  # the page's title is the only h1
            lines.append("#" * level + " " + value.replace("\n", " "))
        elif kind in ("p", "caption"):
            lines.append(value)
            paragraphs.append(value)
        else:
            lines.append(value)
        words += len(_plain(str(value)).split())

    if item_type is None:
        item_type = "bai" if words >= WORDS_OF_AN_ARTICLE else "tin"
        notes.append(f"Loại đoán theo độ dài ({words} chữ): "
                     f"{ITEM_TYPES[item_type].lower()}; dùng --type để chọn khác.")

    day = (submitted_time or dt.datetime.now(LOCAL_TZ)).astimezone(LOCAL_TZ).date() \
        if today is None else today
    slug = slugify(title) or slugify(path.stem) or "tin-bai-tu-word"
    taken = {p.name for p in Path(content_root).glob("*/*/*/*") if p.is_dir()}
    candidate, n = slug, 2
    while candidate in taken:
        candidate, n = f"{slug}-{n}", n + 1
    folder = Path(content_root) / item_type / f"{day:%Y}" / f"{day:%m}" / candidate
    folder.mkdir(parents=True)
    try:
        names: list[str] = []
        number = 0
        for position, photo in enumerate(kept, 1):
            if len(names) >= MAX_PHOTOS:
                photo.problem = photo.problem or "too_many"
            made = None if photo.problem else _photo_file(photo, number + 1)
            if made is None:
                notes.append(f"Ảnh thứ {position} trong tài liệu "
                             + _PHOTO_NOTES.get(photo.problem, "bị bỏ qua (quá nhiều ảnh)."))
                continue
            number += 1
            photo.name, data = made
            (folder / photo.name).write_bytes(data)
            names.append(photo.name)
        if not names:
            notes.append("Tài liệu không có ảnh chụp nào dùng được: mỗi tin, bài cần ít nhất "
                         f"một ảnh. Hãy xin người gửi ảnh gốc (JPG), chép vào {folder} và chèn "
                         "vào bài bằng ![Chú thích](anh-1.jpg).")
        missing_captions = [p.name for p in kept if p.name and not p.caption]
        if missing_captions:
            notes.append("Ảnh chưa có chú thích (không có đoạn chú thích ngay dưới ảnh): "
                         + ", ".join(missing_captions) + ".")

        body = []
        for line in lines:
            if isinstance(line, _Photo):
                if line.name:
                    body.append(photo_markdown(line.name, line.caption))
            elif line:
                body.append(line)
        header = {
            "Title": title,
            "Type": item_type,
            "Category": topic or "",
            "Unit": unit or "",
            "Author": author or "",
            "Event_date": f"{event_time:%Y-%m-%d %H:%M}" if event_time else "",
            "Submitted": f"{submitted_time.astimezone(LOCAL_TZ):%Y-%m-%d %H:%M}"
                         if submitted_time else "",
            "Summary": _summary(paragraphs),
        }
        text = "\n".join(f"{key}: {_header_value(value)}".rstrip() for key, value in header.items()
                         if value or key in ("Title", "Category", "Unit", "Author", "Summary"))
        (folder / "index.md").write_text(nfc(f"{text}\n\n" + "\n\n".join(body) + "\n"),
                                         encoding="utf-8")
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    if not submitted_time:
        notes.append("Chưa có --submitted (lúc thư điện tử, tin nhắn đến): hạn gửi sẽ tính theo "
                     "lúc commit. Ghi Submitted trong index.md nếu tin, bài đến sớm hơn.")
    if header["Summary"]:
        notes.append("Tóm tắt (Summary) lấy từ đoạn đầu của bài: hãy xem lại.")
    return ImportResult(folder=folder, title=title, item_type=item_type, photos=names, notes=notes)
