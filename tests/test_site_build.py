"""Build a real fixture site with Pelican and look at it as a reader would."""
from __future__ import annotations

import re

from PIL import Image

from conftest import build, listed_items, page
from fixture_content import DRAFT_SLUG, FUTURE_SLUG, ITEMS, PORTRAIT_SLUG
from sitefactory import write_item


def item_url(slug: str) -> str:
    return f"/tin-bai/{slug}/"


def test_build_succeeds_without_any_warning(fixture_site):
    _, result, _ = fixture_site
    assert result.ok, result.errors
    assert result.errors == []
    assert result.warnings == []  # Pelican's warnings count as failures


def test_topic_pages_list_exactly_their_items_newest_first(fixture_site):
    base, _, expected = fixture_site
    for topic, slugs in expected["by_topic"].items():
        listed = listed_items(page(base / "output", f"chu-de/{topic}/"))
        newest_first = sorted(slugs, key=lambda s: ITEMS[s][3], reverse=True)
        assert listed == [item_url(s) for s in newest_first], topic


def test_unit_pages_list_exactly_their_items(fixture_site):
    base, _, expected = fixture_site
    for unit, slugs in expected["by_unit"].items():
        soup = page(base / "output", f"don-vi/{unit}/")
        assert sorted(listed_items(soup)) == sorted(item_url(s) for s in slugs), unit
    index = page(base / "output", "don-vi/")
    linked = {a["href"] for a in index.select("main a")}
    assert linked == {f"/don-vi/{u}/" for u in expected["by_unit"]}


def test_monthly_archive_lists_the_items_of_that_month(fixture_site):
    base, _, _ = fixture_site
    may = [s for s, v in ITEMS.items() if v[3].startswith("2025-05")]
    assert sorted(listed_items(page(base / "output", "luu-tru/2025/05/"))) == sorted(
        item_url(s) for s in may)


def test_drafts_and_future_items_are_not_published(fixture_site):
    base, _, _ = fixture_site
    home = page(base / "output", "")
    everything = " ".join(a["href"] for a in home.select("a"))
    assert DRAFT_SLUG not in everything and FUTURE_SLUG not in everything
    assert not (base / "output" / "tin-bai" / DRAFT_SLUG).exists()
    assert not (base / "output" / "tin-bai" / FUTURE_SLUG).exists()


def test_home_lists_the_newest_items_once_and_each_topic_links_its_page(fixture_site):
    """Seven published items fit on the home page's first page: all are in the date
    list, newest first, and no topic block repeats one of them (issue #19, case 2)."""
    base, _, expected = fixture_site
    home = page(base / "output", "")
    latest = listed_items(home.find(id="tin-moi").find_parent("section"))
    assert latest == [item_url(s) for s in sorted(ITEMS, key=lambda s: ITEMS[s][3], reverse=True)]
    assert sorted(listed_items(home)) == sorted(latest)  # no card twice on the page
    for topic, slugs in expected["by_topic"].items():
        block = home.find(id=f"chu-de-{topic}").find_parent("section")
        more = block.select_one(".more-link a")
        assert more["href"] == f"/chu-de/{topic}/" and f"{len(slugs)} tin, bài" in more.get_text()


def test_item_page_shows_dates_unit_topic_tags_and_captioned_photos(fixture_site):
    base, _, _ = fixture_site
    soup = page(base / "output", f"tin-bai/{PORTRAIT_SLUG}/")
    facts = soup.select_one(".item-facts").get_text(" ", strip=True)
    assert "14/05/2025 09:00" in facts
    assert "Ủy ban MTTQ Việt Nam huyện Mỹ Xuyên" in facts
    assert soup.select_one(".item-kicker a").get_text() == "Các cuộc vận động, phong trào thi đua"
    assert [a.get_text() for a in soup.select(".tags a")] == ["Vì người nghèo", "Nhà đại đoàn kết"]
    figures = soup.select("figure.photo")
    assert len(figures) == 2
    for figure in figures:
        img = figure.select_one("img")
        assert img["alt"] and figure.figcaption.get_text() == img["alt"]
        assert img["width"] and img["height"]
        assert "480w" in img["srcset"] and figure.select_one("source[type='image/webp']")
    # Only the first photo loads eagerly; the others wait until scrolled to.
    assert figures[0].img["loading"] == "eager" and figures[1].img["loading"] == "lazy"


def test_renditions_exist_are_upright_and_carry_no_exif_or_gps(fixture_site):
    base, _, _ = fixture_site
    output = base / "output"
    soup = page(output, f"tin-bai/{PORTRAIT_SLUG}/")
    urls = set()
    for tag in soup.select("figure img, figure source"):
        urls.update(part.split()[0] for part in tag["srcset"].split(","))
    assert len(urls) >= 8
    for url in urls:
        path = output / url.lstrip("/")
        assert path.is_file(), url
        with Image.open(path) as image:
            assert not image.getexif(), url
            assert "exif" not in image.info and "xmp" not in image.info
            declared = int(re.search(r"-(\d+)\.\w+$", url).group(1))
            assert image.width == declared
    portrait = soup.select("figure img")[1]
    assert int(portrait["height"]) > int(portrait["width"])  # EXIF orientation applied
    with Image.open(output / portrait["src"].lstrip("/")) as image:
        assert image.height > image.width
    originals = list(output.rglob("anh-2.jpg")) + list(output.rglob("anh-1.jpg"))
    assert originals == []  # contributed files (with their GPS) are never copied


def test_urls_are_ascii_and_unique(fixture_site):
    base, _, _ = fixture_site
    pages = [p.relative_to(base / "output").as_posix() for p in (base / "output").rglob("*.html")]
    assert all(p.isascii() for p in pages)
    tag_pages = {p for p in pages if p.startswith("tu-khoa/")}
    assert "tu-khoa/vi-nguoi-ngheo/index.html" in tag_pages  # "Vì người nghèo"
    assert "tu-khoa/doi-ngoai/index.html" in tag_pages  # "Đối ngoại": đ -> d


def test_previous_next_and_related_items(fixture_site):
    base, _, _ = fixture_site
    soup = page(base / "output", "tin-bai/doi-thoai-voi-nhan-dan/")
    assert soup.select_one(".prev-next a[rel=prev]")["href"] == item_url("giam-sat-cong-trinh-duong-xa")
    assert soup.select_one(".prev-next a[rel=next]")["href"] == item_url("ra-quan-nha-dai-doan-ket")
    related = listed_items(soup.select_one(".related"))
    assert related[0] == item_url("giam-sat-cong-trinh-duong-xa")  # shares the tag "Giám sát"


def test_sharing_metadata_and_news_article_jsonld(fixture_site):
    import json

    base, _, _ = fixture_site
    soup = page(base / "output", f"tin-bai/{PORTRAIT_SLUG}/")
    image = soup.select_one("meta[property='og:image']")["content"]
    assert image.endswith("-1200.jpg") and (base / "output" / image.lstrip("/")).is_file()
    data = json.loads(soup.select_one("script[type='application/ld+json']").string)
    assert data["@type"] == "NewsArticle"
    assert data["datePublished"] == "2025-05-14T09:00:00+07:00"
    assert soup.html["lang"] == "vi"


def test_sitemap_robots_and_404(fixture_site):
    base, _, _ = fixture_site
    output = base / "output"
    sitemap = (output / "sitemap.xml").read_text()
    assert "/tin-bai/doi-thoai-voi-nhan-dan/" in sitemap and DRAFT_SLUG not in sitemap
    assert "Sitemap:" in (output / "robots.txt").read_text()
    assert "Không tìm thấy trang" in (output / "404.html").read_text()


def test_an_unchanged_photo_is_never_encoded_twice(tmp_path):
    content = tmp_path / "content"
    write_item(content, "mot-tin", seed=7)
    first = build(content, tmp_path / "out1", tmp_path / "cache")
    assert first.ok, first.errors
    rendition = next((tmp_path / "out1" / "anh" / "mot-tin").glob("*-800.jpg"))
    stamp = rendition.stat().st_mtime_ns
    # A publish into an empty folder reuses the cache: same file, not re-encoded.
    second = build(content, tmp_path / "out2", tmp_path / "cache")
    assert second.ok
    again = tmp_path / "out2" / "anh" / "mot-tin" / rendition.name
    assert again.stat().st_mtime_ns == stamp
    assert again.read_bytes() == rendition.read_bytes()


def test_one_photo_in_two_items_is_encoded_and_checked_once(tmp_path, monkeypatch):
    import mttq.photos.quality
    import mttq.photos.renditions

    content = tmp_path / "content"
    first = write_item(content, "tin-mot", seed=7)
    second = write_item(content, "tin-hai", photos=(), date="2025-05-15 09:00",
                        body="Nội dung tin về hoạt động của Mặt trận, cùng ảnh với tin kia.\n\n"
                             "![Ảnh của tin hai](anh-1.jpg)")
    (second.parent / "anh-1.jpg").write_bytes((first.parent / "anh-1.jpg").read_bytes())
    encoded, assessed = [], []
    encode, assess = mttq.photos.renditions.encode_photo, mttq.photos.quality.assess_photos
    monkeypatch.setattr(mttq.photos.renditions, "encode_photo",
                        lambda source, *a: encoded.append(source) or encode(source, *a))
    monkeypatch.setattr(mttq.photos.quality, "assess_photos",
                        lambda paths, *a, **k: assessed.extend(paths) or assess(paths, *a, **k))
    result = build(content, tmp_path / "out", tmp_path / "cache")
    assert result.ok, result.errors
    assert len(encoded) == 1 and assessed == []  # the other item's photo: its renditions, its check
    for slug in ("tin-mot", "tin-hai"):
        assert list((tmp_path / "out" / "anh" / slug).glob("*-800.jpg")), slug


def test_a_failed_build_leaves_the_previous_site_untouched(tmp_path):
    content = tmp_path / "content"
    write_item(content, "tin-dau-tien", seed=1)
    good = build(content, tmp_path / "output", tmp_path / "cache")
    assert good.ok
    before = {p: p.read_bytes() for p in (tmp_path / "output").rglob("*") if p.is_file()}
    write_item(content, "tin-loi", Unit="khong-ton-tai", seed=2)
    write_item(content, "tin-thu-hai", seed=3)
    bad = build(content, tmp_path / "output", tmp_path / "cache")
    assert not bad.ok
    assert any("tin-loi" in e and "khong-ton-tai" in e for e in bad.errors)
    after = {p: p.read_bytes() for p in (tmp_path / "output").rglob("*") if p.is_file()}
    assert after == before
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".output")]
    assert leftovers == []


def test_a_crash_inside_pelican_also_keeps_the_published_site(tmp_path):
    content = tmp_path / "content"
    write_item(content, "tin-dau-tien", seed=1)
    assert build(content, tmp_path / "output", tmp_path / "cache").ok
    before = sorted(p.name for p in (tmp_path / "output").rglob("*"))
    broken_theme = tmp_path / "theme"
    (broken_theme / "templates").mkdir(parents=True)
    (broken_theme / "templates" / "index.html").write_text("{% for x in %}")  # syntax error
    crashed = build(content, tmp_path / "output", tmp_path / "cache", THEME=str(broken_theme))
    assert not crashed.ok and crashed.errors
    assert sorted(p.name for p in (tmp_path / "output").rglob("*")) == before


def test_forced_build_leaves_out_refused_items_and_publishes_the_rest(tmp_path):
    content = tmp_path / "content"
    write_item(content, "tin-tot", seed=1)
    write_item(content, "tin-loi", Unit="khong-ton-tai", seed=2)
    result = build(content, tmp_path / "out", tmp_path / "cache", skip_refused_files=True)
    assert result.ok and result.errors == []
    assert any("tin-loi" in s for s in result.skipped)
    assert (tmp_path / "out" / "tin-bai" / "tin-tot" / "index.html").is_file()
    assert not (tmp_path / "out" / "tin-bai" / "tin-loi").exists()


def test_publish_settings_make_absolute_urls_and_keep_drafts_out(tmp_path):
    from conftest import ROOT

    content = tmp_path / "content"
    write_item(content, "tin-cong-khai", seed=1)
    write_item(content, "tin-nhap", Status="draft", seed=2)
    result = build(content, tmp_path / "out", tmp_path / "cache", ROOT / "publishconf.py",
                   SITEURL="https://mttq.example.org")
    assert result.ok, result.errors
    soup = page(tmp_path / "out", "tin-bai/tin-cong-khai/")
    assert soup.select_one("link[rel=canonical]")["href"] == \
        "https://mttq.example.org/tin-bai/tin-cong-khai/"
    assert soup.select_one("meta[property='og:image']")["content"].startswith(
        "https://mttq.example.org/anh/tin-cong-khai/")
    assert soup.select_one("figure img")["src"].startswith("https://mttq.example.org/anh/")
    assert not list((tmp_path / "out").rglob("*tin-nhap*"))


def test_published_folder_is_readable_by_a_web_server(fixture_site):
    import stat

    base, _, _ = fixture_site
    mode = (base / "output").stat().st_mode
    assert mode & stat.S_IROTH and mode & stat.S_IXOTH


def test_the_build_reports_problems_of_published_photos(tmp_path):
    from PIL import ImageFilter

    content = tmp_path / "content"
    index = write_item(content, "tin-anh-mo", seed=5)
    photo = index.parent / "anh-1.jpg"
    with Image.open(photo) as image:
        image.filter(ImageFilter.GaussianBlur(8)).save(photo, quality=90)
    result = build(content, tmp_path / "out", tmp_path / "cache")
    assert result.ok  # merged content is published; the editors are told
    assert [w for w in result.warnings if "photo.blurry" in w and "tin-anh-mo/anh-1.jpg" in w]


def test_a_failed_build_does_not_break_the_next_builds_sitemap(tmp_path):
    content = tmp_path / "content"
    write_item(content, "tin-dau-tien", seed=1)
    broken_theme = tmp_path / "theme"
    (broken_theme / "templates").mkdir(parents=True)
    (broken_theme / "templates" / "index.html").write_text("{% for x in %}")
    assert not build(content, tmp_path / "bad", tmp_path / "cache", THEME=str(broken_theme)).ok
    good = build(content, tmp_path / "good", tmp_path / "cache")
    assert good.ok
    assert "/tin-bai/tin-dau-tien/" in (tmp_path / "good" / "sitemap.xml").read_text()
