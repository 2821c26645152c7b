"""`invoke deploy` / `invoke rollback` end to end: a real SSH server on
127.0.0.1 (Debian's openssh-server, started here), real rsync, the site served
by the real nginx from the ``current`` link, read back file by file."""
from __future__ import annotations

import email.utils
import getpass
import http.client
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from browser.conftest import _tool, free_port
from conftest import build
from sitefactory import write_item
from test_publish_safety import LIMIT, served_files, snapshot, start_nginx

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def nginx_path():
    return _tool("nginx", "MTTQ_NGINX", ["nginx", "/usr/sbin/nginx"])


def invoke(*args: str, env: dict | None = None, preexec_fn=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "invoke", *args], cwd=ROOT, capture_output=True,
                          text=True, env={**os.environ, **(env or {})}, preexec_fn=preexec_fn,
                          timeout=600)


@pytest.fixture(scope="module")
def sshd(tmp_path_factory):
    """An SSH server on 127.0.0.1 that lets this user in with a fresh key, and
    the environment that `invoke deploy` reads in CI (key and known hosts as text)."""
    binary = _tool("sshd (openssh-server)", "MTTQ_SSHD", ["/usr/sbin/sshd", "sshd"])
    folder = tmp_path_factory.mktemp("sshd")
    for name in ("host", "client"):
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(folder / name)],
                       check=True)
    (folder / "authorized_keys").write_text((folder / "client.pub").read_text())
    port = free_port()
    (folder / "sshd_config").write_text(
        f"Port {port}\nListenAddress 127.0.0.1\nHostKey {folder / 'host'}\n"
        f"AuthorizedKeysFile {folder / 'authorized_keys'}\nPidFile {folder / 'sshd.pid'}\n"
        "PasswordAuthentication no\nKbdInteractiveAuthentication no\nUsePAM no\n"
        "StrictModes no\nPermitRootLogin prohibit-password\n")
    if os.geteuid() == 0:
        os.makedirs("/run/sshd", mode=0o755, exist_ok=True)  # privilege separation (as the package does)
    server = subprocess.Popen([binary, "-D", "-e", "-f", str(folder / "sshd_config")],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 20
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                if sock.recv(4).startswith(b"SSH-"):
                    break
        except OSError:
            pass
        if server.poll() is not None:
            pytest.fail(f"sshd did not start: {server.stderr.read().decode()}")
        if time.monotonic() > deadline:
            server.kill()
            pytest.fail("sshd did not answer within 20 s")
        time.sleep(0.1)
    host_key = " ".join((folder / "host.pub").read_text().split()[:2])
    try:
        yield {
            "user": getpass.getuser(),
            "env": {
                "MTTQ_DEPLOY_SSH": f"ssh -p {port}",
                "MTTQ_DEPLOY_SSH_KEY": (folder / "client").read_text(),
                "MTTQ_DEPLOY_KNOWN_HOSTS": f"[127.0.0.1]:{port} {host_key}",
            },
        }
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def served(tmp_path, nginx_path):
    """nginx serving ``srv/current`` (the link a deploy switches)."""
    (tmp_path / "srv").mkdir()
    server = start_nginx(nginx_path, tmp_path / "nginx", tmp_path / "srv" / "current")
    try:
        yield tmp_path / "srv", server.urls["site"]
    finally:
        server.stop()


def built_site(folder: Path, slugs: list[str]) -> Path:
    for n, slug in enumerate(slugs):
        if not (folder / "content" / "tin" / "2025" / "05" / slug).exists():
            write_item(folder / "content", slug, seed=n + 1)
    result = build(folder / "content", folder / "output", folder / "cache")
    assert result.ok, result.errors
    return folder / "output"


def get(url: str, path: str, headers: dict | None = None) -> tuple[int, dict]:
    host = url.split("//")[1]
    connection = http.client.HTTPConnection(*host.split(":"), timeout=10)
    connection.request("GET", path, headers=headers or {})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}


def releases(srv: Path) -> list[str]:
    return sorted(p.name for p in (srv / "releases").iterdir() if not p.name.startswith("."))


def current(srv: Path) -> str:
    return os.readlink(srv / "current").removeprefix("releases/")


def test_deploy_over_ssh_then_roll_back(tmp_path, served, sshd):
    srv, url = served
    to = f"{sshd['user']}@127.0.0.1:{srv}"
    output = built_site(tmp_path, ["tin-dau-tien"])
    first = snapshot(output)
    done = invoke("deploy", "--to", to, "--output", str(output), env=sshd["env"])
    assert done.returncode == 0, done.stdout + done.stderr
    assert served_files(url, first) == first
    # Modification times travel with the files: Last-Modified is the build's.
    feed = "feeds/all.rss.xml"
    photo = next(name for name in first if name.endswith("-800.jpg"))
    for name in (feed, photo):
        assert (srv / "current" / name).stat().st_mtime == (output / name).stat().st_mtime
    _, photo_headers = get(url, f"/{photo}")
    assert email.utils.parsedate_to_datetime(photo_headers["last-modified"]).timestamp() == \
        int((output / photo).stat().st_mtime)
    release_one = current(srv)

    built_site(tmp_path, ["tin-dau-tien", "tin-thu-hai"])
    second = snapshot(output)
    done = invoke("deploy", "--to", to, "--output", str(output), env=sshd["env"])
    assert done.returncode == 0, done.stdout + done.stderr
    assert served_files(url, second) == second and current(srv) != release_one
    # An unchanged photo: same file in both releases (a hard link, nothing sent
    # again), and a partner's conditional GET still gets 304.
    old, new = (srv / "releases" / release_one / photo).stat(), (srv / "current" / photo).stat()
    assert (old.st_ino, old.st_mtime) == (new.st_ino, new.st_mtime)
    status, _ = get(url, f"/{photo}", {"If-Modified-Since": photo_headers["last-modified"]})
    assert status == 304

    back = invoke("rollback", "--to", to, env=sshd["env"])
    assert back.returncode == 0, back.stdout + back.stderr
    assert release_one in back.stdout
    assert current(srv) == release_one and served_files(url, first) == first


def test_an_upload_cut_short_never_switches(tmp_path, served):
    """A real file-size limit on the deploy (local-folder form: the receiving
    rsync inherits it): the new photo cannot be written, the deploy fails,
    readers keep the running release, and no half upload stays."""
    import resource

    srv, url = served
    output = built_site(tmp_path, ["tin-dau-tien"])
    assert invoke("deploy", "--to", str(srv), "--output", str(output)).returncode == 0
    running, before = current(srv), snapshot(srv / "current")
    built_site(tmp_path, ["tin-dau-tien", "tin-thu-hai"])  # a new 1600-px photo > LIMIT

    def limit():
        resource.setrlimit(resource.RLIMIT_FSIZE, (LIMIT, LIMIT))

    failed = invoke("deploy", "--to", str(srv), "--output", str(output), preexec_fn=limit)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "Không chuyển sang bản mới" in failed.stderr and "Traceback" not in failed.stderr
    assert current(srv) == running and releases(srv) == [running]
    assert snapshot(srv / "current") == before and served_files(url, before) == before
    assert [p.name for p in (srv / "releases").iterdir()] == [running]


def test_only_the_last_releases_are_kept(tmp_path, served):
    srv, url = served
    output = built_site(tmp_path, ["tin-dau-tien"])
    for _ in range(3):
        assert invoke("deploy", "--to", str(srv), "--output", str(output), "--keep", "2").returncode == 0
    kept = releases(srv)
    assert len(kept) == 2 and current(srv) == kept[-1]
    assert invoke("rollback", "--to", str(srv)).returncode == 0
    assert current(srv) == kept[0]
    # The next deploy runs a new release and keeps the newest other one to go back to.
    assert invoke("deploy", "--to", str(srv), "--output", str(output), "--keep", "2").returncode == 0
    assert releases(srv) == [kept[1], current(srv)] and current(srv) not in kept
    site = snapshot(output)
    assert served_files(url, site) == site
    listed = invoke("rollback", "--to", str(srv), "--list")
    assert listed.stdout.count("*") == 1 and current(srv) in listed.stdout


def test_a_folder_that_is_not_a_built_site_is_never_deployed(tmp_path, served):
    srv, _ = served
    (tmp_path / "empty").mkdir()
    refused = invoke("deploy", "--to", str(srv), "--output", str(tmp_path / "empty"))
    assert refused.returncode == 1 and "invoke publish" in refused.stderr
    assert not (srv / "current").exists()
    wrong = invoke("deploy", "--to", "may-chu:tuong-doi", "--output", str(tmp_path / "empty"))
    assert wrong.returncode == 2 and "đường dẫn tuyệt đối" in wrong.stderr
