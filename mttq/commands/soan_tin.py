"""The web form's local git mode: decap-server, plus the check's verdict.

On an office's forge, saving the form opens a pull request, CI runs the check
on it and a commit status carries the verdict back to the form (Decap shows
it as the “Kết quả kiểm tra” link; docs/soan-tin.md). On one computer, with no
forge (``invoke soan-tin``, and the browser tests), the same happens here:

- Decap's own ``decap-server`` (npm, ``cms/``), in its ``git`` mode, saves each
  submission as a branch ``cms/tin-bai/<type>/<yyyy>/<mm>/<slug>/index`` of a
  local repository: the branch a pull request would be opened from;
- this small server stands in front of it on the form's address and answers
  one request itself, ``getDeployPreview`` (the “status” of a branch, which
  decap-server leaves empty): it runs the very check of a pull request
  (``invoke check --changed-from main``) on the branch's newest commit and
  serves the verdict, in Vietnamese, at ``/ket-qua/<commit>.html``.

Written here because decap-server has no hook for a status; everything else
is forwarded to it unchanged. It listens on loopback only.
"""
from __future__ import annotations

import html
import json
import logging
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import markdown

from mttq.intake.cms_config import CMS_DIR

log = logging.getLogger(__name__)

DECAP_SERVER = CMS_DIR / "node_modules" / "decap-server" / "dist" / "index.js"
CMS_BRANCH_PREFIX = "cms"
_LOCAL_ORIGIN = re.compile(r"^https?://(localhost|127\.0\.0\.1)(:\d+)?$")
_COMMIT = re.compile(r"^[0-9a-f]{40}$")
PREVIEW_WAIT = 90  # seconds a status request waits for the check
MAX_REQUEST_BYTES = 60 * 1024 * 1024  # decap-server itself takes 50 MB of JSON


class FormServerError(RuntimeError):
    """The local form server could not start; the message says why (Vietnamese)."""


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _die_with_parent() -> None:
    """In the child: decap-server gets SIGTERM when this process dies (Linux; elsewhere
    a no-op), so a killed ``invoke soan-tin`` leaves no server behind."""
    try:
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True,
                          check=True).stdout


class Verdicts:
    """The check's verdict of each commit of the form's branches, made once each."""

    def __init__(self, repo: Path, base: str, check):
        self.repo = repo
        self.base = base
        self.check = check  # (content_root) -> (ok, markdown summary)
        self.results: dict[str, tuple[bool, str]] = {}
        self.running: dict[str, threading.Event] = {}
        self.lock = threading.Lock()

    def state(self, commit: str, wait: float = 0) -> tuple[bool, str] | None:
        """The verdict, or None while it is being made (it is started if need be),
        waiting up to ``wait`` seconds for it."""
        with self.lock:
            if commit in self.results:
                return self.results[commit]
            done = self.running.get(commit)
            if done is None:
                done = self.running[commit] = threading.Event()
                threading.Thread(target=self._make, args=(commit, done), daemon=True).start()
        done.wait(wait)
        return self.results.get(commit)

    def _make(self, commit: str, done: threading.Event) -> None:
        folder = Path(tempfile.mkdtemp(prefix="soan-tin-check-"))
        tree = folder / "tree"
        try:
            # A worktree of its own: decap-server switches branches in the repository's.
            _git(self.repo, "worktree", "add", "--quiet", "--detach", str(tree), commit)
            result = self.check(tree / "content", self.base)
        except Exception as exc:  # the verdict page says it; the server goes on
            log.exception("check of %s failed", commit)
            result = (False, f"## ❌ Không kiểm tra được tin, bài\n\n{exc}\n")
        finally:
            subprocess.run(["git", "-C", str(self.repo), "worktree", "remove", "--force", str(tree)],
                           capture_output=True)
            shutil.rmtree(folder, ignore_errors=True)
        with self.lock:
            self.results[commit] = result
            self.running.pop(commit, None)
        done.set()


def run_check(content_root: Path, base: str) -> tuple[bool, str]:
    """``invoke check --changed-from <base>`` on a branch's tree, as CI runs it on a
    pull request (the deadline judged on the branch's first commit)."""
    from mttq.commands import cli
    from mttq.commands.formats import format_markdown

    report = cli.run_check([], str(content_root), changed_from=base)
    return report.ok, format_markdown(report)


def verdict_page(commit: str, ok: bool, summary: str) -> str:
    body = markdown.markdown(summary, extensions=["markdown.extensions.extra"])
    advice = ("Ban Biên tập sẽ duyệt và đăng tin, bài." if ok else
              "Sửa các lỗi trên trong biểu mẫu (mở lại tin, bài ở mục “Đang chờ duyệt”), "
              "bấm “Lưu và gửi”; máy sẽ kiểm tra lại.")
    return f"""<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="robots" content="noindex">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{"Đạt" if ok else "Chưa đạt"} — Kết quả kiểm tra tin, bài</title>
<style>body{{font:16px/1.5 system-ui,sans-serif;max-width:44rem;margin:1rem auto;padding:0 1rem;
color:#1a1a1a}} code{{background:#f0f0f0;padding:0 .2em}} h2{{font-size:1.3rem}}
h3{{font-size:1rem;word-break:break-all}}</style></head>
<body><main>
<p class="verdict" data-ok="{str(ok).lower()}"><strong>{"Đạt" if ok else "Chưa đạt"}</strong>
(lần lưu {html.escape(commit[:10])})</p>
{body}
<p>{advice}</p>
</main></body></html>
"""


def _handler(server: "FormServer"):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, fmt, *args):  # quiet: decap-server logs its own
            log.debug(fmt, *args)

        def _cors(self):
            origin = self.headers.get("Origin", "")
            if _LOCAL_ORIGIN.match(origin):
                self.send_header("Access-Control-Allow-Origin", origin)
                self.send_header("Vary", "Origin")

        def _send(self, status: int, body: bytes, content_type: str):
            self.send_response(status)
            self._cors()
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def do_OPTIONS(self):  # noqa: N802 (http.server's names)
            self.send_response(204)
            self._cors()
            self.send_header("Access-Control-Allow-Methods", "POST, GET, OPTIONS")
            self.send_header("Access-Control-Allow-Headers", "Content-Type")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_GET(self):  # noqa: N802
            match = re.fullmatch(r"/ket-qua/([0-9a-f]{40})\.html", self.path)
            result = server.verdicts.results.get(match[1]) if match else None
            if result is None:
                self._send(404, "Không có kết quả kiểm tra này.".encode(), "text/plain; charset=utf-8")
                return
            self._send(200, verdict_page(match[1], *result).encode("utf-8"),
                       "text/html; charset=utf-8")

        def do_POST(self):  # noqa: N802
            length = int(self.headers.get("Content-Length") or 0)
            if self.path.rstrip("/") != "/api/v1" or length > MAX_REQUEST_BYTES:
                self._send(413 if length > MAX_REQUEST_BYTES else 404, b"{}", "application/json")
                return
            raw = self.rfile.read(length)
            try:
                request = json.loads(raw or b"{}")
            except ValueError:
                self._send(400, b'{"error":"bad json"}', "application/json")
                return
            if isinstance(request, dict) and request.get("action") == "getDeployPreview":
                self._send(200, json.dumps(server.preview(request.get("params") or {})).encode(),
                           "application/json")
                return
            forward = urllib.request.Request(server.decap_url, data=raw, method="POST",
                                             headers={"Content-Type": "application/json"})
            try:
                with urllib.request.urlopen(forward, timeout=120) as answer:
                    status, body = answer.status, answer.read()
            except urllib.error.HTTPError as exc:
                status, body = exc.code, exc.read()
            self._send(status, body, "application/json; charset=utf-8")
            if status == 200 and isinstance(request, dict) and request.get("action") == "persistEntry":
                server.saved(request.get("params") or {})

    return Handler


class FormServer:
    """decap-server (git mode) on a private port, this server on ``port``."""

    def __init__(self, repo: Path, port: int = 8081, base: str = "main", check=run_check,
                 node: str | None = None):
        self.repo = Path(repo).resolve()
        self.port = port
        self.base = base
        self.node = node or shutil.which("node") or "node"
        self.verdicts = Verdicts(self.repo, base, check)
        self.decap_port = _free_port()
        self.decap_url = f"http://127.0.0.1:{self.decap_port}/api/v1"
        self.process: subprocess.Popen | None = None
        self.httpd: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v1"

    def preview(self, params: dict):
        """Decap's ``getDeployPreview``: the verdict of the branch's newest commit."""
        collection, slug = str(params.get("collection", "")), str(params.get("slug", ""))
        branch = f"{CMS_BRANCH_PREFIX}/{collection}/{slug}"
        try:
            commit = _git(self.repo, "rev-parse", "--verify", "--quiet", branch).strip()
        except subprocess.CalledProcessError:
            return None
        if not _COMMIT.match(commit):
            return None
        # Decap asks once after a save (three times, 5 s apart): the answer waits
        # for the check, as a forge's commit status would appear when CI ends.
        result = self.verdicts.state(commit, wait=PREVIEW_WAIT)
        if result is None:
            return None  # not yet: Decap may ask again
        return {"url": f"http://127.0.0.1:{self.port}/ket-qua/{commit}.html", "status": "SUCCESS"}

    def saved(self, params: dict) -> None:
        """A submission was saved: start its check now, as CI starts on a push."""
        entry = params.get("entry") or (params.get("dataFiles") or [{}])[0]
        collection = (params.get("options") or {}).get("collectionName")
        if isinstance(entry, dict) and entry.get("slug") and collection:
            threading.Thread(target=self.preview, daemon=True,
                             args=({"collection": collection, "slug": entry["slug"]},)).start()

    def start(self) -> "FormServer":
        if not DECAP_SERVER.is_file():
            raise FormServerError(f"Chưa cài decap-server ({DECAP_SERVER}): chạy ./dev demo "
                                  "hoặc npm ci --prefix cms.")
        try:
            _git(self.repo, "rev-parse", "--verify", "--quiet", self.base)
        except (OSError, subprocess.CalledProcessError) as exc:
            raise FormServerError(f"'{self.repo}' không phải kho git có nhánh '{self.base}'.") from exc
        env = {**os.environ, "MODE": "git", "GIT_REPO_DIRECTORY": str(self.repo),
               "PORT": str(self.decap_port), "BIND_HOST": "127.0.0.1", "LOG_LEVEL": "warn"}
        self.process = subprocess.Popen([self.node, str(DECAP_SERVER)], env=env, cwd=self.repo,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                        preexec_fn=_die_with_parent)
        deadline = time.monotonic() + 20
        while True:
            try:
                ping = urllib.request.Request(self.decap_url, data=b'{"action":"info"}',
                                              headers={"Content-Type": "application/json"})
                urllib.request.urlopen(ping, timeout=1).close()
                break
            except urllib.error.HTTPError:
                break
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise FormServerError("decap-server không khởi động được: "
                                          + (self.process.stderr.read().decode(errors="replace")
                                             if self.process.stderr else ""))
                time.sleep(0.1)
        self.httpd = ThreadingHTTPServer(("127.0.0.1", self.port), _handler(self))
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.httpd is not None:
            self.httpd.shutdown()
            self.httpd.server_close()
            self.httpd = None
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
