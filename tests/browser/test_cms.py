"""The web form /soan-tin/ end to end, at phone size, in the real Chromium.

A real git repository (main holds a small content tree), Decap's own
decap-server in its git mode behind ``mttq.commands.soan_tin.FormServer``
(which adds the check's verdict), the site built by Pelican with the form
pointing at it, served by nginx with ``deploy/nginx/mttq.conf`` and
``deploy/nginx/soan-tin.conf`` (the form's CSP). A contributor fills the form
on a phone with Vietnamese text and a real photo, saves, and the branch it
makes holds a bundle that ``invoke check --changed-from main`` accepts; a
blurry photo gets ``photo.blurry`` in the verdict the form links to.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PIL import Image, ImageFilter
from playwright.sync_api import Error as PlaywrightError

from .conftest import ROOT, Nginx, artefact

sys.path.insert(0, str(ROOT / "tests"))

from conftest import build  # noqa: E402
from sitefactory import write_item  # noqa: E402

from mttq.commands.soan_tin import FormServer  # noqa: E402
from mttq.core.times import LOCAL_TZ  # noqa: E402

PHONE = {"width": 390, "height": 844}
SOAN_TIN_CONF = ROOT / "deploy" / "nginx" / "soan-tin.conf"
# A real photograph of the demo content (content/PHOTO_SOURCES.md), under the
# name a phone camera gives it.
REAL_PHOTO = ROOT / "content" / "tin" / "2025" / "05" / \
    "giam-sat-thuc-hien-dan-chu-o-co-so-tai-huyen-my-tu" / "anh-1.jpg"


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True,
                          check=True).stdout


@pytest.fixture(scope="module")
def form(tmp_path_factory, nginx_path):
    """``{"url": form page, "repo": repository}``: the whole chain, up for the module."""
    base = tmp_path_factory.mktemp("soan-tin")
    repo = base / "repo"
    write_item(repo / "content", "hoi-nghi-mat-tran-dau-nam", seed=1)
    write_item(repo / "content", "trao-qua-tet-cho-ho-ngheo", seed=2, date="2025-05-20 09:00")
    _git(base, "init", "--quiet", "--initial-branch=main", str(repo))
    _git(repo, "config", "user.name", "Biểu mẫu gửi tin, bài")
    _git(repo, "config", "user.email", "soan-tin@localhost")
    _git(repo, "add", "-A")
    _git(repo, "commit", "--quiet", "-m", "Nội dung ban đầu")
    server = FormServer(repo, port=0).start()
    try:
        result = build(repo / "content", base / "output", base / "cache",
                       MTTQ_CMS_BACKEND={"name": "proxy", "proxy_url": server.url,
                                         "branch": "main"})
        assert result.ok, result.errors
        nginx = Nginx(nginx_path, base / "nginx", {"site": base / "output"},
                      includes={"site": (SOAN_TIN_CONF,)})
        nginx.start()
        try:
            yield {"url": nginx.urls["site"] + "/soan-tin/", "repo": repo, "server": server}
        finally:
            nginx.stop()
    finally:
        server.stop()


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True,
                                  device_scale_factor=2, locale="vi-VN",
                                  timezone_id="Asia/Ho_Chi_Minh")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error"
            and "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.csp_errors = errors
    actions: list[str] = []  # what the form asked of the repository

    def record(request):
        if request.method == "POST" and request.url.endswith("/api/v1"):
            try:
                actions.append(json.loads(request.post_data or "{}").get("action", ""))
            except ValueError:
                pass
    page.on("request", record)
    page.actions = actions
    try:
        yield page
    finally:
        context.close()


def open_new_item(page, url: str) -> None:
    page.goto(url)
    page.get_by_role("button", name="Đăng nhập").wait_for()
    page.screenshot(path=str(artefact("soan-tin", "login-phone.png")))
    page.get_by_role("button", name="Đăng nhập").click()
    # A contributor lands on their items waiting for review, not on the list of all items.
    page.get_by_role("heading", name="Tin, bài đang chờ duyệt").wait_for()
    try:
        page.get_by_text("Viết tin, bài mới").click()
        page.get_by_role("menuitem", name="Tin, bài").click()
        page.get_by_label("Tiêu đề", exact=True).wait_for()
    finally:
        page.screenshot(path=str(artefact("soan-tin", "opened-phone.png")))


def choose(page, label: str, option: str) -> None:
    page.get_by_label(label, exact=True).click()
    page.get_by_role("option", name=option, exact=True).click()


def fill_form(page, *, title: str, photo: Path, caption: str, event: dt.datetime) -> None:
    page.get_by_label("Tiêu đề", exact=True).fill(title)
    choose(page, "Loại", "Tin (tin ngắn về một sự kiện)")
    choose(page, "Chủ đề", "Các cuộc vận động, phong trào thi đua")
    choose(page, "Đơn vị gửi", "Hội Nông dân thành phố Cần Thơ")
    page.get_by_label("Người viết", exact=True).fill("Nguyễn Thị Lan")
    page.get_by_label("Lúc diễn ra sự kiện").fill(f"{event:%Y-%m-%dT%H:%M}")
    page.get_by_label("Tóm tắt", exact=True).fill(
        "Hội Nông dân thành phố phối hợp khởi công 5 căn nhà Đại đoàn kết cho hộ nghèo.")
    page.locator('[data-slate-editor="true"]').click()
    page.keyboard.type("Sáng nay, Hội Nông dân thành phố phối hợp Ủy ban MTTQ phường Phú Lợi "
                       "khởi công 5 căn nhà Đại đoàn kết cho hộ nghèo.")
    page.get_by_role("button", name="Thêm ảnh").click()
    page.get_by_role("button", name="Chọn ảnh").click()
    page.locator("input[type=file]").first.set_input_files(str(photo))
    page.get_by_role("button", name="Dùng ảnh đã chọn").click()
    page.get_by_label("Chú thích ảnh", exact=True).fill(caption)


def save(page) -> None:
    page.get_by_role("button", name="Lưu và gửi").click()
    # Saved: the editor now shows the entry's workflow status.
    page.get_by_text("Trạng thái: Bản nháp").wait_for(timeout=60_000)


def wait_for_branch(repo: Path, known: set[str], timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        branches = set(_git(repo, "branch", "--list", "--format=%(refname:short)", "cms/*")
                       .split())
        new = branches - known
        if new:
            return new.pop()
        time.sleep(0.5)
    raise AssertionError("no cms/ branch appeared in the repository")


def check_branch(repo: Path, branch: str, folder: Path):
    """``invoke check --changed-from main`` on a checkout of the branch, as CI does."""
    tree = folder / "tree"
    _git(repo, "worktree", "add", "--quiet", "--detach", str(tree), branch)
    try:
        run = subprocess.run(
            [sys.executable, "-m", "invoke", "check", "--changed-from", "main",
             "--content", str(tree / "content"), "--format", "json"],
            cwd=ROOT, capture_output=True, text=True, timeout=300)
        return run.returncode, json.loads(run.stdout)
    finally:
        _git(repo, "worktree", "remove", "--force", str(tree))


def verdict(page, timeout: float = 120) -> str:
    """The text of the page the form's “Kết quả kiểm tra” link opens."""
    link = page.get_by_role("link", name="Kết quả kiểm tra")
    deadline = time.monotonic() + timeout
    while not link.count():
        assert time.monotonic() < deadline, "the form shows no verdict link: " + \
            page.locator('[class*="-ToolbarContainer"]').first.inner_text()
        ask = page.get_by_role("button", name="Xem kết quả kiểm tra")
        try:
            if ask.count() and ask.is_enabled(timeout=1000):
                ask.click(timeout=1000)  # what a contributor does while the check runs
        except PlaywrightError:
            pass  # the editor was being reopened
        time.sleep(1)
    href = link.get_attribute("href")
    other = page.context.new_page()
    try:
        other.goto(href)
        return other.inner_text("main")
    finally:
        other.close()


def test_a_contributor_submits_from_a_phone_and_gets_a_branch_with_a_valid_bundle(
        form, phone, tmp_path):
    photo = tmp_path / "IMG_20251201_083000.jpg"
    shutil.copyfile(REAL_PHOTO, photo)
    known = set(_git(form["repo"], "branch", "--list", "--format=%(refname:short)", "cms/*").split())
    event = dt.datetime.now(LOCAL_TZ) - dt.timedelta(hours=2)
    open_new_item(phone, form["url"])
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    fill_form(phone, title="Khởi công 5 căn nhà Đại đoàn kết ở phường Phú Lợi",
              photo=photo, caption="Hội viên nông dân phụ giúp xây nhà cho hộ nghèo",
              event=event)
    phone.screenshot(path=str(artefact("soan-tin", "filled-phone.png")), full_page=True)
    save(phone)
    branch = wait_for_branch(form["repo"], known)

    files = _git(form["repo"], "diff", "--name-only", "main", branch).split()
    folder = f"content/tin/{event:%Y}/{event:%m}/khoi-cong-5-can-nha-dai-doan-ket-o-phuong-phu-loi"
    assert sorted(files) == [f"{folder}/img-20251201-083000.jpg", f"{folder}/index.md"]
    index = _git(form["repo"], "show", f"{branch}:{folder}/index.md")
    assert "title: Khởi công 5 căn nhà Đại đoàn kết ở phường Phú Lợi" in index
    assert f"event_date: {event:%Y-%m-%d %H:%M}" in index  # Vietnam time, as typed
    assert "Ủy ban MTTQ phường Phú Lợi khởi công 5 căn nhà Đại đoàn kết" in index  # the body
    assert _git(form["repo"], "cat-file", "-s", f"{branch}:{folder}/img-20251201-083000.jpg") \
        == f"{REAL_PHOTO.stat().st_size}\n"  # the photo itself, not a re-encoded copy

    code, report = check_branch(form["repo"], branch, tmp_path)
    problems = [p for f in report["files"] for p in f["problems"]]
    assert code == 0 and report["ok"], json.dumps(problems, ensure_ascii=False, indent=1)
    assert any(f["path"].endswith("index.md") for f in report["files"])

    phone.screenshot(path=str(artefact("soan-tin", "saved-phone.png")))
    text = verdict(phone)
    assert text.startswith("Đạt") and "Kiểm tra tin, bài: đạt" in text
    phone.screenshot(path=str(artefact("soan-tin", "saved-phone.png")))
    assert not phone.csp_errors, phone.csp_errors
    assert phone.actions.count("persistEntry") == 1  # one save, one commit on the branch


def test_a_blurry_photo_gets_the_photo_blurry_message_in_the_forms_verdict(form, phone, tmp_path):
    photo = tmp_path / "Ảnh chụp mờ.jpg"
    Image.open(REAL_PHOTO).filter(ImageFilter.GaussianBlur(6)).save(photo, quality=90)
    known = set(_git(form["repo"], "branch", "--list", "--format=%(refname:short)", "cms/*").split())
    open_new_item(phone, form["url"])
    fill_form(phone, title="Trao 20 suất học bổng cho học sinh nghèo vượt khó",
              photo=photo, caption="Lãnh đạo Hội trao học bổng cho học sinh",
              event=dt.datetime.now(LOCAL_TZ) - dt.timedelta(hours=1))
    save(phone)
    branch = wait_for_branch(form["repo"], known)
    assert any(name.endswith("/anh-chup-mo.jpg")
               for name in _git(form["repo"], "diff", "--name-only", "main", branch).split())

    text = verdict(phone)
    assert text.startswith("Chưa đạt") and "photo.blurry" in text
    assert re.search(r"Ảnh .*mờ|mờ", text)  # the message itself, in Vietnamese
    code, report = check_branch(form["repo"], branch, tmp_path)
    assert code == 1
    assert "photo.blurry" in {p["code"] for f in report["files"] for p in f["problems"]}


def test_the_form_speaks_vietnamese_and_fits_a_phone(form, phone):
    open_new_item(phone, form["url"])
    phone.get_by_role("button", name="Thêm ảnh").click()
    text = phone.inner_text("body")
    for label in ("Lưu và gửi", "Tiêu đề", "Chủ đề", "Đơn vị gửi", "Lúc diễn ra sự kiện",
                  "Tóm tắt", "Nội dung", "Chọn ảnh", "Chú thích ảnh", "Thay đổi chưa được lưu"):
        assert label.casefold() in text.casefold(), label
    english = [w for w in ("Save", "Publish", "Unsaved", "Choose", "Status", "Add ", "Writing in",
                           "optional", "Rich Text", "Delete") if w in text]
    assert not english, english
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # Every choice of the form is on screen, none cut off at the right edge.
    right = phone.evaluate("""() => Math.max(...[...document.querySelectorAll(
        'button, input, textarea, [role=button]')].filter(e => e.offsetParent)
        .map(e => e.getBoundingClientRect().right))""")
    assert right <= PHONE["width"], right


def test_the_form_has_no_serious_axe_violation_at_phone_size(form, phone, axe_source):
    open_new_item(phone, form["url"])
    phone.evaluate(axe_source + "\n;undefined")  # not a <script>: the form's CSP allows none
    result = phone.evaluate("""() => axe.run(document, {
        runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
        resultTypes: ["violations"]})""")
    violations = [{"id": v["id"], "impact": v["impact"], "help": v["help"],
                   "nodes": [n["target"] for n in v["nodes"]][:5]} for v in result["violations"]]
    artefact("axe", "soan-tin-phone.json").write_text(
        json.dumps(violations, ensure_ascii=False, indent=1), encoding="utf-8")
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert not serious, json.dumps(serious, ensure_ascii=False, indent=1)
