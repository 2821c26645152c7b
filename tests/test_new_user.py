"""What a new user hits (issue #19), replayed with the real commands.

- every problem the check can produce, written as the pull-request summary
  (Markdown), shows Markdown, code and file names as code, never as an image
  or a link;
- a forced publish tells the editors which items were left out, on the
  editors' page, in Vietnamese, without Pelican's English lines;
- the local check says the guessed-submission-time note once per run.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from sitefactory import make_photo, write_item

from mttq.commands.check import CheckOptions, check_items, collect_targets
from mttq.commands.formats import format_markdown, markdown_text
from mttq.core.problems import CheckReport
from mttq.settings import registries_from_settings

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus" / "content" / "tin" / "2025" / "05"
TEXT = "Nội dung tin về hoạt động của Mặt trận.\n\n"

# A file name or path a contributor would type (anh-1.jpg, index.md, data/units.yaml,
# content/tin/…) and Markdown that renders as an image or a link.
FILE_NAME = re.compile(
    r"[\w./~-]*\.(?:jpe?g|png|webp|heic|heif|gif|tiff?|md|ya?ml|csv|html?|svg|txt|py)\b"
    r"|\bcontent/|\bdata/", re.I)
MARKDOWN = re.compile(r"!\[|\]\(|\{(?:static|attach|filename)\}")
CODE_SPAN = re.compile(r"``.*?``|`[^`]*`")


def broken_items(content: Path) -> None:
    """One item per way a contributor gets an item wrong (photo quality aside: the
    photo checks are not run here)."""
    write_item(content, "thieu-truong", Author=None, Summary=None, body=TEXT + "![Ảnh mít](anh-1.jpg)")
    write_item(content, "sai-chu-de", Category="phong-trao")
    write_item(content, "sai-don-vi", Unit="my-xuyenn")
    write_item(content, "don-vi-da-giai-the", date="2025-08-01 08:00", Unit="my-xuyen")
    write_item(content, "sai-ngay", date=None, extra={"Date": "31/02/2025"})
    write_item(content, "sai-loai", extra={"Type": "tin-tuc"})
    write_item(content, "loai-khac-thu-muc", extra={"Type": "bai"})
    write_item(content, "go-nham-truong", extra={"Catgory": "x"})
    write_item(content, "sai-trang-thai", Status="an")
    write_item(content, "sai-chuyen-muc", Column="2025-13")
    write_item(content, "anh-dai-dien-sai", Cover="khong-co.jpg")
    write_item(content, "su-kien-sau-ngay-dang", Event_date="2025-06-01 08:00")
    write_item(content, "tieu-de-dai", title="Rất dài " * 40)
    write_item(content, "tom-tat-dai", Summary="Tóm tắt rất dài. " * 60)
    write_item(content, "tom-tat-ngan", Summary="Tóm tắt.")
    write_item(content, "noi-dung-ngan", body="Trao quà.\n\n![Trao quà cho hộ nghèo](anh-1.jpg)")
    write_item(content, "chu-mau", Summary="Tóm tắt 1–2 câu: việc gì, ở đâu, khi nào, kết quả ra sao.",
               body="Viết nội dung tin ở đây. Câu đầu nói rõ: ai, làm gì, ở đâu, khi nào.\n\n"
                    "![Chú thích ảnh: ai, đang làm gì, ở đâu](anh-1.jpg)")
    write_item(content, "khong-anh", photos=(), body=TEXT)
    write_item(content, "anh-thieu", body=TEXT + "![Ảnh](khong-co.jpg)", photos=())
    write_item(content, "anh-ngoai", body=TEXT + "![Ảnh](../khong-anh/x.jpg)", photos=())
    write_item(content, "anh-web", body=TEXT + "![Ảnh](https://example.com/a.jpg)", photos=())
    write_item(content, "khong-chu-thich", body=TEXT + "![](anh-1.jpg)")
    folder = write_item(content, "anh-thua").parent
    make_photo(folder / "anh-9.jpg")
    (folder / "ghi-chu.html").write_text("<p>x</p>", encoding="utf-8")
    (folder / ".DS_Store").write_bytes(b"\0")
    folder = write_item(content, "ten-anh-sai", photos=(), body=TEXT + "![Ảnh](Ảnh 1.JPG)\n\n"
                        "![Ảnh hai](anh-2.jpg)\n\n![Ảnh ba](anh-2.png)").parent
    for name in ("Ảnh 1.JPG", "anh-2.jpg", "anh-2.png"):
        make_photo(folder / name)
    write_item(content, "lien-ket-noi-bo", body=TEXT + "[Xem]({filename}/tin/khac.md)\n\n"
               "![Ảnh](anh-1.jpg)")
    write_item(content, "qua-nhieu-anh", photos=(), body=TEXT + "\n\n".join(
        f"![Ảnh {n}](anh-{n}.jpg)" for n in range(31)))
    folder = write_item(content, "qua-nang").parent
    (folder / "index.md").write_text("Title: X\n\n" + "x" * 210_000, encoding="utf-8")
    folder = write_item(content, "sai-ma-chu").parent
    (folder / "index.md").write_bytes(
        (CORPUS / "windows-1258" / "index.md").read_bytes())
    write_item(content, "Ten_Co_Dau")
    write_item(content, "trung-ten", date="2025-04-01 08:00")
    write_item(content, "trung-ten", type="bai", date="2025-05-01 08:00")
    write_item(content, "khong-noi-dung", body="")
    index = write_item(content, "truong-hai-lan")
    index.write_text(index.read_text(encoding="utf-8").replace(
        "Type: tin", "Type: tin\nAuthor: Lê Văn B", 1), encoding="utf-8")
    (content / "tin" / "sai-cho").mkdir(parents=True)
    (content / "tin" / "sai-cho" / "index.md").write_text("Title: X\n\nY", encoding="utf-8")
    # About an event, submitted two weeks later: late, and late with a reason.
    write_item(content, "tre-han", Event_date="2025-05-01 08:00", Submitted="2025-05-14 08:00")
    write_item(content, "tre-co-ly-do", Event_date="2025-05-01 08:00", Submitted="2025-05-14 08:00",
               Deadline_waiver="Mất điện do bão")
    write_item(content, "su-kien-sau-khi-gui", Event_date="2025-05-20 08:00",
               Submitted="2025-05-14 08:00", date="2025-05-21 08:00")
    write_item(content, "chua-ro-luc-gui", Event_date="2025-05-13 08:00")


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> CheckReport:
    content = tmp_path_factory.mktemp("broken") / "content"
    broken_items(content)
    options = CheckOptions(content_root=content, registries=registries_from_settings({}),
                           check_photos=False)
    items, loose = collect_targets([content, *sorted(content.glob("tin/sai-cho/index.md"))])
    return check_items(items, loose, options)


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True,
                          text=True).stdout


@pytest.fixture(scope="module")
def pull_request_report(tmp_path_factory) -> CheckReport:
    """What only a pull request gets: a published item corrected, one drafted, one
    deleted (feeds: corrections and takedowns), a file outside the items changed."""
    from mttq.commands.check import check_change

    repo = tmp_path_factory.mktemp("pr") / "site"
    content = repo / "content"
    content.mkdir(parents=True)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.email", "bbt@example.org")
    git(repo, "config", "user.name", "Ban Biên tập")
    items = [write_item(content, slug, date="2025-04-01 08:00", seed=n)
             for n, slug in enumerate(["tin-sua", "tin-go", "tin-xoa"])]
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "Nội dung ban đầu")
    git(repo, "checkout", "-qb", "sua")
    items[0].write_text(items[0].read_text(encoding="utf-8").replace(
        "Tóm tắt ngắn của tin.", "Tóm tắt đã sửa lại của tin."), encoding="utf-8")
    items[1].write_text(items[1].read_text(encoding="utf-8").replace(
        "Type: tin", "Type: tin\nStatus: draft"), encoding="utf-8")
    git(repo, "rm", "-rq", str(items[2].parent))
    (repo / "theme").mkdir()
    (repo / "theme" / "base.html").write_text("<script src=x.js></script>", encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "Sửa")
    options = CheckOptions(content_root=content, registries=registries_from_settings({}),
                           check_photos=False, submitted_at=None)
    return check_change(content, "main", options)


def outside_code(text: str) -> str:
    return CODE_SPAN.sub(" ", text)


def test_the_corpus_produces_the_problems_a_contributor_can_meet(report):
    """The scan below means something only if the corpus really reaches every kind."""
    codes = {p.code for f in report.files for p in f.problems} | {n.code for n in report.notes}
    expected = {
        "meta.missing", "meta.invalid", "meta.duplicate", "meta.unknown_key",
        "article.no_photo", "article.photo_missing", "article.photo_unreferenced",
        "article.photo_outside", "article.photo_external", "article.caption_missing",
        "article.duplicate_slug", "article.bad_slug", "article.bad_location",
        "article.empty_body", "article.encoding", "article.photo_name",
        "article.intrasite_link", "article.stray_file", "article.too_many_photos",
        "article.too_large", "article.placeholder", "article.too_short",
        "deadline.late", "deadline.waived", "deadline.event_after_submission",
        "deadline.guessed_submission_time",
    }
    assert expected - codes == set()


def _offending(report: CheckReport) -> list[str]:
    every = [(f.path, p) for f in report.files for p in f.problems] + [
        ("(cả lần kiểm tra)", n) for n in report.notes]
    found = []
    for path, problem in every:
        for text in (problem.message, problem.hint):
            rest = outside_code(text)
            bad = MARKDOWN.findall(rest) + FILE_NAME.findall(rest)
            if bad:
                found.append(f"{problem.code} ({path}): {bad} in {text!r}")
    return found


def test_a_pull_request_gets_its_own_problems(pull_request_report):
    codes = {p.code for f in pull_request_report.files for p in f.problems}
    assert {"article.correction", "article.withdrawn", "review.maintainer"} <= codes


def test_no_problem_of_a_pull_request_writes_markdown_or_a_file_name_outside_code(
        pull_request_report):
    assert _offending(pull_request_report) == []


def test_no_problem_at_all_writes_markdown_or_a_file_name_outside_code(report):
    assert _offending(report) == []


def test_the_pull_request_summary_renders_no_image_and_no_link_from_a_problem(report):
    """What the forge shows: CommonMark (markdown-it) of ``--format markdown``."""
    html = MarkdownIt("commonmark").render(format_markdown(report))
    assert "<img" not in html and "<a " not in html


def test_the_hint_of_an_unused_photo_shows_the_markdown_to_write_as_code(report):
    html = MarkdownIt("commonmark").render(format_markdown(report))
    assert "<code>![Chú thích](anh-9.jpg)</code>" in html  # the hint of case 3, as code


def test_a_hint_with_markdown_is_shown_as_code_and_the_rest_as_text():
    html = MarkdownIt("commonmark").render(markdown_text(
        "Chèn ảnh bằng `![Chú thích](anh-2.jpg)`, không phải ![x](https://evil.example/a.png)."))
    assert "<code>![Chú thích](anh-2.jpg)</code>" in html
    assert "<img" not in html and "<a " not in html


def test_the_pull_request_summary_links_the_editors_pages_of_the_published_site(tmp_path):
    """Issue #19, case 12: the editors read the month's figures from the pull request."""
    write_item(tmp_path, "tin-tot", Submitted="2025-05-14 08:00")
    result = subprocess.run(
        [sys.executable, "-m", "invoke", "check", "--no-photos", "--format", "markdown",
         "--content", str(tmp_path), "--path", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True,
        env={**os.environ, "MTTQ_SITEURL": "https://mttq.example.vn"})
    assert result.returncode == 0, result.stderr
    html = MarkdownIt("commonmark").render(result.stdout)
    assert re.findall(r'<a href="([^"]+)"', html) == ["https://mttq.example.vn/bien-tap/"]


# --- the commands on a fresh copy of the project ---------------------------------------------

PRODUCT = ["mttq", "plugins", "theme", "data", "tasks.py", "pelicanconf.py", "publishconf.py"]
ENGLISH = re.compile(r"Could not process|Done: Processed|Traceback|\b(?:ERROR|WARNING|INFO)\b")


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A copy of the project as a new office gets it, with a small content tree: one
    good item and one left as `invoke new` wrote it (with a photo). Its own code runs
    (PYTHONPATH, as `invoke pr-check` runs the base branch's), so the default folders
    (``output/``, ``public/``, ``cache/``) are the copy's, never this checkout's."""
    import shutil

    copy = tmp_path_factory.mktemp("fresh") / "mttq"
    copy.mkdir()
    for name in PRODUCT:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, copy / name)
    write_item(copy / "content", "tin-da-viet-xong", seed=1)
    return copy


def run(project_dir: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(project_dir), str(project_dir / "plugins")])}
    env.pop("MTTQ_SITEURL", None)
    return subprocess.run([sys.executable, "-m", "invoke", *args], cwd=project_dir, env=env,
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def preview_then_publish(project):
    """`invoke build` (the preview), then `invoke publish --force`, as an editor does."""
    preview = run(project, "build")
    assert preview.returncode == 0, preview.stderr
    before = {p.relative_to(project / "output"): p.read_bytes()
              for p in (project / "output").rglob("*") if p.is_file()}
    created = run(project, "new", "--type", "tin", "--unit", "ct-van-phong", "--topic", "dai-doan-ket",
                  "--title", "Tin còn chữ mẫu")
    assert created.returncode == 0, created.stderr
    [template] = list((project / "content").glob("tin/*/*/tin-con-chu-mau"))
    make_photo(template / "anh-1.jpg", seed=2)
    published = run(project, "publish", "--force")
    return preview, before, published


def test_publishing_keeps_the_local_preview_and_writes_the_site_for_the_server_apart(
        project, preview_then_publish):
    """Issue #19, case 6: before, publish replaced output/ with production addresses."""
    from bs4 import BeautifulSoup

    preview, before, published = preview_then_publish
    assert published.returncode == 0, published.stderr
    after = {p.relative_to(project / "output"): p.read_bytes()
             for p in (project / "output").rglob("*") if p.is_file()}
    assert after == before  # the preview is untouched
    local = BeautifulSoup((project / "output" / "bien-tap" / "index.html").read_text(), "html.parser")
    assert local.select_one('link[rel="stylesheet"]')["href"].startswith("/theme/")
    served = BeautifulSoup((project / "public" / "bien-tap" / "index.html").read_text(), "html.parser")
    assert served.select_one('link[rel="stylesheet"]')["href"].startswith("https://")
    assert "public" in published.stdout  # says where the site for the server is


def test_a_forced_publish_lists_the_items_left_out_for_the_editors_in_vietnamese(
        project, preview_then_publish):
    """Issue #19, case 7: on the editors' page with their problems, and in what the
    command prints, without Pelican's English lines."""
    from bs4 import BeautifulSoup

    _, _, published = preview_then_publish
    said = published.stdout + published.stderr
    assert not ENGLISH.findall(said), said
    assert "tin-con-chu-mau/index.md" in said and "article.placeholder" in said
    assert not (project / "public" / "tin-bai" / "tin-con-chu-mau").exists()
    assert (project / "public" / "tin-bai" / "tin-da-viet-xong" / "index.html").is_file()
    editors = BeautifulSoup((project / "public" / "bien-tap" / "index.html").read_text(),
                            "html.parser")
    left_out = editors.select_one("#bi-loai").find_parent("section")
    assert "tin-con-chu-mau/index.md" in left_out.get_text()
    assert "article.placeholder" in left_out.get_text()
    # Code in a problem's text is shown as code, not with its backticks.
    assert "`" not in left_out.get_text()
    assert any(c.get_text() == "Summary" for c in left_out.select("code"))


def test_the_local_check_says_the_guessed_submission_time_once_and_errors_first(
        project, preview_then_publish):
    """Issue #19, case 8: outside a pull request every item about an event lacks the
    time it was sent; said once for the run, after the errors (of the template item)."""
    content = project / "content"
    for n in range(3):
        write_item(content, f"tin-su-kien-{n}", Event_date="2025-05-13 08:00", seed=10 + n)
    result = run(project, "check", "--no-photos")
    lines = result.stdout.splitlines()
    assert result.stdout.count("deadline.guessed_submission_time") == 1
    first_warning = next(i for i, line in enumerate(lines) if "CẢNH BÁO" in line)
    assert all(i < first_warning for i, line in enumerate(lines) if "LỖI" in line)
    assert "Chưa đạt" in lines[-1]
    import shutil

    for n in range(3):
        shutil.rmtree(content / "tin" / "2025" / "05" / f"tin-su-kien-{n}")


def test_pr_check_prints_a_percentage_as_written():
    """Issue #19, case 4: the forge's annotation escapes "%" as "%25"; `invoke pr-check`
    prints annotations for a person, so "7%" must read "7%" (and ":" "," in a path stay)."""
    from mttq.commands.formats import format_github
    from mttq.commands.workflow import readable_annotation
    from mttq.core import problems as P

    report = CheckReport([P.FileReport("content/tin/2025/05/a,b:c/anh-1.jpg", "photo", [P.warning(
        "photo.too_dark", "Ảnh tối: chỉ 7% điểm ảnh đủ sáng, 100%25 là chữ.", "Chụp lại, 50% sáng hơn.")])])
    [line] = format_github(report).splitlines()
    assert "7%25" in line  # what the forge reads
    shown = readable_annotation(line)
    assert "7% điểm ảnh" in shown and "100%25 là chữ" in shown and "50% sáng hơn" in shown
    assert "content/tin/2025/05/a,b:c/anh-1.jpg" in shown


VIETNAMESE = re.compile(r"[àáảãạăắằẳẵặâấầẩẫậèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵđ]")


def test_every_task_and_every_option_has_vietnamese_help():
    """Issue #9: `invoke --list` / `--help` showed English or nothing for options."""
    from invoke import Collection

    import tasks

    missing = []
    for name, task in Collection.from_module(tasks).tasks.items():
        if not VIETNAMESE.search(task.__doc__ or ""):
            missing.append(f"{name}: docstring")
        for argument in task.get_arguments():
            if not VIETNAMESE.search(argument.help or ""):
                missing.append(f"{name} --{argument.name}")
    assert missing == []
    helped = subprocess.run([sys.executable, "-m", "mttq.commands.cli", "new", "--help"],
                            capture_output=True, text=True)
    assert "cách dùng:" in helped.stdout and "--event" in helped.stdout
