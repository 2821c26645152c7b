"""Synthetic Vietnamese items for measuring search at scale (5,000 items).

Sentences, titles, summaries and tags are drawn (with a fixed seed) from the
items under ``content/`` and recombined, with place names, numbers and people
varied, so the vocabulary and lengths look like the real site's. A few
"needle" items with known words let tests check what a query must find.
"""
from __future__ import annotations

import random
import re
from pathlib import Path

from mttq.outputs.search_index import SearchDoc

ROOT = Path(__file__).resolve().parents[2]

FALLBACK_TEXT = """Sáng ngày 20/3/2025, Ban Thường trực Ủy ban MTTQ Việt Nam huyện phối hợp tổ chức trao 150 phần quà cho hộ nghèo.
Mỗi phần quà gồm 10 kg gạo, nhu yếu phẩm và 300.000 đồng tiền mặt.
Các hộ nhận quà được Ban Công tác Mặt trận ấp bình xét công khai.
Phát biểu tại buổi lễ, đồng chí Phó Chủ tịch Ủy ban MTTQ Việt Nam tỉnh đánh giá cao sự đồng hành của các doanh nghiệp.
Hội nghị đã tập trung thảo luận, đóng góp ý kiến vào dự thảo đề án phát triển giao thông nông thôn.
Đoàn đại biểu Mặt trận tỉnh bạn đã đến thăm và làm việc tại Nhà văn hóa khóm.
Cuộc vận động Người Việt Nam ưu tiên dùng hàng Việt Nam tiếp tục được triển khai sâu rộng.
Ngày hội Đại đoàn kết toàn dân tộc ở khu dân cư diễn ra sôi nổi, ấm áp nghĩa tình."""

PLACES = ["Mỹ Xuyên", "Kế Sách", "Trần Đề", "Vĩnh Châu", "Long Phú", "Cù Lao Dung", "Châu Thành",
          "Mỹ Tú", "Thạnh Trị", "Ngã Năm", "thành phố Sóc Trăng", "Đại Tâm", "Tài Văn", "Lịch Hội Thượng"]
PEOPLE = ["Nguyễn Thị Lan", "Trần Văn Hùng", "Lâm Thị Sa Rây", "Thạch Minh Đức", "Lý Văn Tâm",
          "Kim Thị Phương", "Đặng Hoàng Dũng", "Võ Thị Ánh", "Sơn Thị Đa Ni"]
KINDS = ["Tin", "Bài"]
TOPICS = ["Đại đoàn kết toàn dân tộc", "Các cuộc vận động, phong trào thi đua",
          "Dân chủ, giám sát và phản biện xã hội", "Đối ngoại nhân dân",
          "Củng cố tổ chức, đổi mới phương thức hoạt động"]


# Items with known words, placed among the synthetic ones: "đoàn" (delegation)
# and "đoạn" (section) fold to the same "doan".
NEEDLES = {
    10: SearchDoc(url="/tin-bai/kim-doan-dai-bieu-takeo/",
                  title="Đoàn đại biểu Mặt trận tỉnh Takeo thăm Sóc Trăng",
                  summary="Đoàn công tác của Mặt trận tỉnh Takeo đến thăm và làm việc.",
                  body="Chiều 5/3, đoàn đại biểu Mặt trận Tổ quốc tỉnh Takeo đã đến thăm và làm việc.",
                  date="05/03/2025", kind="Tin", section="Đối ngoại nhân dân"),
    20: SearchDoc(url="/tin-bai/kim-sua-doan-duong/", title="Sửa chữa đoạn đường ấp Tân Hòa",
                  summary="Đoạn đường dài 2 km được sửa chữa.",
                  body="Đoạn đường được sửa chữa bằng nguồn xã hội hóa do Mặt trận vận động.",
                  date="05/03/2025", kind="Tin", section="Các cuộc vận động, phong trào thi đua"),
    4321: SearchDoc(url="/tin-bai/kim-chol-chnam-thmay/",
                    title="Đồng bào Khmer vui đón Tết Chôl Chnăm Thmây",
                    summary="Không khí Tết cổ truyền của đồng bào Khmer ở các chùa.",
                    body="Ủy ban MTTQ tỉnh thăm, chúc Tết Chôl Chnăm Thmây các chùa Khmer.",
                    date="12/04/2021", kind="Tin", section="Đại đoàn kết toàn dân tộc"),
}


def _corpus():
    titles, summaries, sentences, tags = [], [], [], set()
    for path in sorted((ROOT / "content").glob("*/*/*/*/index.md")):
        text = path.read_text(encoding="utf-8")
        head, _, body = text.partition("\n\n")
        for line in head.splitlines():
            key, _, value = line.partition(":")
            if key == "Title":
                titles.append(value.strip())
            elif key == "Summary":
                summaries.append(value.strip())
            elif key == "Tags":
                tags.update(t.strip() for t in value.split(",") if t.strip())
        body = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", body)
        sentences += [s.strip() for s in re.split(r"(?<=[.!?])\s+", body) if len(s.strip()) > 20]
    if len(sentences) < 20:
        sentences = FALLBACK_TEXT.splitlines()
        titles = titles or [s[:70] for s in sentences]
        summaries = summaries or sentences
        tags = tags or {"Vì người nghèo", "Đại đoàn kết", "Giám sát"}
    return titles, summaries, sentences, sorted(tags)


def _vary(text: str, rng: random.Random) -> str:
    text = re.sub(r"\d+", lambda m: str(rng.randint(1, 999)), text)
    for place in PLACES:
        if place in text and rng.random() < 0.6:
            text = text.replace(place, rng.choice(PLACES))
    return text


def synthetic_docs(count: int = 5000, seed: int = 2025, needles: dict | None = None) -> list[SearchDoc]:
    """``count`` items, newest first; ``needles`` = {position: SearchDoc} placed as given."""
    rng = random.Random(seed)
    titles, summaries, sentences, tags = _corpus()
    docs = []
    for i in range(count):
        if needles and i in needles:
            docs.append(needles[i])
            continue
        body = []
        for _ in range(rng.randint(3, 7)):  # paragraphs
            body.append(" ".join(_vary(rng.choice(sentences), rng) for _ in range(rng.randint(2, 4))))
        day, month, year = rng.randint(1, 28), rng.randint(1, 12), rng.randint(2019, 2025)
        docs.append(SearchDoc(
            url=f"/tin-bai/tin-so-{i}/",
            title=_vary(rng.choice(titles), rng) if titles else body[0][:80],
            summary=_vary(rng.choice(summaries), rng),
            body="\n".join(body + [f"{rng.choice(PEOPLE)}"]),
            tags=tuple(rng.sample(tags, k=min(len(tags), rng.randint(1, 3)))),
            meta=f"{rng.choice(TOPICS)}\nỦy ban MTTQ Việt Nam huyện {rng.choice(PLACES)}",
            date=f"{day:02d}/{month:02d}/{year}",
            kind=rng.choice(KINDS),
            section=rng.choice(TOPICS),
        ))
    return docs


def doc_html(doc: SearchDoc) -> str:
    """The item as our article template marks it up (for Pagefind)."""
    from html import escape

    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in doc.body.split("\n"))
    tags = "".join(f"<a href='#'>{escape(t)}</a>" for t in doc.tags)
    return (f"<!doctype html><html lang='vi'><head><meta charset='utf-8'><title>{escape(doc.title)}</title>"
            f"</head><body><header>menu</header><main><article class='item' data-pagefind-body>"
            f"<h1>{escape(doc.title)}</h1><p class='item-summary'>{escape(doc.summary)}</p>"
            f"<dl><dt>Ngày đăng</dt><dd>{doc.date}</dd></dl><div class='item-body'>{paragraphs}</div>"
            f"<p class='tags'>{tags}</p></article></main><footer>footer</footer></body></html>")
