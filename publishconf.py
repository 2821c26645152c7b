"""Publishing settings: everything of pelicanconf.py, with the public address."""
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pelicanconf import *  # noqa: E402,F401,F403

SITEURL = os.environ.get("MTTQ_SITEURL", "https://mttq.soctrang.example")
RELATIVE_URLS = False
CACHE_PATH = "cache/pelican-publish"
# Drafts are previewed in development builds only; nothing of them is published.
DRAFT_SAVE_AS = ""
DRAFT_URL = ""
