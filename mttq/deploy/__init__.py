"""Deploy a built site to the province's server, and roll it back.

Layout on the server (``--to [user@host:]/var/www/mttq``; nginx's ``root`` is
``/var/www/mttq/current``)::

    /var/www/mttq/releases/20250514T093000.123456Z-1a2b/   one complete site per deploy
    /var/www/mttq/current -> releases/20250514T093000.123456Z-1a2b

A deploy uploads ``output/`` into a hidden ``releases/.incoming-<id>/`` with
rsync (``-a``: modification times kept, so partners' conditional GETs of
unchanged feeds get 304; ``--link-dest``: files unchanged since the running
release become hard links to it, so an upload sends and stores only what
changed), checks the upload (a second rsync pass in dry-run must find nothing
left to send), renames it to ``releases/<id>`` and only then switches
``current`` in one step (a new link renamed over the old one). Any failure
before the switch leaves the running site as it was. The newest ``keep``
releases stay (never the running one is removed); ``rollback`` switches
``current`` back to the previous release, or to a named one.

The same code serves a local folder (``--to /var/www/mttq``: the build runs on
the web server itself) and a server over SSH (rsync and a few POSIX shell
commands run there: rsync, GNU coreutils ``mv -T`` and util-linux ``flock``,
as on Debian and Ubuntu). rsync and ssh do the transfer because they do it
well (deltas, checksums, hard links, times); only the release bookkeeping is
written here.
"""
from __future__ import annotations

import datetime as dt
import os
import re
import secrets
import shlex
import subprocess
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

RELEASES = "releases"
CURRENT = "current"
INCOMING = ".incoming-"
RELEASE_NAME = re.compile(r"^\d{8}T\d{6}\.\d{6}Z-[0-9a-f]{4}$")  # sorts by time
STALE_INCOMING = dt.timedelta(hours=6)  # an upload that old was cut off: removed
# Plain names only, so that no path can be read as a shell word or an rsync option.
_SAFE_PATH = re.compile(r"^/[A-Za-z0-9._/-]*$")
_SAFE_HOST = re.compile(r"^(?:[A-Za-z0-9._-]+@)?[A-Za-z0-9._-]+$|^(?:[A-Za-z0-9._-]+@)?\[[0-9a-fA-F:.]+\]$")


class DeployError(RuntimeError):
    """A deploy or rollback that did not happen; the message says why, in Vietnamese."""


@dataclass
class Destination:
    path: str  # absolute folder of the site on the server (holds releases/ and current)
    host: str | None = None  # "user@host" over SSH; None: a folder of this machine
    ssh: list[str] = field(default_factory=lambda: ["ssh"])

    def __str__(self) -> str:
        return f"{self.host}:{self.path}" if self.host else self.path

    def rsync_target(self, relative: str) -> str:
        where = f"{self.path}/{relative}/"
        return f"{self.host}:{where}" if self.host else where


def parse_destination(text: str, ssh: str | None = None) -> Destination:
    """``/var/www/mttq`` or ``user@host:/var/www/mttq``."""
    text = (text or "").strip()
    host, path = (text.split(":", 1) if ":" in text and not text.startswith("/")
                  else (None, text))
    path = path.rstrip("/") or "/"
    if not _SAFE_PATH.match(path) or "/.." in path or path == "/":
        raise DeployError(
            f"Nơi đưa trang lên '{text}' không hợp lệ: ghi đường dẫn tuyệt đối chỉ gồm chữ không "
            "dấu, số, '.', '_', '-', '/', ví dụ /var/www/mttq hoặc deploy@may-chu:/var/www/mttq.")
    if host is not None and not _SAFE_HOST.match(host):
        raise DeployError(f"Tên máy chủ '{host}' không hợp lệ (ví dụ: deploy@mttq.soctrang.example).")
    return Destination(path, host, shlex.split(ssh) if ssh else ["ssh"])


@dataclass
class State:
    current: str | None  # release name that ``current`` points to
    releases: list[str]  # complete releases, oldest first
    incoming: list[str]  # names of unfinished uploads


# The shell run on the server (or locally): positional arguments only, no
# interpolation of names into the script.
_STATE = r'''
cd "$1" 2>/dev/null || exit 0
link=$(readlink current 2>/dev/null || true)
echo "current=${link#releases/}"
[ -d releases ] && ls -1a releases | sed -n 's/^/entry=/p'
exit 0
'''
_PREPARE = r'''
set -eu
mkdir -p "$1/releases"
'''
_FINISH = r'''
set -eu
cd "$1"
exec 9>.deploy.lock
flock 9
mv -T "releases/.incoming-$2" "releases/$2"
ln -s "releases/$2" ".current.new-$2"
mv -Tf ".current.new-$2" current
'''
_SWITCH = r'''
set -eu
cd "$1"
exec 9>.deploy.lock
flock 9
test -d "releases/$2"
ln -sfn "releases/$2" ".current.new-$2"
mv -Tf ".current.new-$2" current
'''
_REMOVE = r'''
set -eu
cd "$1/releases"
exec 9>../.deploy.lock
flock 9
current=$(readlink ../current 2>/dev/null || true)
shift
for name in "$@"; do
  [ "releases/$name" = "$current" ] || rm -rf -- "$name"
done
'''


class Deployer:
    def __init__(self, destination: Destination):
        self.to = destination
        self._ssh_files: list[str] = []
        self.ssh = list(destination.ssh) + ["-o", "BatchMode=yes"]

    # --- running things ----------------------------------------------------------

    @contextmanager
    def session(self):
        """SSH key and known hosts given as text (CI secrets) go to private
        temporary files for the length of the deploy."""
        folder = None
        try:
            key = os.environ.get("MTTQ_DEPLOY_SSH_KEY", "").strip()
            known = os.environ.get("MTTQ_DEPLOY_KNOWN_HOSTS", "").strip()
            if self.to.host and (key or known):
                folder = tempfile.mkdtemp(prefix="mttq-deploy-")
                if key:
                    path = os.path.join(folder, "key")
                    with open(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600), "w") as handle:
                        handle.write(key + "\n")
                    self.ssh += ["-i", path, "-o", "IdentitiesOnly=yes"]
                if known:
                    path = os.path.join(folder, "known_hosts")
                    Path(path).write_text(known + "\n")
                    self.ssh += ["-o", f"UserKnownHostsFile={path}",
                                 "-o", "StrictHostKeyChecking=yes"]
            yield self
        finally:
            if folder:
                for name in os.listdir(folder):
                    os.unlink(os.path.join(folder, name))
                os.rmdir(folder)

    def shell(self, script: str, *args: str, what: str) -> str:
        command = ["sh", "-c", script, "sh", self.to.path, *args]
        if self.to.host:
            command = [*self.ssh, self.to.host, shlex.join(command)]
        return self._run(command, what)

    def rsync(self, source: Path, relative: str, *options: str, what: str) -> str:
        command = ["rsync", "-a", "--delete", *options]
        if self.to.host:
            command += ["-e", shlex.join(self.ssh)]
        command += [f"{source}/", self.to.rsync_target(relative)]
        return self._run(command, what)

    @staticmethod
    def _run(command: list[str], what: str) -> str:
        try:
            done = subprocess.run(command, capture_output=True, text=True, stdin=subprocess.DEVNULL)
        except FileNotFoundError as exc:
            raise DeployError(f"{what}: thiếu chương trình '{exc.filename}' trên máy này "
                              "(cài bằng: sudo apt-get install rsync openssh-client).") from None
        if done.returncode != 0:
            detail = (done.stderr or done.stdout).strip().splitlines()[-3:]
            raise DeployError(f"{what} thất bại (mã {done.returncode}): {' '.join(detail)}")
        return done.stdout

    # --- the steps ---------------------------------------------------------------

    def state(self) -> State:
        out = self.shell(_STATE, what="Đọc các bản trên máy chủ")
        current, releases, incoming = None, [], []
        for line in out.splitlines():
            key, _, value = line.partition("=")
            if key == "current" and value:
                current = value
            elif key == "entry" and RELEASE_NAME.match(value):
                releases.append(value)
            elif key == "entry" and value.startswith(INCOMING) and RELEASE_NAME.match(
                    value.removeprefix(INCOMING)):
                incoming.append(value)
        return State(current, sorted(releases), sorted(incoming))

    def remove(self, names: list[str]) -> None:
        if names:
            self.shell(_REMOVE, *names, what="Xóa bản cũ trên máy chủ")


def new_release_name(now: dt.datetime | None = None) -> str:
    now = now or dt.datetime.now(dt.timezone.utc)
    return f"{now:%Y%m%dT%H%M%S.%fZ}-{secrets.token_hex(2)}"


def _age(name: str, now: dt.datetime) -> dt.timedelta:
    stamp = name.removeprefix(INCOMING)[:23]
    try:
        made = dt.datetime.strptime(stamp, "%Y%m%dT%H%M%S.%fZ").replace(tzinfo=dt.timezone.utc)
    except ValueError:
        return dt.timedelta.max
    return now - made


@dataclass
class DeployResult:
    release: str
    previous: str | None
    removed: list[str]
    destination: str


def check_built_site(output: Path) -> None:
    """The folder is a built site (an empty or foreign folder is never deployed)."""
    missing = [name for name in ("index.html", "404.html") if not (output / name).is_file()]
    if not output.is_dir() or missing:
        raise DeployError(
            f"'{output}' không phải là trang đã dựng (thiếu {', '.join(missing) or 'thư mục'}). "
            "Chạy invoke publish trước; chỉ đưa lên khi nó báo thành công.")


def deploy(output: Path, destination: Destination, keep: int = 5) -> DeployResult:
    """Upload ``output`` as a new release, check it, switch to it, prune."""
    if keep < 2:
        raise DeployError("--keep phải từ 2 trở lên (bản đang chạy và một bản để quay lại).")
    output = Path(output).resolve()
    check_built_site(output)
    name = new_release_name()
    incoming = f"{RELEASES}/{INCOMING}{name}"
    with Deployer(destination).session() as remote:
        remote.shell(_PREPARE, what="Tạo thư mục trên máy chủ")
        before = remote.state()
        link = []
        if before.current in before.releases:
            link = [f"--link-dest={destination.path}/{RELEASES}/{before.current}"]
        try:
            remote.rsync(output, incoming, *link, what="Chép trang lên máy chủ (rsync)")
            # Verify: a second pass finds nothing to send, in size and modification time.
            left = remote.rsync(output, incoming, "--dry-run", "--itemize-changes",
                                what="Kiểm tra bản đã chép")
            if left.strip():
                raise DeployError(
                    "Bản đã chép lên máy chủ khác với trang đã dựng: "
                    + "; ".join(left.strip().splitlines()[:5]))
            remote.shell(_FINISH, name, what="Chuyển trang sang bản mới")
        except DeployError as exc:
            try:
                remote.remove([f"{INCOMING}{name}"])
            except DeployError:
                pass  # removed by a later deploy (stale uploads)
            raise DeployError(f"{exc}\nKhông chuyển sang bản mới: trang đang chạy trên "
                              f"{destination} không thay đổi.") from None
        after = remote.state()
        now = dt.datetime.now(dt.timezone.utc)
        old = [r for r in after.releases if r != after.current][: max(0, len(after.releases) - keep)]
        stale = [i for i in after.incoming if _age(i, now) > STALE_INCOMING]
        remote.remove(old + stale)
    return DeployResult(name, before.current, old, str(destination))


def rollback(destination: Destination, release: str | None = None) -> tuple[str, str | None]:
    """Switch ``current`` to ``release`` or to the release before the running
    one. Returns (now running, was running)."""
    with Deployer(destination).session() as remote:
        state = remote.state()
        if not state.releases:
            raise DeployError(f"Trên {destination} chưa có bản nào (chưa từng invoke deploy).")
        listed = ", ".join(state.releases)
        if release is not None:
            if release not in state.releases:
                raise DeployError(f"Không có bản '{release}' trên {destination}. Các bản: {listed}.")
            target = release
        else:
            earlier = [r for r in state.releases if state.current is None or r < state.current]
            if not earlier:
                raise DeployError(f"Không có bản nào cũ hơn bản đang chạy ({state.current}) để "
                                  f"quay lại. Các bản: {listed}.")
            target = earlier[-1]
        remote.shell(_SWITCH, target, what="Chuyển trang về bản cũ")
    return target, state.current


def list_releases(destination: Destination) -> State:
    with Deployer(destination).session() as remote:
        return remote.state()
