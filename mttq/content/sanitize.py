"""Raw HTML in contributed Markdown is cut down to a safe allowlist.

A pull request is untrusted until an editor merges it, and even then mistakes
happen: no scripts, styles, event handlers, forms, frames or ``javascript:`` /
``data:`` URLs reach the site. Images are allowed only as the figures our own
photo pipeline writes (their URLs point at our renditions); a raw ``<img>``
pointing elsewhere loses its source. Embedded video frames are not allowed:
a contributor links to the video instead (simpler to review, no third-party
scripts on our pages).
"""
from __future__ import annotations

import html as html_lib
import re

import nh3

# Pelican rewrites a URL attribute whose value starts with an "intrasite"
# marker ({static}, {attach}, {filename}, |static| …) and, for {static} and
# {attach}, copies the named file into the output — any file the build machine
# can read, ``..`` included. Contributed text may use none of them: the
# settings switch the mechanism off (``mttq_site.configure``), the check
# refuses the markers (``article.intrasite_link``) and the sanitiser drops any
# URL that still starts with one.
_URL_ATTRIBUTE = re.compile(
    r"""\s(?:href|src|srcset|poster|data|cite|formaction|action|content|background)"""
    r"""\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE)
_MARKER = re.compile(r"^\s*[{|]")


def intrasite_links(html: str) -> list[str]:
    """URL values in ``html`` that Pelican would treat as intrasite links."""
    found = []
    for match in _URL_ATTRIBUTE.finditer(html):
        value = html_lib.unescape(next(v for v in match.groups() if v is not None))
        if _MARKER.match(value):
            found.append(value)
    return found

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "b", "em", "i", "u", "s",
    "sub", "sup", "small", "mark", "abbr", "blockquote", "q", "cite", "code", "pre",
    "ul", "ol", "li", "dl", "dt", "dd", "a", "table", "thead", "tbody", "tfoot", "tr",
    "th", "td", "caption", "figure", "figcaption", "picture", "source", "img", "span", "div",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "srcset", "sizes", "width", "height", "alt", "loading", "decoding",
            "fetchpriority"},
    "source": {"type", "srcset", "sizes"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
    "figure": {"class"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


def sanitize_html(html: str, image_prefix: str) -> str:
    """Keep only allowlisted markup; image URLs must start with ``image_prefix``."""

    def only_our_images(element: str, attribute: str, value: str):
        if _MARKER.match(value):  # an intrasite marker: never a URL of ours
            return None
        if element in ("img", "source") and attribute in ("src", "srcset"):
            urls = [part.strip().split(" ")[0] for part in value.split(",")]
            return value if all(url.startswith(image_prefix) for url in urls) else None
        if element == "figure" and attribute == "class":
            return value if value == "photo" else None
        return value

    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style", "iframe", "object", "embed", "noscript",
                            "template", "svg", "math", "form", "textarea", "select"},
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=only_our_images,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
