"""Built sites served by nginx with ``deploy/nginx/mttq.conf``, read by Chromium.

``./dev test`` installs Debian's chromium and nginx and axe-core (npm ci);
when one is missing these tests fail and say so: they never skip.

Three sites are served, each by a server block made from the repo's config
(only ``listen``, ``server_name`` and ``root`` replaced):

- ``demo``: the demo content under ``content/``;
- ``fixture``: the small fixture site of ``tests/fixture_content.py``;
- ``big``: the demo site's search page over a synthetic index of 5,000 items
  (``tests/browser/synthetic.py``), for the search's speed and ranking.
"""
from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

BROWSER_DIR = Path(__file__).resolve().parent
ROOT = BROWSER_DIR.parents[1]
NGINX_CONF = ROOT / "deploy" / "nginx" / "mttq.conf"
ARTIFACTS = ROOT / "test-artifacts"
AXE_JS = BROWSER_DIR / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
VIEWPORTS = {"phone": {"width": 360, "height": 740}, "desktop": {"width": 1280, "height": 800}}
SYNTHETIC_ITEMS = 5000


def _tool(what: str, env: str, candidates: list[str]) -> str:
    for candidate in [os.environ.get(env, ""), *candidates]:
        if candidate and (shutil.which(candidate) or Path(candidate).is_file()):
            return shutil.which(candidate) or candidate
    pytest.fail(f"{what} is missing: run ./dev test (it installs it with apt-get) or set {env}.",
                pytrace=False)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    return _tool("Chromium", "MTTQ_CHROMIUM", ["chromium", "/usr/bin/chromium", "chromium-browser"])


@pytest.fixture(scope="session")
def nginx_path() -> str:
    return _tool("nginx", "MTTQ_NGINX", ["nginx", "/usr/sbin/nginx"])


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_JS.is_file():
        pytest.fail(f"axe-core is missing ({AXE_JS}): run ./dev test (npm ci in tests/browser).",
                    pytrace=False)
    return AXE_JS.read_text(encoding="utf-8")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_block(root: Path, port: int, includes: tuple[Path, ...] = ()) -> str:
    """The repo's server block, listening on ``port`` and serving ``root``
    (with ``includes``, snippets such as ``soan-tin.conf``, inside it)."""
    conf = NGINX_CONF.read_text(encoding="utf-8")
    conf, listens = re.subn(r"^\s*listen\s+[^;]+;\n", "", conf, flags=re.M)
    conf, roots = re.subn(r"^(\s*)root\s+[^;]+;", rf"\1root {root};\n\1listen 127.0.0.1:{port};",
                          conf, count=1, flags=re.M)
    conf = re.sub(r"^(\s*)server_name\s+[^;]+;", r"\1server_name localhost;", conf, flags=re.M)
    assert listens and roots == 1, "deploy/nginx/mttq.conf must have listen and root lines"
    if includes:
        end = conf.rindex("}")
        conf = conf[:end] + "".join(f"    include {path};\n" for path in includes) + conf[end:]
    return conf


def _die_with_parent() -> None:
    """In the child: if pytest is killed, nginx gets SIGTERM too (Linux; elsewhere a no-op)."""
    try:
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


@dataclass
class Nginx:
    """One nginx (master + 1 worker) serving several sites on their own ports."""

    binary: str
    folder: Path
    sites: dict[str, Path]
    urls: dict[str, str] = field(default_factory=dict)
    includes: dict[str, tuple[Path, ...]] = field(default_factory=dict)  # site -> snippets
    process: subprocess.Popen | None = None

    def start(self) -> None:
        (self.folder / "tmp").mkdir(parents=True, exist_ok=True)
        blocks = []
        for name, root in self.sites.items():
            port = free_port()
            (self.folder / f"{name}.conf").write_text(
                server_block(root, port, self.includes.get(name, ())), encoding="utf-8")
            blocks.append(f"    include {self.folder / name}.conf;")
            self.urls[name] = f"http://127.0.0.1:{port}"
        mime = next((p for p in ("/etc/nginx/mime.types", "/usr/local/etc/nginx/mime.types",
                                 "/opt/homebrew/etc/nginx/mime.types") if Path(p).is_file()), None)
        assert mime, "nginx's mime.types not found"
        tmp = self.folder / "tmp"
        user = "user root;\n" if os.geteuid() == 0 else ""
        (self.folder / "nginx.conf").write_text(
            f"{user}worker_processes 1;\ndaemon off;\npid {self.folder}/nginx.pid;\n"
            f"error_log {self.folder}/error.log warn;\nevents {{ worker_connections 256; }}\n"
            f"http {{\n    include {mime};\n    default_type application/octet-stream;\n"
            f"    access_log {self.folder}/access.log;\n    sendfile on;\n    keepalive_timeout 30;\n"
            f"    client_body_temp_path {tmp}/body;\n    proxy_temp_path {tmp}/proxy;\n"
            f"    fastcgi_temp_path {tmp}/fastcgi;\n    uwsgi_temp_path {tmp}/uwsgi;\n"
            f"    scgi_temp_path {tmp}/scgi;\n" + "\n".join(blocks) + "\n}\n", encoding="utf-8")
        command = [self.binary, "-p", str(self.folder), "-c", str(self.folder / "nginx.conf")]
        check = subprocess.run([*command, "-t"], capture_output=True, text=True)
        assert check.returncode == 0, check.stderr
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                        preexec_fn=_die_with_parent)
        deadline = time.monotonic() + 10
        for url in self.urls.values():
            while True:
                try:
                    urllib.request.urlopen(url + "/", timeout=1).close()
                    break
                except urllib.error.HTTPError:
                    break  # it answers (a site without a home page says 404)
                except OSError:
                    if self.process.poll() is not None:
                        raise RuntimeError(f"nginx stopped: {self.process.stderr.read()}")
                    if time.monotonic() > deadline:
                        self.stop()
                        raise RuntimeError("nginx did not answer within 10 s")
                    time.sleep(0.05)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()  # SIGTERM: fast shutdown of master and worker
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _big_site(demo_output: Path, folder: Path) -> dict:
    """The demo's search page and theme over a synthetic index of 5,000 items."""
    from .synthetic import NEEDLES, synthetic_docs

    from mttq.outputs.search_index import build_index, write_index

    shutil.copytree(demo_output / "theme", folder / "theme")
    index = build_index(synthetic_docs(SYNTHETIC_ITEMS, needles=NEEDLES))
    write_index(index, folder / "tim-kiem" / index.version)
    page = (demo_output / "tim-kiem" / "index.html").read_text(encoding="utf-8")
    page, count = re.subn(r'data-index="[^"]*"', f'data-index="/tim-kiem/{index.version}/"', page)
    assert count == 1
    (folder / "tim-kiem" / "index.html").write_text(page, encoding="utf-8")
    shutil.copy(demo_output / "404.html", folder / "404.html")
    return {"docs": index.docs, "terms": index.terms, "bytes": index.total_bytes("t/")}


@pytest.fixture(scope="session")
def served(demo_site, fixture_site, nginx_path, tmp_path_factory):
    """``{"demo": url, "fixture": url, "big": url}`` served by nginx until the session ends."""
    demo_base, demo_result = demo_site
    assert demo_result.ok, demo_result.errors
    fixture_base, fixture_result, _ = fixture_site
    assert fixture_result.ok, fixture_result.errors
    big = tmp_path_factory.mktemp("big-site")
    _big_site(demo_base / "output", big)
    server = Nginx(nginx_path, tmp_path_factory.mktemp("nginx"),
                   {"demo": demo_base / "output", "fixture": fixture_base / "output", "big": big})
    try:
        server.start()
        yield server.urls
    finally:
        server.stop()


@pytest.fixture(scope="session")
def demo_output(demo_site) -> Path:
    return demo_site[0] / "output"


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request) -> str:
    return request.param


def open_context(browser, viewport: str):
    """A fresh context (empty cache) like a reader's phone or desktop."""
    phone = viewport == "phone"
    return browser.new_context(viewport=VIEWPORTS[viewport], has_touch=phone, is_mobile=phone,
                               device_scale_factor=2 if phone else 1, locale="vi-VN")


@pytest.fixture
def context(browser, viewport):
    ctx = open_context(browser, viewport)
    try:
        yield ctx
    finally:
        ctx.close()


@pytest.fixture
def page(context):
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error"
           and not m.text.startswith("Failed to load resource") else None)
    failed: list[str] = []  # sub-resources answered with an error status
    tab.on("response", lambda r: failed.append(f"{r.status} {r.url}")
           if r.status >= 400 and r.request.resource_type != "document" else None)
    tab.js_errors = errors
    tab.failed_requests = failed
    return tab


def artefact(*parts: str) -> Path:
    path = ARTIFACTS.joinpath(*parts)
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="session")
def demo_pages(demo_output) -> dict[str, str]:
    """The pages every browser test visits: home, item, topic, unit, search, 404."""
    from bs4 import BeautifulSoup

    home = BeautifulSoup((demo_output / "index.html").read_text(encoding="utf-8"), "html.parser")
    item = home.select_one(".card-title a")["href"]
    units = BeautifulSoup((demo_output / "don-vi" / "index.html").read_text(encoding="utf-8"),
                          "html.parser")
    unit = units.select_one("main a[href*='/don-vi/']")["href"]
    topic = home.select_one(".topic-block .section-title a")["href"]
    return {"home": "/", "item": item, "topic": topic, "unit": unit,
            "search": "/tim-kiem/?q=mat%20tran", "404": "/trang-khong-co/"}
