#!/usr/bin/env python3
"""Synthetic content for the benchmark: N items with M photos each, from a seed.

Writes a content tree in our format (``<type>/<yyyy>/<mm>/<slug>/index.md``
beside its photos, see README "Thêm một tin, bài"): Vietnamese text varied from
a vocabulary so that no two pages are alike, every topic of
``data/topics.yaml``, units of ``data/units.yaml`` active on the item's date,
both types, spread evenly over ``--years`` years up to ``--end`` (2026-06-30), a few drafts.

Photos: a small pool of photo-like scenes is drawn once with
``tools/demo_photos.make_photo`` (slow: seconds each) and cached in
``bench/out/pool-<seed>/``; every item photo is then a cheap variation of a
pool photo (a different 2000x1500 crop, a colour and brightness tweak, some
mirrored), re-encoded as a JPEG. So every photo is distinct: its content hash
differs, and the site build really encodes each one (identical files would
share the rendition cache and make a cold build look faster than it is).

With ``--shared-photos K`` (the scale cases, 20,000 items and more) only K
distinct photos are made, once (``bench/out/pool-<seed>/shared-<K>/``), and
every item photo is a hard link to one of them (a copy where links fail): the
bytes, hence the content hash, repeat across items, so a cold build encodes K
photos while every item still has its photos to read, hash, check and place.
The photo figures (encoding, checks) need distinct photos: measure them
without ``--shared-photos``.

The tree is reproducible: the same ``--items``, ``--photos`` and ``--seed``
give the same files (the text is byte-identical; photos are identical for the
same Pillow/numpy versions). With ``--git`` the tree is committed into its
own git repository (for the pull-request check, which diffs against git).

Usage::

    .venv/bin/python bench/generate.py --items 300 --photos 2 --out bench/out/site/content
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402

from mttq.registry.registries import load_topics, load_units  # noqa: E402
from mttq.core.text import slugify  # noqa: E402

OUT = ROOT / "bench" / "out"
PHOTO_SIZE = (2000, 1500)
POOL_SIZE = (2048, 1536)  # pool photos are a little larger: each item photo is a crop
BIG_SIZE = (4000, 3000)  # 12 MP, for the pull-request check
JPEG_QUALITY = 82
# The newest item's date: fixed, so that a seed always gives the same tree.
DEFAULT_END = dt.datetime(2026, 6, 30)
FORMAT_VERSION = 1  # bump when the generated text or photos change

# --- vocabulary ------------------------------------------------------------------

PLACES = [
    "xã Đại Tâm", "xã Tham Đôn", "phường 5", "phường 2", "xã Lịch Hội Thượng", "xã An Thạnh 3",
    "thị trấn Mỹ Xuyên", "xã Vĩnh Hải", "xã Thuận Hưng", "ấp Prey Chóp", "xã Hồ Đắc Kiện",
    "xã Long Đức", "xã Phú Tâm", "xã Thạnh Thới An", "xã Ngọc Tố", "xã Lai Hòa", "xã Mỹ Phước",
    "xã Đại Ân 2", "thị trấn Kế Sách", "xã An Lạc Tây", "xã Vĩnh Quới", "phường Khánh Hòa",
    "ấp Sóc Vồ", "ấp Tân Lộc", "khóm 3", "xã Trung Bình", "xã Song Phụng", "xã Hưng Lợi",
]
WHEN = ["Sáng {d}/{m}", "Chiều {d}/{m}", "Ngày {d}/{m}/{y}", "Tối {d}/{m}", "Vừa qua"]
ACTIONS = [
    ("tổ chức", "hội nghị đối thoại giữa người đứng đầu cấp ủy, chính quyền với Nhân dân"),
    ("bàn giao", "{n} căn nhà Đại đoàn kết cho hộ nghèo"),
    ("khởi công", "{n} căn nhà Đại đoàn kết cho hộ nghèo, hộ cận nghèo"),
    ("trao tặng", "{n} suất quà cho hộ gia đình có hoàn cảnh khó khăn"),
    ("trao", "{n} suất học bổng cho học sinh nghèo vượt khó"),
    ("ra mắt", "mô hình “Khu dân cư văn minh, an toàn”"),
    ("ra mắt", "tổ Zalo Mặt trận ở khu dân cư"),
    ("tổng kết", "cuộc vận động “Toàn dân đoàn kết xây dựng nông thôn mới, đô thị văn minh”"),
    ("triển khai", "cuộc vận động “Người Việt Nam ưu tiên dùng hàng Việt Nam”"),
    ("giám sát", "việc thực hiện dân chủ ở cơ sở"),
    ("giám sát", "việc thực hiện chính sách bảo hiểm y tế cho người nghèo"),
    ("tổ chức", "Ngày hội Đại đoàn kết toàn dân tộc ở khu dân cư"),
    ("phản biện", "dự thảo nghị quyết về chính sách hỗ trợ hộ nghèo"),
    ("tập huấn", "nghiệp vụ công tác Mặt trận cho {n} cán bộ cơ sở"),
    ("tiếp xúc", "cử tri trước kỳ họp Hội đồng nhân dân tỉnh"),
    ("hỗ trợ", "{n} hộ dân khắc phục hậu quả thiên tai"),
    ("khánh thành", "cây cầu giao thông nông thôn dài {n} mét"),
    ("vận động", "Quỹ “Vì người nghèo” được {n} triệu đồng"),
    ("thăm, chúc Tết", "đồng bào Khmer nhân dịp Tết Chôl Chnăm Thmây"),
    ("gặp mặt", "người có uy tín trong đồng bào dân tộc thiểu số"),
    ("phát động", "phong trào thi đua bảo vệ môi trường, ứng phó biến đổi khí hậu"),
    ("trồng", "{n} cây xanh trên các tuyến đường nông thôn"),
    ("tuyên dương", "{n} gương điển hình tiên tiến trong phong trào thi đua yêu nước"),
    ("giao lưu", "hữu nghị với nhân dân tỉnh bạn Campuchia"),
]
SENTENCES = [
    "Tham dự có đại diện lãnh đạo Ủy ban MTTQ Việt Nam tỉnh, các tổ chức thành viên và đông đảo Nhân dân trên địa bàn.",
    "Theo báo cáo, thời gian qua các cấp Mặt trận đã phối hợp chặt chẽ với chính quyền địa phương triển khai nhiều hoạt động thiết thực.",
    "Toàn huyện đã vận động được hơn {n} triệu đồng ủng hộ Quỹ “Vì người nghèo”, hỗ trợ xây dựng và sửa chữa {k} căn nhà.",
    "Ban Công tác Mặt trận ở khu dân cư giữ vai trò nòng cốt trong việc nắm bắt tâm tư, nguyện vọng của Nhân dân.",
    "Nhiều ý kiến, kiến nghị của cử tri về giao thông nông thôn, nước sạch và an ninh trật tự đã được giải đáp ngay tại hội nghị.",
    "Đây là hoạt động ý nghĩa, thể hiện truyền thống tương thân tương ái, “lá lành đùm lá rách” của dân tộc.",
    "Mỗi căn nhà có tổng kinh phí khoảng {n} triệu đồng, trong đó Quỹ “Vì người nghèo” hỗ trợ {k} triệu đồng, phần còn lại do gia đình đối ứng và bà con chòm xóm giúp ngày công.",
    "Phát biểu tại buổi lễ, lãnh đạo địa phương ghi nhận sự đóng góp của các nhà hảo tâm và đề nghị các hộ được hỗ trợ tiếp tục phấn đấu vươn lên thoát nghèo bền vững.",
    "Qua giám sát, đoàn chỉ ra một số hạn chế như việc niêm yết công khai ở một số ấp chưa thường xuyên, một số kiến nghị chưa được phản hồi đúng hạn.",
    "Các đại biểu đã thảo luận sôi nổi, đóng góp nhiều ý kiến tâm huyết để hoàn thiện dự thảo trước khi trình cấp có thẩm quyền.",
    "Mô hình đã góp phần giữ gìn an ninh trật tự, xây dựng nếp sống văn minh ở khu dân cư.",
    "Đến nay, trên địa bàn đã có {k} ấp, khóm đạt chuẩn khu dân cư văn minh, chiếm hơn {n}% tổng số ấp, khóm.",
    "Dịp này, ban tổ chức đã trao giấy khen cho {k} tập thể và {n} cá nhân có thành tích xuất sắc.",
    "Bà con đồng bào Khmer phấn khởi, tin tưởng vào sự quan tâm của Đảng, Nhà nước và Mặt trận các cấp.",
    "Các tổ chức thành viên cam kết tiếp tục phối hợp, vận động hội viên, đoàn viên tích cực tham gia các phong trào của địa phương.",
    "Hoạt động nhằm thiết thực chào mừng kỷ niệm Ngày truyền thống Mặt trận Tổ quốc Việt Nam 18/11.",
    "Thông tin về hoạt động được đăng tải trên trang Zalo của Ban Công tác Mặt trận để bà con cùng theo dõi.",
    "Lãnh đạo Ủy ban MTTQ Việt Nam tỉnh đề nghị địa phương tiếp tục đổi mới nội dung, phương thức hoạt động, hướng mạnh về cơ sở.",
    "Kết quả giám sát sẽ được tổng hợp, kiến nghị với các cơ quan có thẩm quyền xem xét, giải quyết.",
    "Nhờ sự chung tay của cả cộng đồng, nhiều tuyến đường nông thôn đã được bê tông hóa, thuận tiện cho việc đi lại của bà con.",
    "Ông {name}, một người dân trong ấp, chia sẻ: “Gia đình tôi rất vui mừng khi được Mặt trận quan tâm giúp đỡ.”",
    "Năm nay, địa phương phấn đấu giảm tỷ lệ hộ nghèo xuống dưới {k}%, không để hộ nghèo nào bị bỏ lại phía sau.",
    "Hội nghị cũng đã thống nhất chương trình phối hợp thống nhất hành động giữa các tổ chức thành viên năm tới.",
    "Các hộ được hỗ trợ đều là hộ nghèo, hộ có hoàn cảnh đặc biệt khó khăn về nhà ở, được Ban Công tác Mặt trận bình xét công khai, dân chủ.",
]
CAPTIONS = [
    "Quang cảnh {event} tại {place}",
    "Lãnh đạo Ủy ban MTTQ Việt Nam trao quà cho bà con tại {place}",
    "Đại biểu phát biểu tại {event}",
    "Bà con {place} phấn khởi tham gia {event}",
    "Đoàn công tác thăm hỏi gia đình chính sách tại {place}",
    "Các đại biểu chụp ảnh lưu niệm tại {place}",
]
NAMES = [
    "Nguyễn Thị Lan", "Trần Văn Hùng", "Lê Thị Hồng", "Châu Ngọc Hiền", "Thạch Sô Phol",
    "Lâm Thị Sa Rươne", "Phạm Minh Tuấn", "Huỳnh Văn Đức", "Võ Thị Kim Ngân", "Sơn Thị Pha Ly",
    "Đặng Quốc Việt", "Trương Thị Mỹ Duyên", "Kim Sóc Khom", "Dương Văn Tài",
]
TAGS = [
    "Vì người nghèo", "Nhà đại đoàn kết", "Nông thôn mới", "Đô thị văn minh", "Giám sát",
    "Phản biện xã hội", "Dân chủ ở cơ sở", "Đồng bào Khmer", "Người có uy tín", "An sinh xã hội",
    "Học bổng", "Tết Chôl Chnăm Thmây", "Ngày hội Đại đoàn kết", "Hàng Việt Nam", "Môi trường",
    "Biến đổi khí hậu", "An toàn giao thông", "Tôn giáo", "Thanh tra nhân dân", "Cử tri",
    "Đối ngoại nhân dân", "Campuchia", "Chuyển đổi số", "Zalo Mặt trận", "Khu dân cư",
    "Phụ nữ", "Thanh niên", "Cựu chiến binh", "Nông dân", "Công đoàn", "Thiên tai", "Bảo hiểm y tế",
    "Nước sạch", "Giao thông nông thôn", "Thi đua yêu nước", "Gương điển hình", "Đại hội Mặt trận",
    "Tập huấn", "Kiều bào", "Phòng chống tham nhũng", "Xây dựng Đảng", "Lúa giảm phát thải",
]


def _rng(seed: int, *parts) -> random.Random:
    return random.Random(f"{seed}:" + ":".join(str(p) for p in parts))


def _fill(text: str, r: random.Random, **values) -> str:
    return text.format(n=r.randint(2, 120), k=r.randint(2, 40), name=r.choice(NAMES), **values)


# --- items -----------------------------------------------------------------------

def item_dates(count: int, years: int, seed: int, end: dt.datetime) -> list[dt.datetime]:
    """``count`` publication times spread evenly over ``years`` years up to ``end``."""
    start = end - dt.timedelta(days=365 * years)
    span = (end - start).total_seconds()
    dates = []
    for i in range(count):
        r = _rng(seed, "date", i)
        when = start + dt.timedelta(seconds=span * (i + r.random()) / max(count, 1))
        dates.append(when.replace(hour=r.choice((7, 8, 9, 10, 14, 15, 16, 20)),
                                  minute=r.choice((0, 15, 30, 45)), second=0, microsecond=0))
    return dates


def make_item(i: int, when: dt.datetime, photos: int, seed: int, topics, units,
              used_slugs: set[str]) -> dict:
    """One item's text, metadata and photo names (no file written)."""
    r = _rng(seed, "item", i)
    day = when.date()
    # Active on the publication day and on the earliest event day (26 h before),
    # as the check judges a unit at the event; across 01/07/2025 no unit is both.
    earliest = (when - dt.timedelta(hours=26)).date()
    active = [u for u in units.values() if u.active_on(day) and u.active_on(earliest)] or \
        [u for u in units.values() if u.active_on(day)]
    unit = active[r.randrange(len(active))]
    topic = list(topics.values())[i % len(topics)] if i < len(topics) else r.choice(list(topics.values()))
    kind = "bai" if r.random() < 0.3 else "tin"
    place = r.choice(PLACES)
    verb, obj = r.choice(ACTIONS)
    obj = _fill(obj, r)
    short_unit = unit.name.replace("Ủy ban MTTQ Việt Nam ", "").replace("Ủy ban MTTQ ", "")
    if kind == "tin":
        title = f"{short_unit[:1].upper()}{short_unit[1:]} {verb} {obj} tại {place}"
    else:
        title = f"{place[:1].upper()}{place[1:]}: {verb} {obj}, {r.choice(['chuyện từ cơ sở', 'dấu ấn Mặt trận', 'ý Đảng hợp lòng dân', 'khi dân tin, dân theo', 'những con số biết nói'])}"
    base = slugify(title)
    slug = base
    while slug in used_slugs:
        slug = f"{base[:70].rstrip('-')}-{i}"
    used_slugs.add(slug)
    event = when - dt.timedelta(hours=r.choice((3, 5, 20, 26)))
    if unit.valid_from and event.date() < unit.valid_from:  # a unit begun that day
        event = event.replace(year=when.year, month=when.month, day=when.day, hour=0, minute=0)
    opening = _fill(r.choice(WHEN), r, d=event.day, m=event.month, y=event.year)
    first = f"{opening}, {unit.name} {verb} {obj} tại {place}."
    paragraphs = [first]
    for _ in range(r.randint(3, 7) + (3 if kind == "bai" else 0)):
        sentences = r.sample(SENTENCES, r.randint(2, 4))
        paragraphs.append(" ".join(_fill(s, r) for s in sentences))
    names = [f"anh-{p + 1}.jpg" for p in range(photos)]
    event_name = f"{verb} {obj}"
    for p, name in enumerate(names):
        caption = _fill(r.choice(CAPTIONS), r, event=event_name, place=place)
        position = min(len(paragraphs), 1 + p * 2)
        paragraphs.insert(position, f"![{caption}]({name})")
    summary = f"{unit.name} {verb} {obj} tại {place}."
    tags = r.sample(TAGS, r.randint(1, 3))
    fields = {
        "Title": title,
        "Type": kind,
        "Category": topic.key,
        "Unit": unit.key,
        "Author": r.choice(NAMES),
    }
    with_event = r.random() < 0.6
    if with_event:
        fields["Event_date"] = f"{event:%Y-%m-%d %H:%M}"
    fields["Date"] = f"{when:%Y-%m-%d %H:%M}"
    if with_event:
        fields["Submitted"] = f"{event + dt.timedelta(hours=2):%Y-%m-%d %H:%M}"
    fields["Summary"] = summary
    fields["Tags"] = ", ".join(tags)
    if r.random() < 0.005:
        fields["Status"] = "draft"
    header = "\n".join(f"{k}: {v}" for k, v in fields.items())
    text = header + "\n\n" + "\n\n".join(paragraphs) + "\n"
    return {"index": i, "slug": slug, "type": kind, "folder": f"{kind}/{when:%Y}/{when:%m}/{slug}",
            "text": text, "photos": names}


# --- photos ----------------------------------------------------------------------

def pool_dir(seed: int) -> Path:
    return OUT / f"pool-{seed}"


def _draw_pool_photo(args) -> str:
    from tools.demo_photos import SCENES, make_photo

    path, seed, k, size = args
    if not Path(path).exists():
        tmp = f"{path}.{os.getpid()}.tmp.jpg"
        make_photo(tmp, f"bench-{seed}-{k}", size=size, scene=SCENES[k % len(SCENES)],
                   quality=90, exif=False)
        os.replace(tmp, path)
    return path


def ensure_pool(seed: int, count: int, workers: int, big: int = 0) -> tuple[list[Path], list[Path]]:
    """The pool photos (``count`` at 2048x1536) and ``big`` 12-MP photos, drawn once."""
    folder = pool_dir(seed)
    folder.mkdir(parents=True, exist_ok=True)
    jobs = [(str(folder / f"pool-{k:03d}.jpg"), seed, k, POOL_SIZE) for k in range(count)]
    jobs += [(str(folder / f"big-{k}.jpg"), seed, 1000 + k, BIG_SIZE) for k in range(big)]
    missing = [j for j in jobs if not Path(j[0]).exists()]
    if missing:
        print(f"  vẽ {len(missing)} ảnh gốc (tools/demo_photos.py) …", flush=True)
        with ProcessPoolExecutor(max_workers=workers) as pool:
            list(pool.map(_draw_pool_photo, missing))
    paths = [Path(j[0]) for j in jobs]
    return paths[:count], paths[count:]


_POOL_CACHE: dict[str, Image.Image] = {}


def _pool_image(path: str) -> Image.Image:
    image = _POOL_CACHE.get(path)
    if image is None:
        image = Image.open(path)
        image.load()
        _POOL_CACHE[path] = image
    return image


def variant(pool_path: str, target: str, seed: int, key: str,
            size: tuple[int, int] = PHOTO_SIZE) -> None:
    """A distinct photo from a pool photo: crop window, colour/brightness, mirror."""
    rng = np.random.default_rng(_stable(seed, key))
    image = _pool_image(pool_path)
    width, height = size
    x = int(rng.integers(0, image.width - width + 1))
    y = int(rng.integers(0, image.height - height + 1))
    out = image.crop((x, y, x + width, y + height))
    gains = rng.uniform(0.93, 1.07, 3) * rng.uniform(0.95, 1.05)
    lut = []
    for gain in gains:
        lut.extend(min(255, int(v * gain + 0.5)) for v in range(256))
    out = out.point(lut)
    if rng.random() < 0.5:
        out = out.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    tmp = f"{target}.{os.getpid()}.tmp"
    out.save(tmp, "JPEG", quality=JPEG_QUALITY)
    os.replace(tmp, target)


def _stable(seed: int, key: str) -> int:
    import hashlib

    return int.from_bytes(hashlib.sha256(f"{seed}:{key}".encode()).digest()[:8], "big")


def _variant_batch(batch) -> int:
    for pool_path, target, seed, key in batch:
        variant(pool_path, target, seed, key)
    return len(batch)


def shared_photos(seed: int, count: int, pool_paths: list[Path], workers: int) -> list[Path]:
    """``count`` distinct photos made once, for ``--shared-photos``."""
    folder = pool_dir(seed) / f"shared-{count}"
    paths = [folder / f"shared-{k:04d}.jpg" for k in range(count)]
    missing = [(str(pool_paths[k % len(pool_paths)]), str(path), seed, f"shared/{k}")
               for k, path in enumerate(paths) if not path.exists()]
    if missing:
        folder.mkdir(parents=True, exist_ok=True)
        write_photos(missing, workers)
    return paths


def link_photos(jobs: list[tuple[Path, Path]]) -> None:
    """Item photos as hard links to the shared photos (copies where links fail)."""
    for source, target in jobs:
        try:
            os.link(source, target)
        except OSError:
            shutil.copyfile(source, target)


def write_photos(jobs: list[tuple[str, str, int, str]], workers: int) -> None:
    if not jobs:
        return
    # Group by pool photo so that each worker decodes a pool photo once.
    jobs = sorted(jobs, key=lambda j: j[0])
    size = max(1, min(200, len(jobs) // (workers * 4) or 1))
    batches = [jobs[i:i + size] for i in range(0, len(jobs), size)]
    done = 0
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for count in pool.map(_variant_batch, batches):
            done += count
            if done % 2000 < count:
                print(f"  ảnh {done}/{len(jobs)} ({time.perf_counter() - started:.0f} s)", flush=True)


# --- the tree ----------------------------------------------------------------------

PAGES = {
    "gioi-thieu": ("Giới thiệu", "Trang thông tin điện tử của Ủy ban MTTQ Việt Nam tỉnh."),
    "lien-he": ("Liên hệ", "Ban Biên tập trang thông tin điện tử Ủy ban MTTQ Việt Nam tỉnh."),
    "gui-tin-bai": ("Gửi tin, bài", "Cộng tác viên gửi tin, bài qua pull request."),
}


def generate(out: Path, items: int, photos: int, seed: int, years: int = 10, pool: int = 24,
             workers: int | None = None, end: dt.datetime | None = None, git: bool = False,
             quiet: bool = False, shared: int = 0) -> dict:
    """Write the content tree into ``out`` (reused when already complete).

    ``shared``: only that many distinct photos, linked into every item (see
    the module's docstring); 0: every photo distinct."""
    out = Path(out)
    workers = workers or os.cpu_count() or 1
    end = end or DEFAULT_END
    params = {"format": FORMAT_VERSION, "items": items, "photos": photos, "seed": seed,
              "years": years, "pool": pool, "end": end.date().isoformat(), "git": git}
    if shared:
        params["shared_photos"] = shared  # (absent otherwise: older trees stay valid)
    stamp = out / ".bench-complete.json"
    if stamp.exists():
        try:
            done = json.loads(stamp.read_text())
        except ValueError:
            done = {}
        if done.get("params") == params:
            return done
    say = (lambda *a: None) if quiet else (lambda *a: print(*a, flush=True))
    started = time.perf_counter()
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    topics = load_topics(ROOT / "data" / "topics.yaml")
    units = load_units(ROOT / "data" / "units.yaml")
    pool_paths, _ = ensure_pool(seed, pool, workers)
    shared_paths = shared_photos(seed, shared, pool_paths, workers) if shared else []
    used: set[str] = set()
    photo_jobs = []
    link_jobs = []
    records = []
    for i, when in enumerate(item_dates(items, years, seed, end)):
        item = make_item(i, when, photos, seed, topics, units, used)
        folder = out / item["folder"]
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "index.md").write_text(item["text"], encoding="utf-8")
        for p, name in enumerate(item["photos"]):
            if shared_paths:
                link_jobs.append((shared_paths[(i * photos + p) % len(shared_paths)], folder / name))
                continue
            source = pool_paths[(i * photos + p) % len(pool_paths)]
            photo_jobs.append((str(source), str(folder / name), seed, f"{item['slug']}/{name}"))
        records.append({"slug": item["slug"], "folder": item["folder"], "type": item["type"]})
    (out / "pages").mkdir(exist_ok=True)
    for slug, (title, body) in PAGES.items():
        (out / "pages" / f"{slug}.md").write_text(f"Title: {title}\nSlug: {slug}\n\n{body}\n",
                                                 encoding="utf-8")
    if shared_paths:
        say(f"  {items} tin, bài; {len(link_jobs)} ảnh, {len(shared_paths)} ảnh khác nhau …")
        link_photos(link_jobs)
    else:
        say(f"  {items} tin, bài; {len(photo_jobs)} ảnh …")
        write_photos(photo_jobs, workers)
    timings = {"files": round(time.perf_counter() - started, 1)}
    if git:
        commit_all(out)
        timings["git"] = round(time.perf_counter() - started - timings["files"], 1)
    result = {"params": params, "items": records, "photos": len(photo_jobs) + len(link_jobs),
              "distinct_photos": len(shared_paths) or len(photo_jobs), "timings": timings,
              "seconds": round(time.perf_counter() - started, 1)}
    stamp.write_text(json.dumps(result, ensure_ascii=False))
    say(f"  xong trong {result['seconds']} s")
    return result


def add_item(out: Path, index: int, when: dt.datetime, photos: int, seed: int,
             sources: list[Path] | None = None) -> Path:
    """One more item (the benchmark's "add one item"), with distinct photos:
    variations of pool photos, or copies of ``sources`` (e.g. 12-MP photos)."""
    topics = load_topics(ROOT / "data" / "topics.yaml")
    units = load_units(ROOT / "data" / "units.yaml")
    used = {p.name for p in Path(out).glob("*/*/*/*") if p.is_dir()}
    item = make_item(index, when, photos, seed, topics, units, used)
    folder = Path(out) / item["folder"]
    folder.mkdir(parents=True, exist_ok=True)
    pool_paths, _ = ensure_pool(seed, 24, os.cpu_count() or 1)
    for p, name in enumerate(item["photos"]):
        if sources:
            shutil.copyfile(sources[p % len(sources)], folder / name)
        else:
            variant(str(pool_paths[(index * photos + p) % len(pool_paths)]), str(folder / name),
                    seed, f"{item['slug']}/{name}")
    (folder / "index.md").write_text(item["text"], encoding="utf-8")
    return folder / "index.md"


GIT_ENV = {
    "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.invalid",
    "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@example.invalid",
    "GIT_AUTHOR_DATE": "2025-01-01T00:00:00+07:00", "GIT_COMMITTER_DATE": "2025-01-01T00:00:00+07:00",
}


def git(folder: Path, *args: str, **kwargs) -> str:
    env = {**os.environ, **GIT_ENV}
    return subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True,
                          text=True, env=env, **kwargs).stdout


def commit_all(folder: Path) -> None:
    """Commit the tree into its own repository (JPEGs stored without recompression)."""
    (folder / ".gitignore").write_text(".bench-complete.json\n")
    git(folder, "init", "-q", "-b", "main")
    git(folder, "-c", "core.compression=0", "-c", "core.looseCompression=0", "add", "-A")
    git(folder, "commit", "-q", "-m", "bench content")
    # Files written in the same second as the index are "racily clean": git would
    # read them all again at the first diff. A refresh a second later settles them.
    time.sleep(1.1)
    git(folder, "update-index", "-q", "--refresh")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=300)
    parser.add_argument("--photos", type=int, default=2, help="photos per item")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--pool", type=int, default=24, help="distinct drawn scenes")
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--end", type=dt.date.fromisoformat, default=DEFAULT_END.date(),
                        help="date of the newest item (YYYY-MM-DD)")
    parser.add_argument("--shared-photos", type=int, default=0, metavar="K",
                        help="only K distinct photos, linked into every item (scale cases)")
    parser.add_argument("--git", action="store_true", help="commit the tree into its own repo")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    end = dt.datetime.combine(args.end, dt.time())
    generate(args.out, args.items, args.photos, args.seed, args.years, args.pool, args.workers,
             end=end, git=args.git, shared=args.shared_photos)
    return 0


if __name__ == "__main__":
    sys.exit(main())
