"""Commands for contributors, editors and developers (``invoke --list``).

A thin command layer: every task parses its options, calls a function of the
``mttq`` package and turns the result into output and an exit code.
"""
from __future__ import annotations

import shlex
import shutil
import sys
from pathlib import Path

from invoke import Exit, task

from mttq.commands import cli
from mttq.core import paths

ROOT = paths.REPO_ROOT

DEV_SETTINGS = cli.DEV_SETTINGS
PUBLISH_SETTINGS = cli.PUBLISH_SETTINGS


def _print_build(result) -> None:
    if result.refused and result.skipped:
        print(cli.refused_text(result), file=sys.stderr)
    for warning in result.warnings:
        print(f"CẢNH BÁO: {warning}", file=sys.stderr)
    for error in result.errors:
        print(f"LỖI: {error}", file=sys.stderr)
    if result.ok:
        print(f"Đã dựng trang vào {result.output} trong {result.seconds:.1f} giây.")
        if result.pages_reused is not None:
            print(f"Dựng lại {result.pages_rendered} trang; {result.pages_reused} trang không đổi "
                  "được giữ nguyên từ lần dựng trước.")
    else:
        print(f"Dựng trang thất bại: {len(result.errors)} lỗi; trang cũ ở {result.output} "
              "được giữ nguyên.", file=sys.stderr)


def _build(content, output, settings_file, skip_refused_files=False, incremental=False):
    from mttq.commands.build import build_site

    with cli.pelican_quiet():
        result = build_site(content, output, settings_file, skip_refused_files=skip_refused_files,
                            incremental=incremental)
    _print_build(result)
    if not result.ok:
        raise Exit(code=1)
    return result


@task(help={"content": "thư mục nội dung (mặc định: content)",
            "output": "thư mục kết quả (mặc định: output)",
            "full": "dựng lại mọi trang (mặc định chỉ dựng lại các trang có thay đổi từ lần dựng "
                    "trước; kết quả như nhau)"})
def build(c, content=str(paths.DEFAULT_CONTENT_DIR), output=str(paths.DEFAULT_OUTPUT_DIR), full=False):
    """Dựng trang để xem thử (cấu hình pelicanconf.py).

    Chỉ các trang có thay đổi từ lần dựng trước được dựng lại (--full: mọi trang)."""
    _build(content, output, DEV_SETTINGS, incremental=not full)


@task(help={"content": "thư mục nội dung (mặc định: content)",
            "output": f"thư mục của bản đăng (mặc định: {cli.PUBLISH_FOLDER}; bản xem thử ở "
                      "output/ không bị thay)",
            "force": "vẫn đăng khi còn lỗi: các tin, bài có lỗi bị bỏ ra (liệt kê ở trang Ban "
                     "Biên tập), phần còn lại được đăng",
            "full": "dựng lại mọi trang (mặc định chỉ dựng lại các trang có thay đổi từ lần đăng "
                    "trước; kết quả như nhau)"})
def publish(c, content=str(paths.DEFAULT_CONTENT_DIR), output=None, force=False, full=False):
    """Dựng bản đăng (publishconf.py, địa chỉ thật của trang) vào thư mục public/.

    Bản xem thử (output/, của build và serve) không bị động đến. Bản đăng cũ chỉ
    bị thay khi dựng thành công. Bản dựng tự từ chối mọi tin, bài có lỗi (cùng
    quy tắc với lệnh check) và khi đó không thay bản cũ; --force đăng phần còn
    lại và liệt kê các tin, bài bị bỏ ra ở trang Ban Biên tập (bien-tap/).
    Chỉ các trang có thay đổi từ lần đăng trước được dựng lại (--full: mọi trang)."""
    _build(content, output or cli.publish_output(), PUBLISH_SETTINGS, skip_refused_files=force,
           incremental=not full)


@task(help={"output": "thư mục kết quả", "cache": "xóa cả bộ nhớ đệm ảnh và nội dung"})
def clean(c, output=str(paths.DEFAULT_OUTPUT_DIR), cache=False):
    """Xóa trang đã dựng (và bộ nhớ đệm nếu có --cache)."""
    shutil.rmtree(output, ignore_errors=True)
    if cache:
        shutil.rmtree(paths.DEFAULT_CACHE_DIR, ignore_errors=True)
    print(f"Đã xóa {output}" + (f" và {paths.DEFAULT_CACHE_DIR}" if cache else "") + ".")


@task(help={"content": "thư mục nội dung", "output": "thư mục kết quả",
            "port": "cổng (mặc định 8000)", "bind": "địa chỉ (mặc định 127.0.0.1)"})
def serve(c, content=str(paths.DEFAULT_CONTENT_DIR), output=str(paths.DEFAULT_OUTPUT_DIR),
          port=8000, bind="127.0.0.1"):
    """Dựng trang, mở máy chủ xem thử và dựng lại mỗi khi nội dung thay đổi."""
    from mttq.commands.preview import serve_and_rebuild

    with cli.pelican_quiet():
        serve_and_rebuild(Path(content), Path(output), DEV_SETTINGS, bind, int(port), _print_build)


@task(iterable=["path"],
      help={"path": cli.HELP["path"] + "; ghi nhiều lần --path A --path B, hoặc dùng "
                    "lệnh `mttq check A B C`",
            "format": cli.HELP["format"], "content": cli.HELP["content"],
            "submitted_at": cli.HELP["submitted_at"], "changed_from": cli.HELP["changed_from"],
            "no_photos": cli.HELP["no_photos"]})
def check(c, path=None, format="text", content=str(paths.DEFAULT_CONTENT_DIR),
          submitted_at=None, changed_from=None, no_photos=False):
    """Kiểm tra tin, bài và ảnh; báo mọi lỗi của mọi tệp. Mã thoát 0: đạt, 1: có lỗi, 2: sai lệnh."""
    targets = list(path or []) + shlex.split(c.remainder or "")
    raise Exit(code=cli.check(targets, format, content, submitted_at, changed_from, not no_photos))


@task(help={"base": "nhánh đích của pull request (mặc định: main)",
            "submitted_at": "lúc mở pull request (mặc định: bây giờ)"})
def pr_check(c, base="main", submitted_at=None):
    """Chạy lại trên máy này đúng các bước kiểm tra pull request của CI.

    Như trên CI: bộ kiểm tra là của nhánh đích (base), các tệp của nhánh đang
    làm việc chỉ được đọc như dữ liệu (thư mục pr/). Bước cài đặt được bỏ qua:
    máy này đã có các gói, và mã của nhánh đích được dùng qua PYTHONPATH (không
    cài đè lên môi trường .venv của bạn).
    """
    import datetime as dt
    import os
    import subprocess
    import tempfile

    from mttq.commands.workflow import PR_JOB_COMMANDS, pr_workspace, readable_annotation
    from mttq.core.times import LOCAL_TZ

    summary = Path(tempfile.mkstemp(prefix="pr-check-", suffix=".md")[1])
    failed = False
    try:
        with pr_workspace(ROOT, base) as workspace:
            env = {
                **os.environ,
                "BASE_REF": base,
                "PR_OPENED_AT": submitted_at or dt.datetime.now(LOCAL_TZ).isoformat(timespec="seconds"),
                "GITHUB_STEP_SUMMARY": str(summary),
                "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
                # The base branch's code, before the installed project (mttq, the plugin).
                "PYTHONPATH": os.pathsep.join([str(workspace), str(workspace / "plugins")]),
            }
            for command in PR_JOB_COMMANDS:
                if " pip install " in f" {command} ":
                    print(f"(bỏ qua trên máy này: {command})")
                    continue
                print(f"$ {command}", flush=True)
                # Whole lines, decoded as UTF-8 by one decoder: a Vietnamese letter is
                # never cut in two (invoke's runner decoded each read on its own).
                with subprocess.Popen(["bash", "-c", command], cwd=workspace, env=env,
                                      stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                      text=True, encoding="utf-8", errors="replace") as process:
                    for line in process.stdout:
                        print(readable_annotation(line.rstrip("\n")), flush=True)
                failed = failed or process.returncode != 0
    except (OSError, ValueError) as exc:
        print(f"LỖI: không chạy được kiểm tra: {exc}", file=sys.stderr)
        raise Exit(code=2)
    print(summary.read_text(encoding="utf-8"))
    raise Exit(code=1 if failed else 0)


_DEPLOY_TO = ("nơi đặt trang: /var/www/mttq (máy này) hoặc nguoi-dung@may-chu:/var/www/mttq "
              "(qua SSH); mặc định: biến môi trường MTTQ_DEPLOY_TO")
_DEPLOY_SSH = "lệnh ssh kèm tùy chọn, ví dụ \"ssh -p 2222\" (mặc định: MTTQ_DEPLOY_SSH hoặc ssh)"


def _destination(to, ssh):
    import os

    from mttq.deploy import DeployError, parse_destination

    to = to or os.environ.get("MTTQ_DEPLOY_TO", "")
    if not to:
        print("LỖI: thiếu --to (ví dụ --to deploy@may-chu:/var/www/mttq).", file=sys.stderr)
        raise Exit(code=2)
    try:
        return parse_destination(to, ssh or os.environ.get("MTTQ_DEPLOY_SSH"))
    except DeployError as exc:
        print(f"LỖI: {exc}", file=sys.stderr)
        raise Exit(code=2)


@task(help={"to": _DEPLOY_TO,
            "output": f"thư mục bản đăng (mặc định: {cli.PUBLISH_FOLDER}, do invoke publish dựng)",
            "keep": "số bản giữ lại trên máy chủ (mặc định 5)", "ssh": _DEPLOY_SSH})
def deploy(c, to=None, output=None, keep=5, ssh=None):
    """Đưa bản đăng (invoke publish) lên máy chủ thành một bản mới, kiểm tra, rồi chuyển sang bản đó."""
    from mttq.deploy import DeployError, deploy as deploy_site

    destination = _destination(to, ssh)
    try:
        result = deploy_site(Path(output or cli.publish_output()), destination, keep=int(keep))
    except DeployError as exc:
        print(f"LỖI: {exc}", file=sys.stderr)
        raise Exit(code=1)
    print(f"Đã đưa trang lên {result.destination}: bản {result.release} đang chạy"
          + (f" (bản trước: {result.previous}; quay lại bằng: invoke rollback --to "
             f"{result.destination})." if result.previous else "."))
    if result.removed:
        print(f"Đã xóa {len(result.removed)} bản cũ: {', '.join(result.removed)}.")


@task(help={"to": _DEPLOY_TO, "release": "tên bản muốn chạy (mặc định: bản ngay trước bản đang chạy)",
            "list": "chỉ liệt kê các bản", "ssh": _DEPLOY_SSH})
def rollback(c, to=None, release=None, list=False, ssh=None):
    """Quay trang trên máy chủ về bản trước (hoặc một bản đã nêu), trong một bước."""
    from mttq.deploy import DeployError, list_releases, rollback as roll_back

    destination = _destination(to, ssh)
    try:
        if list:
            state = list_releases(destination)
            for name in state.releases:
                print(f"{'*' if name == state.current else ' '} {name}")
            return
        now, was = roll_back(destination, release)
    except DeployError as exc:
        print(f"LỖI: {exc}", file=sys.stderr)
        raise Exit(code=1)
    print(f"Trang trên {destination} đã chuyển về bản {now} (trước đó chạy bản {was}).")


@task(help={"type": cli.HELP["type"], "unit": cli.HELP["unit"], "topic": cli.HELP["topic"],
            "title": cli.HELP["title"], "event": cli.HELP["event"], "author": cli.HELP["author"],
            "content": cli.HELP["content"]})
def new(c, type=None, unit=None, topic=None, title=None, event=None, author=None,
        content=str(paths.DEFAULT_CONTENT_DIR)):
    """Tạo thư mục cho một tin, bài mới với tệp index.md điền sẵn chữ mẫu.

    Thiếu --type, --unit, --topic hoặc --title thì hỏi từng câu; --event và
    --author không bắt buộc (chỉ hỏi khi chạy trên bàn phím)."""
    raise Exit(code=cli.new(type, unit, topic, title, event, author, content))


FORM_REPO = paths.DEFAULT_CACHE_DIR / "soan-tin-repo"


def _form_repository(repo: str | None) -> Path:
    """The git repository the local form saves to: by default a clone of this one
    (decap-server switches branches in its work tree; this one's stays as it is)."""
    import subprocess

    if repo:
        return Path(repo).resolve()
    target = Path(FORM_REPO).resolve()
    if not (target / ".git").exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(["git", "clone", "--quiet", "--branch", "main", str(ROOT), str(target)],
                       check=True)
    for key, value in (("user.name", "Biểu mẫu gửi tin, bài"), ("user.email", "soan-tin@localhost")):
        known = subprocess.run(["git", "-C", str(target), "config", key], capture_output=True,
                               text=True).stdout.strip()
        if not known:
            subprocess.run(["git", "-C", str(target), "config", key, value], check=True)
    return target


@task(help={"repo": "kho git nhận tin, bài gửi từ biểu mẫu (mặc định: cache/soan-tin-repo, "
                    "bản sao của kho này)",
            "content": "thư mục nội dung", "output": "thư mục kết quả",
            "port": "cổng xem trang (mặc định 8000)"})
def soan_tin(c, repo=None, content=str(paths.DEFAULT_CONTENT_DIR),
             output=str(paths.DEFAULT_OUTPUT_DIR), port=8000):
    """Biểu mẫu gửi tin, bài trên máy này (không cần forge): mỗi lần lưu thành một nhánh git."""
    from mttq.commands.soan_tin import FormServer, FormServerError
    from mttq.commands.preview import serve_and_rebuild

    import signal

    target = _form_repository(repo)
    def stop(*_):  # `kill` stops it as Ctrl+C does: decap-server is stopped too
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        form = FormServer(target, port=8081).start()
    except (FormServerError, OSError) as exc:
        print(f"LỖI: {exc}", file=sys.stderr)
        raise Exit(code=1)
    print(f"Biểu mẫu: http://127.0.0.1:{port}/soan-tin/ (bấm “Đăng nhập”, không cần mật khẩu).")
    print(f"Mỗi tin, bài lưu thành một nhánh của {target}: "
          f"git -C {shlex.quote(str(target))} branch --list 'cms/*'")
    try:
        serve_and_rebuild(Path(content), Path(output), DEV_SETTINGS, "127.0.0.1", int(port),
                          _print_build)
    finally:
        form.stop()


@task(help={"file": "tệp Word (.docx) nhận qua thư điện tử, Zalo",
            "type": "tin hoặc bai (mặc định: đoán theo độ dài)",
            "unit": "mã đơn vị (data/units.yaml)", "topic": "mã chủ đề (data/topics.yaml)",
            "event": "lúc diễn ra sự kiện, ví dụ '13/05/2025 08:00'",
            "author": "người viết",
            "submitted": "lúc thư điện tử, tin nhắn đến Ban Biên tập (tính hạn gửi), "
                         "ví dụ '14/05/2025 07:45'",
            "content": "thư mục nội dung"})
def import_docx(c, file, type=None, unit=None, topic=None, event=None, author=None,
                submitted=None, content=str(paths.DEFAULT_CONTENT_DIR)):
    """Nhập một tệp Word (.docx): tạo thư mục tin, bài với ảnh và chú thích, rồi kiểm tra."""
    raise Exit(code=cli.import_docx(file, type, unit, topic, event, author, submitted, content))


@task(help={"event": "thời điểm sự kiện, ví dụ '2025-05-09 08:00'",
            "submitted": "thời điểm gửi tin, bài", "format": "text hoặc json"})
def deadline(c, event, submitted=None, format="text"):
    """Hạn gửi tin, bài về một sự kiện (01 ngày làm việc) và kết luận đúng hạn/trễ."""
    from mttq.calendar.deadline import format_deadline_json, format_deadline_text

    try:
        if format == "json":
            print(format_deadline_json(event, submitted))
        elif format == "text":
            print(format_deadline_text(event, submitted))
        else:
            raise ValueError("--format phải là text hoặc json.")
    except ValueError as exc:
        print(f"LỖI: {exc}", file=sys.stderr)
        raise Exit(code=2)


@task(help={"year": "năm, ví dụ 2025"})
def calendar(c, year):
    """Các ngày nghỉ và ngày làm bù của một năm."""
    from mttq.calendar.deadline import format_calendar_text

    print(format_calendar_text(int(year)))


@task(help={"items": "số tin, bài sinh ra (mặc định 300; trường hợp đầy đủ: 5000)",
            "photos": "số ảnh mỗi tin, bài (mặc định 2)", "seed": "hạt giống (mặc định 1)",
            "shared_photos": "chỉ K ảnh khác nhau, dùng chung cho mọi tin, bài (trường hợp "
                             "20000, 40000 tin, bài; mặc định 0: mọi ảnh khác nhau)"})
def bench(c, items=300, photos=2, seed=1, shared_photos=0):
    """Đo hiệu năng: Pelican gốc và bản dựng của dự án trên cùng nội dung (bench/README.md)."""
    import subprocess

    raise Exit(code=subprocess.call([
        sys.executable, str(ROOT / "bench" / "benchmark.py"), "--items", str(items),
        "--photos", str(photos), "--seed", str(seed), "--shared-photos", str(shared_photos)]))


@task(help={"month": cli.HELP["month"], "year": cli.HELP["year"],
            "format": cli.HELP["quota_format"], "content": cli.HELP["content"],
            "units": cli.HELP["units"], "output": cli.HELP["report_output"],
            "quota": cli.HELP["quota_file"]})
def quota(c, month=None, year=None, format="table", content=str(paths.DEFAULT_CONTENT_DIR),
          units=None, output=None, quota=None):
    """Chỉ tiêu tin, bài hằng tháng theo quy định của từng tháng (data/quota.yaml)."""
    raise Exit(code=cli.quota(month, year, format, content, units, output, quota))


@task(help={"source": "địa chỉ (http/https) hoặc tệp: RSS, Atom hoặc tệp xuất WordPress (WXR)",
            "unit": "mã đơn vị của các tin, bài cũ (data/units.yaml), ví dụ my-xuyen",
            "before": "chỉ nhập tin, bài đăng trước ngày này, ví dụ 2025-07-01",
            "type": "tin (mặc định) hoặc bai",
            "topic": "mã chủ đề khi chuyên mục cũ không trùng tên chủ đề nào (data/topics.yaml)",
            "author": "người viết khi nguồn tin không ghi", "content": cli.HELP["content"]})
def import_feed(c, source, unit, before=None, type="tin", topic=None, author=None,
                content=str(paths.DEFAULT_CONTENT_DIR)):
    """Nhập tin, bài của trang cũ (RSS, Atom, WordPress) thành các thư mục tin, bài, kèm ảnh."""
    from mttq.commands.build import load_settings
    from mttq.intake.feed_import import run
    from mttq.settings import registries_from_settings

    raise Exit(code=run(source, unit=unit, content=content, before=before, item_type=type,
                        topic=topic, author=author,
                        registries=registries_from_settings(load_settings(DEV_SETTINGS))))


@task(help={"content": cli.HELP["content"], "index": cli.HELP["hash_index"]})
def photo_hashes(c, content=str(paths.DEFAULT_CONTENT_DIR), index=None):
    """Ghi lại mã nhận dạng của mọi ảnh đã đăng vào data/photo-hashes.csv (sau khi hợp nhất)."""
    raise Exit(code=cli.photo_hashes(content, index))


@task(help={"pull_request": cli.HELP["pull_request"], "opened_at": cli.HELP["opened_at"],
            "merge_commit": cli.HELP["merge_commit"], "content": cli.HELP["content"],
            "ledger": cli.HELP["ledger"]})
def record_submissions(c, pull_request, opened_at, merge_commit="HEAD",
                       content=str(paths.DEFAULT_CONTENT_DIR), ledger=None):
    """Sau khi hợp nhất: ghi lúc mở pull request của các tin, bài mới vào data/submissions.csv."""
    raise Exit(code=cli.record_submissions(pull_request, opened_at, merge_commit, content, ledger))
