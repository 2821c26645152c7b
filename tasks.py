"""Commands for contributors, editors and developers (``invoke --list``).

A thin command layer: every task parses its options, calls a function of the
``mttq`` package and turns the result into output and an exit code.
"""
from __future__ import annotations

import json
import shlex
import shutil
import sys
from pathlib import Path

from invoke import Exit, task

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

from mttq import paths  # noqa: E402

DEV_SETTINGS = ROOT / "pelicanconf.py"
PUBLISH_SETTINGS = ROOT / "publishconf.py"


def _print_build(result) -> None:
    for skipped in result.skipped:
        print(f"BỎ QUA (không đăng): {skipped}", file=sys.stderr)
    for warning in result.warnings:
        print(f"CẢNH BÁO: {warning}", file=sys.stderr)
    for error in result.errors:
        print(f"LỖI: {error}", file=sys.stderr)
    if result.ok:
        print(f"Đã dựng trang vào {result.output} trong {result.seconds:.1f} giây.")
    else:
        print(f"Dựng trang thất bại: {len(result.errors)} lỗi; trang cũ ở {result.output} "
              "được giữ nguyên.", file=sys.stderr)


def _build(content, output, settings_file, skip_refused_files=False):
    from mttq.build import build_site

    result = build_site(content, output, settings_file, skip_refused_files=skip_refused_files)
    _print_build(result)
    if not result.ok:
        raise Exit(code=1)
    return result


@task(help={"content": "thư mục nội dung (mặc định: content)",
            "output": "thư mục kết quả (mặc định: output)"})
def build(c, content=str(paths.DEFAULT_CONTENT_DIR), output=str(paths.DEFAULT_OUTPUT_DIR)):
    """Dựng trang để xem thử (cấu hình pelicanconf.py)."""
    _build(content, output, DEV_SETTINGS)


@task(help={"content": "thư mục nội dung", "output": "thư mục kết quả",
            "force": "vẫn đăng khi còn lỗi: các tin, bài có lỗi bị bỏ ra, phần còn lại được đăng"})
def publish(c, content=str(paths.DEFAULT_CONTENT_DIR), output=str(paths.DEFAULT_OUTPUT_DIR),
            force=False):
    """Kiểm tra rồi dựng trang để đăng (publishconf.py); trang cũ chỉ bị thay khi thành công."""
    if not force:
        report = _run_check([content], content, photos=False, submitted_at=None, deadline=False)
        if not report.ok:
            from mttq.check import format_text

            print(format_text(report), file=sys.stderr)
            print("Không đăng vì còn lỗi. Sửa lỗi, hoặc dùng --force nếu Ban Biên tập đồng ý.",
                  file=sys.stderr)
            raise Exit(code=1)
    _build(content, output, PUBLISH_SETTINGS, skip_refused_files=force)


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
    from mttq.preview import serve_and_rebuild

    serve_and_rebuild(Path(content), Path(output), DEV_SETTINGS, bind, int(port), _print_build)


def _check_options(content, photos, submitted_at):
    from mttq.build import load_settings
    from mttq.check import CheckOptions
    from mttq.photo_quality import PhotoLimits
    from mttq.settings import registries_from_settings, with_defaults
    from mttq.workdays import parse_local_datetime

    settings = load_settings(DEV_SETTINGS)
    try:
        submitted = parse_local_datetime(submitted_at) if submitted_at else None
    except ValueError as exc:
        print(f"LỖI: --submitted-at: {exc}", file=sys.stderr)
        raise Exit(code=2)
    return CheckOptions(
        content_root=Path(content), registries=registries_from_settings(settings),
        photo_limits=PhotoLimits.from_settings(settings), check_photos=photos,
        submitted_at=submitted, cache_dir=Path(with_defaults(settings)["MTTQ_CACHE_DIR"]),
    )


def _run_check(targets, content, photos, submitted_at, changed_from=None, deadline=True):
    from mttq.check import UsageError, check_change, check_items, collect_targets

    options = _check_options(content, photos, submitted_at)
    options.check_deadline = deadline
    try:
        if changed_from:
            return check_change(Path(content), changed_from, options)
        items, loose_photos = collect_targets([Path(t) for t in targets])
    except UsageError as exc:
        print(f"LỖI: {exc}", file=sys.stderr)
        raise Exit(code=2)
    return check_items(items, loose_photos, options)


@task(iterable=["path"],
      help={"path": "thư mục tin, bài, tệp index.md hoặc ảnh (mặc định: cả content); "
                    "có thể ghi nhiều đường dẫn: invoke check A B C",
            "format": "text (mặc định), json, github (chú thích trên pull request), markdown",
            "content": "thư mục nội dung (để kiểm tra trùng tên)",
            "submitted_at": "thời điểm gửi (ISO 8601), ví dụ lúc mở pull request",
            "changed_from": "chỉ kiểm tra những gì thay đổi so với nhánh/commit này (git)",
            "no_photos": "bỏ qua kiểm tra chất lượng ảnh"})
def check(c, path=None, format="text", content=str(paths.DEFAULT_CONTENT_DIR),
          submitted_at=None, changed_from=None, no_photos=False):
    """Kiểm tra tin, bài và ảnh; báo mọi lỗi của mọi tệp. Mã thoát 0: đạt, 1: có lỗi, 2: sai lệnh."""
    from mttq.check import FORMATTERS

    if format not in (*FORMATTERS, "json"):
        print(f"LỖI: --format phải là một trong: json, {', '.join(FORMATTERS)}.", file=sys.stderr)
        raise Exit(code=2)
    targets = list(path or []) + shlex.split(c.remainder or "")
    report = _run_check(targets or [content], content, not no_photos, submitted_at, changed_from)
    if format == "json":
        print(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
    else:
        print(FORMATTERS[format](report))
    raise Exit(code=0 if report.ok else 1)


@task(help={"base": "nhánh đích của pull request (mặc định: main)",
            "submitted_at": "lúc mở pull request (mặc định: bây giờ)"})
def pr_check(c, base="main", submitted_at=None):
    """Chạy lại trên máy này đúng các bước kiểm tra pull request của CI."""
    import datetime as dt
    import os
    import tempfile

    from mttq.workflow import PR_JOB_COMMANDS
    from mttq.workdays import LOCAL_TZ

    summary = Path(tempfile.mkstemp(prefix="pr-check-", suffix=".md")[1])
    env = {
        "BASE_REF": base,
        "PR_OPENED_AT": submitted_at or dt.datetime.now(LOCAL_TZ).isoformat(timespec="seconds"),
        "GITHUB_STEP_SUMMARY": str(summary),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    failed = False
    for command in PR_JOB_COMMANDS:
        print(f"$ {command}")
        result = c.run(command, env=env, warn=True, pty=False)
        failed = failed or not result.ok
    print(summary.read_text(encoding="utf-8"))
    raise Exit(code=1 if failed else 0)


@task(help={"type": "tin hoặc bai", "unit": "mã đơn vị (data/units.yaml)",
            "topic": "mã chủ đề (data/topics.yaml)", "title": "tiêu đề",
            "event": "lúc diễn ra sự kiện, ví dụ '2025-05-13 08:00' (bỏ trống nếu không có)",
            "author": "người viết", "content": "thư mục nội dung"})
def new(c, type=None, unit=None, topic=None, title=None, event=None, author=None,
        content=str(paths.DEFAULT_CONTENT_DIR)):
    """Tạo thư mục cho một tin, bài mới với tệp index.md đã điền sẵn."""
    from mttq.build import load_settings
    from mttq.new_item import NewItemError, create_item
    from mttq.settings import registries_from_settings

    registries = registries_from_settings(load_settings(DEV_SETTINGS))

    def ask(question, choices=None):
        if choices:
            print(question)
            for key, name in choices.items():
                print(f"  {key:22} {name}")
        return input(f"{question.splitlines()[0]}: ").strip()

    try:
        type = type or ask("Loại (tin hoặc bai)")
        topic = topic or ask("Mã chủ đề", {k: t.name for k, t in registries.topics.items()})
        unit = unit or ask("Mã đơn vị", {k: u.name for k, u in registries.units.items()})
        title = title or ask("Tiêu đề")
        if event is None:
            event = ask("Lúc diễn ra sự kiện (YYYY-MM-DD HH:MM, để trống nếu không có)")
        author = author if author is not None else ask("Người viết")
        folder = create_item(Path(content), registries, item_type=type, unit=unit, topic=topic,
                             title=title, author=author, event=event or None)
    except (NewItemError, ValueError) as exc:
        print(f"LỖI: {exc}", file=sys.stderr)
        raise Exit(code=2)
    except EOFError:
        print("LỖI: thiếu thông tin; ghi bằng tùy chọn, ví dụ --type tin --unit …", file=sys.stderr)
        raise Exit(code=2)
    print(f"Đã tạo {folder}/index.md")
    print("Các bước tiếp theo:")
    print(f"  1. Chép ảnh vào {folder}/ (ví dụ anh-1.jpg) và sửa dòng ![Chú thích](anh-1.jpg).")
    print("  2. Viết nội dung và tóm tắt (Summary) trong index.md.")
    print(f"  3. Kiểm tra: invoke check {folder}")
    print("  4. Commit, push và mở pull request (xem docs/huong-dan-cong-tac-vien.md).")


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
    from mttq.intake.cms_server import FormServer, FormServerError
    from mttq.preview import serve_and_rebuild

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
    from mttq.build import load_settings
    from mttq.check import format_text
    from mttq.intake.docx import DocxError, import_docx as run_import
    from mttq.settings import registries_from_settings

    registries = registries_from_settings(load_settings(DEV_SETTINGS))
    try:
        result = run_import(Path(file), Path(content), registries, item_type=type, unit=unit,
                            topic=topic, event=event, author=author, submitted=submitted)
    except DocxError as exc:
        print(f"LỖI: {exc}", file=sys.stderr)
        raise Exit(code=2)
    except Exception as exc:  # never a traceback for a contributor's file
        print(f"LỖI: không nhập được tệp '{Path(file).name}' ({type_name(exc)}). Hãy mở bằng "
              "Word, lưu lại thành .docx rồi nhập lại; nếu vẫn lỗi, báo cho người quản trị.",
              file=sys.stderr)
        raise Exit(code=2)
    print(f"Đã tạo {result.folder}/index.md ({result.title or 'chưa có tiêu đề'}; "
          f"{len(result.photos)} ảnh: {', '.join(result.photos) or 'không có'})")
    for note in result.notes:
        print(f"  • {note}")
    print()
    report = _run_check([str(result.folder)], content, True, None)
    print(format_text(report))
    if not report.ok:
        print(f"Điền các trường còn thiếu trong {result.folder}/index.md (ví dụ --unit, --topic, "
              f"--event khi nhập), rồi: invoke check {result.folder}")
    raise Exit(code=0 if report.ok else 1)


def type_name(exc: BaseException) -> str:
    return type(exc).__name__


@task(help={"event": "thời điểm sự kiện, ví dụ '2025-05-09 08:00'",
            "submitted": "thời điểm gửi tin, bài", "format": "text hoặc json"})
def deadline(c, event, submitted=None, format="text"):
    """Hạn gửi tin, bài về một sự kiện (01 ngày làm việc) và kết luận đúng hạn/trễ."""
    from mttq.deadline import deadline_report, format_deadline_json, format_deadline_text

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
    from mttq.deadline import format_calendar_text

    print(format_calendar_text(int(year)))


@task(help={"items": "số tin, bài sinh ra (mặc định 300; trường hợp đầy đủ: 5000)",
            "photos": "số ảnh mỗi tin, bài (mặc định 2)", "seed": "hạt giống (mặc định 1)"})
def bench(c, items=300, photos=2, seed=1):
    """Đo hiệu năng: Pelican gốc và bản dựng của dự án trên cùng nội dung (bench/README.md)."""
    import subprocess

    raise Exit(code=subprocess.call([
        sys.executable, str(ROOT / "bench" / "benchmark.py"), "--items", str(items),
        "--photos", str(photos), "--seed", str(seed)]))


def _accept_paths_as_positionals(task_name: str = "check") -> None:
    """Let ``invoke check A B C`` mean ``invoke check --path A --path B --path C``.

    Invoke has no variadic positional arguments, and a declared positional is
    always required (``invoke check`` alone must check all content). Invoke
    imports this file after parsing its own options and before parsing the
    tasks' ones, so the not-yet-parsed words can be rewritten here.
    """
    import inspect

    from invoke import Program

    frame = inspect.currentframe()
    program = None
    while frame is not None:
        candidate = frame.f_locals.get("self")
        if isinstance(candidate, Program) and getattr(candidate, "core", None) is not None:
            program = candidate
            break
        frame = frame.f_back
    if program is None:
        return
    words = program.core.unparsed
    if task_name not in words:
        return
    takes_value = {
        f"--{name.replace('_', '-')}" if len(name) > 1 else f"-{name}"
        for argument in check.get_arguments() if argument.takes_value
        for name in argument.names
    }
    start = words.index(task_name) + 1
    rewritten, index = [], start
    while index < len(words) and words[index] != "--":
        word = words[index]
        if word.startswith("-"):
            rewritten.append(word)
            if word in takes_value and "=" not in word and index + 1 < len(words):
                rewritten.append(words[index + 1])
                index += 1
        else:
            rewritten.extend(["--path", word])
        index += 1
    words[start:index] = rewritten


@task(help={"month": "tháng YYYY-MM (mặc định: tháng này)",
            "year": "cả năm YYYY (các tháng đã bắt đầu)",
            "format": "table (bảng), csv hoặc json",
            "content": "thư mục nội dung (mặc định: content)",
            "units": "tệp danh sách đơn vị (mặc định: MTTQ_UNITS_FILE của pelicanconf.py)",
            "output": "ghi vào tệp thay vì màn hình (CSV có BOM để Excel đọc đúng tiếng Việt)"})
def quota(c, month=None, year=None, format="table", content=str(paths.DEFAULT_CONTENT_DIR),
          units=None, output=None):
    """Chỉ tiêu tin, bài hằng tháng (2 tin, 1 bài) của các đơn vị; tin, bài trễ hạn ghi riêng."""
    from mttq.build import load_settings
    from mttq.item import Registries
    from mttq.quota import (
        QuotaConfigError, format_csv, format_table, month_report, parse_month, read_published,
        today_from_setting, year_report,
    )
    from mttq.registry import RegistryError, load_topics, load_units
    from mttq.settings import with_defaults

    try:
        if format not in ("table", "csv", "json"):
            raise ValueError("--format phải là table, csv hoặc json.")
        if month and year:
            raise ValueError("Chỉ ghi một trong hai: --month YYYY-MM hoặc --year YYYY.")
        if not Path(content).is_dir():
            raise ValueError(f"Không có thư mục nội dung '{content}'.")
        settings = with_defaults(load_settings(DEV_SETTINGS, {"PATH": str(Path(content).resolve())}))
        today = today_from_setting(settings["MTTQ_TODAY"])
        registries = Registries(
            topics=load_topics(Path(settings["MTTQ_TOPICS_FILE"])),
            units=load_units(Path(units or settings["MTTQ_UNITS_FILE"])),
        )
        items = read_published(Path(content), registries)
        if year:
            if not str(year).isdigit() or len(str(year)) != 4:
                raise ValueError(f"Năm '{year}' không hợp lệ: ghi theo dạng YYYY, ví dụ 2025.")
            report = year_report(items, registries.units, settings["MTTQ_QUOTA"], int(year),
                                 today=today)
        else:
            y, m = parse_month(month) if month else (today.year, today.month)
            report = month_report(items, registries.units, settings["MTTQ_QUOTA"], y, m,
                                  today=today)
    except (ValueError, RegistryError, QuotaConfigError) as exc:
        print(f"LỖI: {exc}", file=sys.stderr)
        raise Exit(code=2)
    if format == "json":
        text = json.dumps(report.as_json(), ensure_ascii=False, indent=2) + "\n"
    elif format == "csv":
        text = format_csv(report)
    else:
        text = format_table(report)
    if output:
        encoding = "utf-8-sig" if format == "csv" else "utf-8"
        Path(output).write_text(text, encoding=encoding, newline="")
        print(f"Đã ghi {output}.")
    else:
        sys.stdout.write(text)


_accept_paths_as_positionals()
