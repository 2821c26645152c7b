"""What each command does, once, for both command lines.

``invoke`` (``tasks.py``, the project's task runner) and ``mttq`` (this
module's :func:`main`, installed by ``pyproject.toml``) are two ways in to
the same functions: each returns an exit code (0 done, 1 problems found,
2 wrong command) and prints Vietnamese. ``mttq`` takes several paths natively
(``mttq check A B C``), which invoke cannot, and has Vietnamese help.

Help texts live in :data:`HELP`, shared by both.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from pathlib import Path

from mttq.core import paths

DEV_SETTINGS = paths.REPO_ROOT / "pelicanconf.py"
PUBLISH_SETTINGS = paths.REPO_ROOT / "publishconf.py"
PUBLISH_FOLDER = f"{paths.DEFAULT_PUBLISH_DIR.name}/"  # as help texts name it

HELP = {
    "path": "thư mục tin, bài, tệp index.md hoặc ảnh (mặc định: cả thư mục nội dung)",
    "format": "cách trình bày: text (mặc định), json, github (chú thích trên pull request), "
              "markdown (tóm tắt của pull request)",
    "content": "thư mục nội dung (mặc định: content)",
    "output": "thư mục kết quả (mặc định: output)",
    "submitted_at": "lúc tin, bài được gửi (ví dụ lúc mở pull request): '2025-05-14 09:00' "
                    "hoặc ISO 8601",
    "changed_from": "chỉ kiểm tra những gì thay đổi so với nhánh hoặc commit này (git), "
                    "ví dụ main",
    "no_photos": "bỏ qua kiểm tra chất lượng ảnh (nhanh hơn)",
    "month": "tháng YYYY-MM (mặc định: tháng này)",
    "year": "cả năm YYYY (các tháng đã bắt đầu)",
    "quota_format": "table (bảng, mặc định), csv hoặc json",
    "units": "tệp danh sách đơn vị (mặc định: MTTQ_UNITS_FILE của pelicanconf.py)",
    "quota_file": "tệp quy định chỉ tiêu (mặc định: MTTQ_QUOTA_FILE, data/quota.yaml)",
    "report_output": "ghi vào tệp thay vì màn hình (CSV có BOM để Excel đọc đúng tiếng Việt)",
    "pull_request": "số của pull request, ví dụ 123",
    "opened_at": "lúc mở pull request (forge cho biết), ví dụ 2025-05-14T02:10:00Z",
    "merge_commit": "commit hợp nhất của pull request (mặc định: HEAD)",
    "ledger": "sổ ghi thời điểm gửi (mặc định: data/submissions.csv cạnh thư mục nội dung)",
    "hash_index": "tệp mã nhận dạng ảnh (mặc định: data/photo-hashes.csv cạnh thư mục nội dung)",
    "type": "tin hoặc bai",
    "unit": "mã đơn vị đang hoạt động (data/units.yaml)",
    "topic": "mã chủ đề (data/topics.yaml)",
    "title": "tiêu đề (đặt tên thư mục, không dấu)",
    "event": "lúc diễn ra sự kiện, ví dụ '2025-05-13 08:00' (không bắt buộc; bỏ trống nếu không "
             "có sự kiện)",
    "author": "họ tên người viết (không bắt buộc; bỏ trống thì điền sau trong index.md)",
}


def _err(message: str) -> None:
    print(f"LỖI: {message}", file=sys.stderr)


# --- check ---------------------------------------------------------------------------------

def check_options(content: str, photos: bool, submitted_at: str | None, settings: dict):
    from mttq.commands.check import CheckOptions
    from mttq.content.page import reserved_segments
    from mttq.core.times import parse_local_datetime
    from mttq.photos.quality import PhotoLimits
    from mttq.settings import registries_from_settings, with_defaults

    submitted = parse_local_datetime(submitted_at) if submitted_at else None
    return CheckOptions(
        content_root=Path(content), registries=registries_from_settings(settings),
        photo_limits=PhotoLimits.from_settings(settings), check_photos=photos,
        submitted_at=submitted, cache_dir=Path(with_defaults(settings)["MTTQ_CACHE_DIR"]),
        reserved=frozenset(reserved_segments(with_defaults(settings))),
    )


def run_check(targets: list[str], content: str, photos: bool = True, submitted_at: str | None = None,
              changed_from: str | None = None):
    """The check's report; raises UsageError/ValueError for a wrong command.

    The data files come first: when one the items are judged against (units,
    topics) is malformed, the report says so and judges no item against it."""
    from mttq.commands.build import load_settings
    from mttq.commands.check import check_change, check_data_files, check_items, collect_targets
    from mttq.core.problems import CheckReport

    settings = load_settings(DEV_SETTINGS)
    data = check_data_files(settings, Path(content))
    if any(Path(f.path).name in ("units.yaml", "topics.yaml") or f.path.endswith(
            (Path(settings["MTTQ_UNITS_FILE"]).name, Path(settings["MTTQ_TOPICS_FILE"]).name))
           for f in data):
        return CheckReport(files=data)
    options = check_options(content, photos, submitted_at, settings)
    if changed_from:
        report = check_change(Path(content), changed_from, options)
    else:
        items, loose_photos = collect_targets([Path(t) for t in targets or [content]])
        report = check_items(items, loose_photos, options)
    report.files[:0] = data
    return report


def check(paths_: list[str], format: str = "text", content: str = str(paths.DEFAULT_CONTENT_DIR),
          submitted_at: str | None = None, changed_from: str | None = None,
          photos: bool = True) -> int:
    from mttq.commands.check import UsageError
    from mttq.commands.formats import FORMATTERS

    if format not in FORMATTERS:
        _err(f"--format phải là một trong: {', '.join(FORMATTERS)}.")
        return 2
    try:
        report = run_check(paths_, content, photos, submitted_at, changed_from)
    except (UsageError, ValueError) as exc:
        _err(str(exc))
        return 2
    print(FORMATTERS[format](report))
    return 0 if report.ok else 1


# --- quota ---------------------------------------------------------------------------------

def quota(month: str | None = None, year: str | None = None, format: str = "table",
          content: str = str(paths.DEFAULT_CONTENT_DIR), units: str | None = None,
          output: str | None = None, quota_file: str | None = None) -> int:
    from mttq.commands.build import load_settings
    from mttq.content.history import History
    from mttq.content.item import Registries
    from mttq.core.times import parse_month
    from mttq.registry.registries import RegistryError, load_topics, load_units
    from mttq.reports.quota import (
        QuotaConfigError, format_csv, format_table, month_report, published, read_records,
        today_from_setting, year_report,
    )
    from mttq.settings import quota_policy_from_settings, run_now, with_defaults

    try:
        if format not in ("table", "csv", "json"):
            raise ValueError("--format phải là table, csv hoặc json.")
        if month and year:
            raise ValueError("Chỉ ghi một trong hai: --month YYYY-MM hoặc --year YYYY.")
        if not Path(content).is_dir():
            raise ValueError(f"Không có thư mục nội dung '{content}'.")
        settings = with_defaults(load_settings(DEV_SETTINGS, {"PATH": str(Path(content).resolve())}))
        if quota_file:
            settings["MTTQ_QUOTA_FILE"] = quota_file
        today = today_from_setting(settings["MTTQ_TODAY"])
        registries = Registries(
            topics=load_topics(Path(settings["MTTQ_TOPICS_FILE"])),
            units=load_units(Path(units or settings["MTTQ_UNITS_FILE"])),
        )
        history = History(content, ledger_file=settings["MTTQ_LEDGER_FILE"] or "default")
        items = published(read_records(Path(content), registries, history), run_now(settings))
        policy = quota_policy_from_settings(settings)
        if year:
            if not str(year).isdigit() or len(str(year)) != 4:
                raise ValueError(f"Năm '{year}' không hợp lệ: ghi theo dạng YYYY, ví dụ 2025.")
            report = year_report(items, registries.units, policy, int(year), today=today)
        else:
            y, m = parse_month(month) if month else (today.year, today.month)
            report = month_report(items, registries.units, policy, y, m, today=today)
    except (ValueError, RegistryError, QuotaConfigError) as exc:
        _err(str(exc))
        return 2
    if format == "json":
        text = json.dumps(report.as_json(), ensure_ascii=False, indent=2) + "\n"
    elif format == "csv":
        text = format_csv(report)
    else:
        text = format_table(report)
    if output:
        Path(output).write_text(text, encoding="utf-8-sig" if format == "csv" else "utf-8",
                                newline="")
        print(f"Đã ghi {output}.")
    else:
        sys.stdout.write(text)
    return 0


# --- build, publish ------------------------------------------------------------------------

def publish_output() -> Path:
    """Where ``invoke publish`` builds and ``invoke deploy`` takes the site from:
    ``OUTPUT_PATH`` of ``publishconf.py`` (``public/``), never the preview's ``output/``."""
    from mttq.commands.build import load_settings

    return Path(load_settings(PUBLISH_SETTINGS)["OUTPUT_PATH"])


@contextlib.contextmanager
def pelican_quiet():
    """Pelican prints its own English summary ("Done: Processed …") on the console;
    the commands say what matters in Vietnamese (:func:`refused_text`, the build's
    result), so nothing English reaches an editor."""
    from pelican.log import console

    was = console.quiet
    console.quiet = True
    try:
        yield
    finally:
        console.quiet = was


def refused_text(result) -> str:
    """The files a forced publish left out, each with its errors, as an editor reads
    them (also listed on the editors' page, ``bien-tap/``)."""
    from mttq.commands.formats import format_text
    from mttq.core.problems import CheckReport

    left_out = CheckReport([f for f in result.problems.files if f.path in result.refused])
    lines = format_text(left_out).splitlines()[:-1]  # not the check's "Chưa đạt" line
    head = (f"BỎ QUA (không đăng) {len(result.refused)} tệp có lỗi; phần còn lại được đăng. "
            "Danh sách cũng có ở trang Ban Biên tập (bien-tap/).")
    return "\n".join([head, *lines]).rstrip()


# --- new ----------------------------------------------------------------------------------

NEW_REQUIRED = {"type": "Loại (tin hoặc bai)", "topic": "Mã chủ đề", "unit": "Mã đơn vị",
                "title": "Tiêu đề"}
_NEW_CHECKED = {"type": "item_type", "topic": "topic", "unit": "unit"}  # validate_choices' names


def new(type: str | None = None, unit: str | None = None, topic: str | None = None,
        title: str | None = None, event: str | None = None, author: str | None = None,
        content: str = str(paths.DEFAULT_CONTENT_DIR), interactive: bool | None = None) -> int:
    """``invoke new`` / ``mttq new``: a new item folder (:mod:`mttq.content.new_item`).

    What the options leave out is asked, one question at a time (from a
    terminal or a pipe). When every required value is given as an option, the
    optional event time and author are asked only on a terminal
    (``interactive``: default ``sys.stdin.isatty()``): a script is never
    stopped by an optional question. Input that ends early leaves an optional
    value out and names the missing required ones. A topic or unit the check
    would refuse is said as soon as it is known, with the allowed values (only
    the units active today)."""
    import datetime as dt

    from mttq.commands.build import load_settings
    from mttq.content.new_item import NewItemError, active_units, create_item, validate_choices
    from mttq.core.times import LOCAL_TZ
    from mttq.settings import registries_from_settings

    if interactive is None:
        interactive = sys.stdin.isatty()
    registries = registries_from_settings(load_settings(DEV_SETTINGS))
    today = dt.datetime.now(LOCAL_TZ).date()
    given = {"type": type, "topic": topic, "unit": unit, "title": title}
    choices = {"topic": {k: t.name for k, t in registries.topics.items()},
               "unit": {k: u.name for k, u in active_units(registries, today).items()}}

    def ask(question: str, listed: dict | None = None) -> str:
        if listed:
            print(question)
            for key, name in listed.items():
                print(f"  {key:22} {name}")
        return input(f"{question}: ").strip()

    def ask_optional(question: str) -> str:
        try:
            return ask(question)
        except EOFError:
            return ""

    asking = interactive or not all(given.values())
    try:
        for key, question in NEW_REQUIRED.items():
            if not given[key]:
                given[key] = ask(question, choices.get(key))
            if key in _NEW_CHECKED:  # said now, before more questions are asked
                if key == "unit" and event is None and given[key] in registries.units:
                    continue  # active or not depends on the event's day: asked next
                validate_choices(registries, **{_NEW_CHECKED[key]: given[key]}, today=today,
                                 event=event or None)
        if event is None and asking:
            event = ask_optional("Lúc diễn ra sự kiện (YYYY-MM-DD HH:MM, để trống nếu không có)")
        if author is None and asking:
            author = ask_optional("Người viết")
        folder = create_item(Path(content), registries, item_type=given["type"],
                             unit=given["unit"], topic=given["topic"], title=given["title"],
                             author=author or "", event=event or None, today=today)
    except (NewItemError, ValueError) as exc:
        _err(str(exc))
        return 2
    except EOFError:
        missing = [f"--{key}" for key, value in given.items() if not value]
        _err(f"thiếu {', '.join(missing)} (không có bàn phím để hỏi). Ví dụ: invoke new "
             "--type tin --unit ct-van-phong --topic dai-doan-ket --title \"Tiêu đề\" "
             "[--event \"2025-05-13 08:00\"] [--author \"Họ tên\"]")
        return 2
    print(f"Đã tạo {folder}/index.md")
    print("Các bước tiếp theo (máy kiểm tra từ chối tin, bài khi còn chữ mẫu):")
    print(f"  1. Chép ảnh vào {folder}/ (ví dụ anh-1.jpg) và viết chú thích thật trong dòng "
          "![…](anh-1.jpg).")
    print("  2. Thay chữ mẫu: tóm tắt (Summary), người viết (Author) và nội dung.")
    print(f"  3. Kiểm tra: .venv/bin/mttq check {folder}")
    print("  4. Commit, push và mở pull request (xem docs/huong-dan-cong-tac-vien.md).")
    return 0


# --- the submissions ledger ----------------------------------------------------------------

def photo_hashes(content: str = str(paths.DEFAULT_CONTENT_DIR), index: str | None = None) -> int:
    """Rewrite the index of committed photos' perceptual hashes (after a merge).

    Rows of photos still committed are kept as they are (by blob id), so only
    new photos are decoded; rows of replaced or deleted photos go."""
    from mttq.core import git
    from mttq.photos.hash_index import index_beside, index_text, is_published_photo, read_index
    from mttq.photos.quality import perceptual_hash
    from mttq.content.item import PHOTO_SUFFIXES

    root = Path(content).resolve()
    listed = git.tracked_blobs(root)
    if listed is None:
        _err(f"'{content}' không nằm trong một kho git: chỉ ảnh đã commit mới có trong tệp.")
        return 2
    target = Path(index) if index else index_beside(root)
    known = read_index(target)
    rows, decoded = [], 0
    base = os.path.join(str(root), "")
    for path, blob in sorted(listed[0].items(), key=lambda row: row[0].split(os.sep)):
        if not is_published_photo(path, root, PHOTO_SUFFIXES):
            continue
        phash = known.get(blob)
        if phash is None:
            try:
                phash = perceptual_hash(path)
            except Exception:  # an unreadable photo has its own problem code in the check
                continue
            decoded += 1
            known[blob] = phash  # the same bytes in another item: one decode
        rows.append((blob, phash, path[len(base):].replace(os.sep, "/")))
    text = index_text(rows)
    if not target.is_file() or target.read_text(encoding="utf-8") != text:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    print(f"{target}: {len(rows)} ảnh ({decoded} ảnh mới tính mã).")
    return 0


def record_submissions(pull_request: str, opened_at: str, merge_commit: str = "HEAD",
                       content: str = str(paths.DEFAULT_CONTENT_DIR),
                       ledger: str | None = None) -> int:
    """After a merge: write the pull request's opening time for every item it added."""
    from mttq.core import git
    from mttq.core.times import parse_local_datetime
    from mttq.registry.ledger import ledger_beside, record

    try:
        opened = parse_local_datetime(opened_at)
        root = Path(content).resolve()
        top = git.top_level(root)
        if top is None:
            raise ValueError(f"'{content}' không nằm trong một kho git.")
        names = git.git(top, "diff", "--name-only", "-z", "--diff-filter=A",
                        f"{merge_commit}^1", merge_commit, "--").split("\x00")
    except (ValueError, git.GitError) as exc:
        _err(str(exc))
        return 2
    slugs = []
    for name in names:
        path = (top / name)
        try:
            relative = path.relative_to(root).parts
        except ValueError:
            continue
        if len(relative) == 5 and relative[0] in paths.ITEM_SECTIONS and relative[4] == paths.ITEM_FILE:
            slugs.append(relative[3])
    written = record(slugs, opened, str(pull_request),
                     Path(ledger) if ledger else ledger_beside(root))
    print(f"Đã ghi {len(written)} tin, bài vào sổ thời điểm gửi"
          + (f": {', '.join(written)}." if written else "."))
    return 0


# --- Word documents ------------------------------------------------------------------------

def import_docx(file: str, item_type: str | None = None, unit: str | None = None,
                topic: str | None = None, event: str | None = None, author: str | None = None,
                submitted: str | None = None, content: str = str(paths.DEFAULT_CONTENT_DIR)) -> int:
    """A Word file becomes a bundle (mttq/intake/docx.py), then the check judges it:
    0 it passes, 1 created with problems to fix, 2 refused (nothing written)."""
    from mttq.commands.build import load_settings
    from mttq.commands.formats import format_text
    from mttq.intake.docx import DocxError, import_docx as run_import
    from mttq.settings import registries_from_settings

    registries = registries_from_settings(load_settings(DEV_SETTINGS))
    try:
        result = run_import(Path(file), Path(content), registries, item_type=item_type, unit=unit,
                            topic=topic, event=event, author=author, submitted=submitted)
    except DocxError as exc:
        _err(str(exc))
        return 2
    except Exception as exc:  # never a traceback for a contributor's file
        _err(f"không nhập được tệp '{Path(file).name}' ({type(exc).__name__}). Hãy mở bằng "
             "Word, lưu lại thành .docx rồi nhập lại; nếu vẫn lỗi, báo cho người quản trị.")
        return 2
    print(f"Đã tạo {result.folder}/index.md ({result.title or 'chưa có tiêu đề'}; "
          f"{len(result.photos)} ảnh: {', '.join(result.photos) or 'không có'})")
    for note in result.notes:
        print(f"  • {note}")
    print()
    report = run_check([str(result.folder)], content)
    print(format_text(report))
    if not report.ok:
        print(f"Điền các trường còn thiếu trong {result.folder}/index.md (ví dụ --unit, --topic, "
              f"--event khi nhập), rồi: .venv/bin/mttq check {result.folder}")
    return 0 if report.ok else 1


# --- the `mttq` command --------------------------------------------------------------------

_ARGPARSE_VI = {
    "usage: ": "cách dùng: ",
    "positional arguments": "đối số",
    "options": "tùy chọn",
    "show this help message and exit": "xem hướng dẫn này rồi thoát",
    "the following arguments are required: %s": "thiếu: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "không có lựa chọn %(value)r (chọn một trong %(choices)s)",
    "unrecognized arguments: %s": "không hiểu: %s",
    "%(prog)s: error: %(message)s\n": "%(prog)s: lỗi: %(message)s\n",
    "expected one argument": "cần một giá trị",
}


def _vietnamese_argparse() -> None:
    """argparse translates its own words through gettext (``argparse._``); give it Vietnamese."""
    original = argparse._

    def translate(text):
        return _ARGPARSE_VI.get(text, original(text))

    argparse._ = translate


def parser() -> argparse.ArgumentParser:
    _vietnamese_argparse()
    top = argparse.ArgumentParser(prog="mttq", description="Trang tin Mặt trận Tổ quốc: tạo, "
                                  "kiểm tra tin, bài, báo cáo và sổ thời điểm gửi tin, bài.")
    commands = top.add_subparsers(dest="command", metavar="LỆNH", required=True)
    c = commands.add_parser("check", help="kiểm tra tin, bài và ảnh; mã thoát 0: đạt, 1: có lỗi, 2: sai lệnh",
                            description="Kiểm tra tin, bài và ảnh; báo mọi lỗi của mọi tệp.")
    c.add_argument("paths", nargs="*", metavar="ĐƯỜNG_DẪN", help=HELP["path"])
    c.add_argument("--format", default="text", help=HELP["format"])
    c.add_argument("--content", default=str(paths.DEFAULT_CONTENT_DIR), help=HELP["content"])
    c.add_argument("--submitted-at", help=HELP["submitted_at"])
    c.add_argument("--changed-from", help=HELP["changed_from"])
    c.add_argument("--no-photos", action="store_true", help=HELP["no_photos"])
    q = commands.add_parser("quota", help="chỉ tiêu tin, bài hằng tháng của các đơn vị")
    q.add_argument("--month", help=HELP["month"])
    q.add_argument("--year", help=HELP["year"])
    q.add_argument("--format", default="table", help=HELP["quota_format"])
    q.add_argument("--content", default=str(paths.DEFAULT_CONTENT_DIR), help=HELP["content"])
    q.add_argument("--units", help=HELP["units"])
    q.add_argument("--output", help=HELP["report_output"])
    q.add_argument("--quota", help=HELP["quota_file"])
    n = commands.add_parser("new", help="tạo thư mục cho một tin, bài mới với index.md điền sẵn",
                            description="Tạo thư mục cho một tin, bài mới. Thiếu thông tin bắt "
                            "buộc thì hỏi từng câu.")
    for key in ("type", "unit", "topic", "title", "event", "author"):
        n.add_argument(f"--{key}", help=HELP[key])
    n.add_argument("--content", default=str(paths.DEFAULT_CONTENT_DIR), help=HELP["content"])
    r = commands.add_parser("record-submissions",
                            help="sau khi hợp nhất: ghi lúc mở pull request của các tin, bài mới")
    r.add_argument("--pull-request", required=True, help=HELP["pull_request"])
    r.add_argument("--opened-at", required=True, help=HELP["opened_at"])
    r.add_argument("--merge-commit", default="HEAD", help=HELP["merge_commit"])
    r.add_argument("--content", default=str(paths.DEFAULT_CONTENT_DIR), help=HELP["content"])
    r.add_argument("--ledger", help=HELP["ledger"])
    h = commands.add_parser("photo-hashes",
                            help="ghi lại mã nhận dạng (perceptual hash) của mọi ảnh đã đăng")
    h.add_argument("--content", default=str(paths.DEFAULT_CONTENT_DIR), help=HELP["content"])
    h.add_argument("--index", help=HELP["hash_index"])
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.command == "check":
        return check(args.paths, args.format, args.content, args.submitted_at, args.changed_from,
                     not args.no_photos)
    if args.command == "new":
        return new(args.type, args.unit, args.topic, args.title, args.event, args.author,
                   args.content)
    if args.command == "quota":
        return quota(args.month, args.year, args.format, args.content, args.units, args.output,
                     args.quota)
    if args.command == "photo-hashes":
        return photo_hashes(args.content, args.index)
    return record_submissions(args.pull_request, args.opened_at, args.merge_commit, args.content,
                              args.ledger)


if __name__ == "__main__":
    sys.exit(main())
