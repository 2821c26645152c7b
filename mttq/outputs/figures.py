"""The responsive ``<figure>`` that replaces each photo in an item's body.

WebP first with a JPEG fallback, ``srcset``/``sizes`` so a phone downloads a
480-px file and a desktop an 800-/1200-px one, and ``width``/``height`` so the
page does not jump while photos load. Only the first photo loads eagerly.
"""
from __future__ import annotations

import xml.etree.ElementTree as etree
from dataclasses import dataclass

from mttq.content.markdown_photos import PhotoRef
from mttq.photos.renditions import PhotoPlan, plan_photo

# The article column is at most 760 CSS px wide; below that the photo spans the screen.
BODY_SIZES = "(min-width: 800px) 760px, 100vw"
CARD_SIZES = "(min-width: 1000px) 300px, (min-width: 600px) 45vw, 100vw"


@dataclass(frozen=True)
class Photo:
    """A photo of an item as the templates and feeds need it."""

    name: str  # file name in the bundle
    caption: str
    plan: PhotoPlan


def picture_element(plan: PhotoPlan, alt: str, url_prefix: str, sizes: str,
                    eager: bool = False) -> etree.Element:
    picture = etree.Element("picture")
    etree.SubElement(picture, "source", {
        "type": "image/webp", "srcset": plan.srcset("webp", url_prefix), "sizes": sizes,
    })
    fallback = plan.closest(800)
    attributes = {
        "src": f"{url_prefix}/{fallback.path}",
        "srcset": plan.srcset("jpeg", url_prefix),
        "sizes": sizes,
        "width": str(fallback.width),
        "height": str(fallback.height),
        "alt": alt,
        "decoding": "async",
    }
    attributes["loading"] = "eager" if eager else "lazy"
    if eager:
        attributes["fetchpriority"] = "high"
    etree.SubElement(picture, "img", attributes)
    return picture


class FigureMaker:
    """Markdown renderer callback: plans renditions and builds the figure."""

    def __init__(self, output_dir: str, url_prefix: str, widths):
        self.output_dir = output_dir
        self.url_prefix = url_prefix
        self.widths = widths
        self.photos: list[Photo] = []
        self.failures: list[tuple[PhotoRef, str]] = []  # photos whose header is unusable

    def __call__(self, ref: PhotoRef, is_block: bool) -> etree.Element:
        try:
            plan = plan_photo(ref.path, self.output_dir, self.widths)
        except Exception as exc:  # not an image, truncated header, decompression bomb…
            self.failures.append((ref, f"{type(exc).__name__}: {exc}"))
            return etree.Element("span")
        self.photos.append(Photo(ref.path.name, ref.alt, plan))
        picture = picture_element(plan, ref.alt, self.url_prefix, BODY_SIZES,
                                  eager=len(self.photos) == 1)
        if not is_block:
            return picture
        figure = etree.Element("figure", {"class": "photo"})
        figure.append(picture)
        if ref.alt:
            caption = etree.SubElement(figure, "figcaption")
            caption.text = ref.alt
        return figure
