"""Photos in an item's Markdown body: find them, resolve them, render figures.

Contributors write ``![Chú thích ảnh](anh-1.jpg)``; the alt text is the
caption. One Markdown tree-processor serves both the check (which only
collects and resolves references) and the build (which also swaps each image
for a responsive ``<figure>``), so both agree on what a photo reference is.
"""
from __future__ import annotations

import os
import xml.etree.ElementTree as etree
from dataclasses import dataclass
from pathlib import Path
from typing import Callable
from urllib.parse import unquote, urlsplit

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from mttq.core.text import nfc

MARKDOWN_EXTENSIONS = ["markdown.extensions.extra", "markdown.extensions.sane_lists"]


@dataclass
class PhotoRef:
    src: str  # as written in the Markdown
    alt: str
    path: Path | None  # resolved file inside the bundle, when the reference is valid
    problem: str | None = None  # problem code when it is not


def resolve_photo_src(bundle_dir: Path, src: str) -> tuple[Path | None, str | None]:
    """Resolve ``src`` inside ``bundle_dir``; refuse anything that leaves it.

    Returns ``(path, None)`` or ``(None, problem_code)``.
    """
    parts = urlsplit(src)
    if parts.scheme or parts.netloc or src.startswith("//"):
        return None, "article.photo_external"
    relative = nfc(unquote(parts.path))
    if (
        not relative
        or relative.startswith(("/", "~", "\\"))
        or "\\" in relative
        or "\x00" in relative
    ):
        return None, "article.photo_outside"
    bundle_real = os.path.realpath(bundle_dir)
    candidate = os.path.normpath(os.path.join(bundle_dir, relative))
    real = os.path.realpath(candidate)
    if os.path.commonpath([bundle_real, real]) != bundle_real or real == bundle_real:
        return None, "article.photo_outside"
    if Path(candidate).is_symlink() or os.path.dirname(real) != bundle_real:
        # Photos sit in the bundle folder itself: a sub-folder's "con/anh-1.jpg"
        # would share the rendition names of "anh-1.jpg".
        return None, "article.photo_outside"
    if not os.path.isfile(real):
        return None, "article.photo_missing"
    return Path(real), None


FigureRenderer = Callable[[PhotoRef, bool], etree.Element]
"""``renderer(ref, is_block)`` returns the element that replaces the image."""


class _PhotoTreeprocessor(Treeprocessor):
    def __init__(self, md, extension: "BundlePhotos"):
        super().__init__(md)
        self.extension = extension

    def run(self, root: etree.Element) -> None:
        parents = {child: parent for parent in root.iter() for child in parent}
        for img in list(root.iter("img")):
            src = img.get("src", "")
            alt = nfc((img.get("alt") or "").strip())
            path, problem = resolve_photo_src(self.extension.bundle_dir, src)
            ref = PhotoRef(src=src, alt=alt, path=path, problem=problem)
            self.extension.refs.append(ref)
            renderer = self.extension.renderer
            if renderer is None or path is None:
                continue
            parent = parents[img]
            is_block = (
                parent.tag == "p"
                and len(parent) == 1
                and not (parent.text or "").strip()
                and not (img.tail or "").strip()
            )
            replacement = renderer(ref, is_block)
            if is_block:
                grandparent = parents[parent]
                position = list(grandparent).index(parent)
                grandparent.remove(parent)
                grandparent.insert(position, replacement)
            else:
                replacement.tail = img.tail
                position = list(parent).index(img)
                parent.remove(img)
                parent.insert(position, replacement)


class BundlePhotos(Extension):
    """Collect (and optionally render) the photos an item's body references."""

    def __init__(self, bundle_dir: Path, renderer: FigureRenderer | None = None):
        super().__init__()
        self.bundle_dir = Path(bundle_dir)
        self.renderer = renderer
        self.refs: list[PhotoRef] = []

    def extendMarkdown(self, md):  # noqa: N802 (Markdown's API name)
        # After the inline patterns (priority 20) so that <img> elements exist.
        md.treeprocessors.register(_PhotoTreeprocessor(md, self), "bundle_photos", 5)


def render_body(body: str, bundle_dir: Path, renderer: FigureRenderer | None = None):
    """Markdown body -> (HTML, photo references in order of appearance)."""
    extension = BundlePhotos(bundle_dir, renderer)
    md = markdown.Markdown(extensions=[*MARKDOWN_EXTENSIONS, extension], output_format="html")
    html = md.convert(body)
    return html, extension.refs
