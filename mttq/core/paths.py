"""Where the project's files live, so that no module guesses its own paths."""
import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = REPO_ROOT / "data"
DEFAULT_CONTENT_DIR = REPO_ROOT / "content"
DEFAULT_OUTPUT_DIR = REPO_ROOT / "output"  # the preview (invoke build, invoke serve)
DEFAULT_PUBLISH_DIR = REPO_ROOT / "public"  # the site for the server (invoke publish, deploy)
DEFAULT_CACHE_DIR = REPO_ROOT / "cache"

# The content layout: content/<section>/<yyyy>/<mm>/<slug>/index.md
ITEM_SECTIONS = ("tin", "bai")
ITEM_FILE = "index.md"


def walk_tree(root: str, skip_folder=None, skip_unreadable: bool = False):
    """Every entry under ``root`` that is not a real folder, as
    ``(relative posix path, os.DirEntry)``: files, and links of any kind.
    ``skip_folder(name)``: folders not walked into (the check's ignored names);
    ``skip_unreadable``: a folder that cannot be listed is passed over, as
    ``os.walk`` does (the check); otherwise it raises (the output checks must
    not pass over a folder they cannot see into).

    Written by hand over ``os.scandir`` because the output checks walk a site
    of ~10 files per photo (16,000 at 1,000 items, 320,000 at 20,000): the
    entry carries its type and ``lstat`` with it, and the relative path is built
    by concatenation, where ``os.walk`` + ``relpath`` + ``islink`` cost three
    calls and two system calls per file.
    """
    pending = [("", root)]
    while pending:
        prefix, folder = pending.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            if skip_unreadable:
                continue
            raise
        for entry in entries:
            relative = prefix + entry.name
            if entry.is_dir(follow_symlinks=False):
                if skip_folder is None or not skip_folder(entry.name):
                    pending.append((relative + "/", entry.path))
            else:
                yield relative, entry
