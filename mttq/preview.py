"""``invoke serve``: a local preview server that rebuilds when files change."""
from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

from .build import build_site
from .paths import REPO_ROOT

WATCHED = ("theme", "data", "plugins", "mttq", "pelicanconf.py")


class _Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # keep the console for build messages
        pass

    def send_error(self, code, message=None, explain=None):
        if code == 404:  # show the site's own 404 page, as a real host does
            page = Path(self.directory) / "404.html"
            if page.is_file():
                body = page.read_bytes()
                self.send_response(404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
        super().send_error(code, message, explain)


def serve_and_rebuild(content: Path, output: Path, settings_file: Path, bind: str, port: int,
                      report) -> None:
    from watchfiles import watch

    report(build_site(content, output, settings_file))
    handler = functools.partial(_Handler, directory=str(output))
    server = http.server.ThreadingHTTPServer((bind, port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"Xem trang tại http://{bind}:{port}/ (Ctrl+C để dừng)")
    paths = [content, *(REPO_ROOT / p for p in WATCHED)]
    try:
        for _changes in watch(*[p for p in paths if p.exists()]):
            report(build_site(content, output, settings_file))
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
