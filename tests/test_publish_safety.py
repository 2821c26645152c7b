"""A publish that fails or is killed never leaves readers without the site.

Real builds in real processes, killed with SIGKILL at the moments that matter
(``MTTQ_TEST_PAUSE_AT`` parks the build there), then the folder is served by
the real nginx with the project's configuration and read back, file by file.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from browser.conftest import Nginx
from sitefactory import write_item

ROOT = Path(__file__).resolve().parent.parent

# A build exactly as `invoke build` does it, with the caches kept in the test's folder.
BUILD = """
import sys
sys.path.insert(0, sys.argv[4])
from mttq.commands.build import build_site
content, output, cache = sys.argv[1:4]
result = build_site(content, output, None, {"MTTQ_CACHE_DIR": cache, "CACHE_PATH": cache + "/pelican"})
print("\\n".join(result.errors))
sys.exit(0 if result.ok else 1)
"""


def start_build(site: Path, pause_at: str | None = None, **env) -> subprocess.Popen:
    environment = {**os.environ, **env}
    environment.pop("MTTQ_TEST_PAUSE_AT", None)
    if pause_at:
        environment["MTTQ_TEST_PAUSE_AT"] = pause_at
        environment["MTTQ_TEST_PAUSED_FILE"] = str(site / "paused")
    return subprocess.Popen(
        [sys.executable, "-c", BUILD, str(site / "content"), str(site / "output"),
         str(site / "cache"), str(ROOT)],
        env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def run_build(site: Path) -> subprocess.CompletedProcess:
    process = start_build(site)
    out, _ = process.communicate(timeout=600)
    return subprocess.CompletedProcess(process.args, process.returncode, out)


def kill_when_paused(site: Path, pause_at: str) -> None:
    """Start a build, wait until it reaches ``pause_at``, SIGKILL it."""
    paused = site / "paused"
    paused.unlink(missing_ok=True)
    process = start_build(site, pause_at)
    deadline = time.monotonic() + 300
    while not paused.exists():
        if process.poll() is not None:
            pytest.fail(f"the build ended before reaching '{pause_at}': {process.stdout.read()}")
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"the build never reached '{pause_at}'")
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL
    paused.unlink()


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in folder.rglob("*") if p.is_file()}


EDITOR = ("bbt", "mat-khau-thu")  # the editors' pages (bien-tap/) need a password


def start_nginx(nginx_path: str, folder: Path, root: Path) -> Nginx:
    """nginx with the project's configuration serving ``root``, and an editor's account."""
    folder.mkdir(parents=True, exist_ok=True)
    hashed = subprocess.run(["openssl", "passwd", "-6", EDITOR[1]], capture_output=True,
                            text=True, check=True).stdout.strip()
    (folder / "mttq-bien-tap.htpasswd").write_text(f"{EDITOR[0]}:{hashed}\n")
    server = Nginx(nginx_path, folder, {"site": root})
    server.start()
    return server


def served_files(url: str, expected: dict[str, bytes]) -> dict[str, bytes]:
    """Every file of ``expected`` as nginx serves it now (status 200 required)."""
    import base64

    login = "Basic " + base64.b64encode(":".join(EDITOR).encode()).decode()
    got = {}
    for relative in expected:
        address = f"{url}/{relative}"
        if relative.endswith("index.html"):
            address = address[: -len("index.html")]  # the clean URL readers use
        request = urllib.request.Request(address, headers={"Authorization": login})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                got[relative] = response.read()
        except urllib.error.HTTPError as exc:
            got[relative] = f"HTTP {exc.code}".encode()
    return got


def stale_folders(site: Path) -> list[str]:
    return sorted(p.name for p in site.iterdir() if p.name.startswith(".output."))


@pytest.fixture
def site(tmp_path, nginx_path):
    """A published site (one item) served by nginx from ``output/``."""
    write_item(tmp_path / "content", "tin-dau-tien", seed=1)
    first = run_build(tmp_path)
    assert first.returncode == 0, first.stdout
    server = start_nginx(nginx_path, tmp_path / "nginx", tmp_path / "output")
    try:
        yield tmp_path, server.urls["site"]
    finally:
        server.stop()


@pytest.fixture(scope="session")
def nginx_path():
    from browser.conftest import _tool

    return _tool("nginx", "MTTQ_NGINX", ["nginx", "/usr/sbin/nginx"])


@pytest.mark.parametrize("moment, published", [
    ("staging-written", "old"),  # the new site is complete, not yet switched in
    ("switch", "old"),  # the very moment before the switch
    ("switched", "new"),  # just after it, the replaced site not yet removed
])
def test_a_build_killed_at_any_moment_leaves_a_complete_site_served(site, moment, published):
    folder, url = site
    old = snapshot(folder / "output")
    write_item(folder / "content", "tin-thu-hai", seed=2)
    kill_when_paused(folder, moment)
    now = snapshot(folder / "output")
    if published == "old":
        assert now == old
    else:
        assert any("tin-thu-hai" in name for name in now) and now != old
    # Readers get every page and photo of that site, whole.
    assert served_files(url, now) == now
    # The next build repairs everything: new site in, the killed build's folders gone.
    leftovers = stale_folders(folder)
    again = run_build(folder)
    assert again.returncode == 0, again.stdout
    assert not set(leftovers) & set(stale_folders(folder))
    new = snapshot(folder / "output")
    assert any("tin-thu-hai" in name for name in new)
    assert served_files(url, new) == new


def test_stale_folders_of_killed_builds_do_not_pile_up(site):
    folder, url = site
    write_item(folder / "content", "tin-thu-hai", seed=2)
    previous: list[str] = []
    for _ in range(4):
        kill_when_paused(folder, "staging-written")
        left = stale_folders(folder)
        # Only the build just killed left its folder: each build starts by
        # removing what the killed ones before it left.
        assert len(left) == 1 and not set(left) & set(previous)
        previous = left
    again = run_build(folder)
    assert again.returncode == 0, again.stdout
    # Gone once the next build has run (its own replaced site may still be on
    # its way out in the background).
    assert not set(previous) & set(stale_folders(folder))
    assert len(stale_folders(folder)) <= 1


def test_a_replaced_site_is_left_to_its_remover_unless_that_died(site):
    """A merge right after another: the site the first publish replaced is still
    being deleted by its detached ``rm`` when the next build starts. The next
    build leaves that folder to ``rm`` (it does not wait to delete the same
    tree again); one handed over long ago (its ``rm`` died) is deleted."""
    folder, _ = site
    fresh = folder / f".output.removing-{int(time.time())}-1"
    dead = folder / f".output.removing-{int(time.time()) - 2 * 3600}-1"
    for made in (fresh, dead):
        (made / "tin-bai").mkdir(parents=True)
        (made / "tin-bai" / "index.html").write_text("trang cũ")
    write_item(folder / "content", "tin-thu-hai", seed=2)
    again = run_build(folder)
    assert again.returncode == 0, again.stdout
    assert (fresh / "tin-bai" / "index.html").exists()  # still its remover's
    assert not dead.exists()


def test_a_build_killed_between_the_two_renames_of_the_fallback_is_repaired(site):
    """Where the system cannot swap folders in one step, the switch is two
    renames; a build killed between them left no output/, only its old copy.
    That exact state, made by hand here, is repaired by the next build even
    when that build fails, so readers get the old site back."""
    folder, url = site
    old = snapshot(folder / "output")
    os.replace(folder / "output", folder / ".output.old-123-456")
    write_item(folder / "content", "tin-loi", Unit="khong-ton-tai", seed=3)  # this build fails
    failed = run_build(folder)
    assert failed.returncode == 1 and "khong-ton-tai" in failed.stdout
    assert snapshot(folder / "output") == old
    assert served_files(url, old) == old
    assert stale_folders(folder) == []


# --- photos written short: a file-size limit, a nearly full disk ----------------------

LIMIT = 150_000  # bytes: above every page and feed of these sites, below a 1600-px JPEG


def build_with_file_size_limit(site: Path) -> subprocess.CompletedProcess:
    import resource

    def limit():  # in the child only: a real RLIMIT_FSIZE, inherited by the encoders
        resource.setrlimit(resource.RLIMIT_FSIZE, (LIMIT, LIMIT))

    return subprocess.run(
        [sys.executable, "-c", BUILD, str(site / "content"), str(site / "output"),
         str(site / "cache"), str(ROOT)],
        preexec_fn=limit, capture_output=True, text=True, timeout=600)


def broken_photos(folder: Path) -> list[str]:
    """Renditions that do not decode to the end (a truncated file)."""
    from PIL import Image

    broken = []
    for photo in sorted(folder.rglob("*")):
        if photo.suffix in (".jpg", ".webp"):
            try:
                with Image.open(photo) as image:
                    image.load()
            except OSError:
                broken.append(photo.relative_to(folder).as_posix())
    return broken


def test_a_photo_written_short_fails_the_build_and_is_encoded_again(site):
    folder, url = site
    old = snapshot(folder / "output")
    write_item(folder / "content", "tin-thu-hai", seed=2)  # a new photo to encode
    limited = build_with_file_size_limit(folder)
    assert limited.returncode == 1, limited.stdout + limited.stderr
    assert "tin-thu-hai/anh-1.jpg" in limited.stdout and "ổ đĩa đầy" in limited.stdout
    assert "Traceback" not in limited.stdout + limited.stderr
    assert snapshot(folder / "output") == old  # nothing switched in
    assert served_files(url, old) == old
    # Without the limit, the next build publishes whole photos (nothing cut short was kept).
    again = run_build(folder)
    assert again.returncode == 0, again.stdout
    photos = folder / "output" / "anh" / "tin-thu-hai"
    assert (photos / "anh-1-1600.jpg").stat().st_size > LIMIT
    assert broken_photos(folder / "output") == []


@pytest.mark.parametrize("record", ["kept", "lost"])
def test_a_damaged_cache_entry_is_never_published(site, record):
    """A cached rendition cut short later (or by a build of before the check,
    which left no record of it) is encoded again, never linked into the site."""
    folder, url = site
    cached = max((folder / "cache" / "renditions").rglob("*-1600.jpg"), key=lambda p: p.stat().st_size)
    os.truncate(cached, cached.stat().st_size // 2)
    if record == "lost":
        (folder / "cache" / "rendition-digests.json").unlink()
    assert broken_photos(folder / "cache" / "renditions")
    (folder / "content" / "tin" / "2025" / "05" / "tin-dau-tien" / "index.md").touch()
    again = run_build(folder)
    assert again.returncode == 0, again.stdout
    assert broken_photos(folder / "output") == []
    assert broken_photos(folder / "cache" / "renditions") == []
    published = snapshot(folder / "output")
    assert served_files(url, published) == published
