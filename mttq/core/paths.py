"""Where the project's files live, so that no module guesses its own paths."""
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
