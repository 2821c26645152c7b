"""Publishing settings: everything of pelicanconf.py, with the public address.

Pelican loads a settings file by its path, so ``pelicanconf`` is loaded from
beside this file (not imported from ``sys.path``).
"""
import importlib.util
import os
from pathlib import Path

_spec = importlib.util.spec_from_file_location("pelicanconf", Path(__file__).with_name("pelicanconf.py"))
_base = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_base)
globals().update({k: v for k, v in vars(_base).items() if k.isupper()})

SITEURL = os.environ.get("MTTQ_SITEURL", "https://mttq.soctrang.example")
RELATIVE_URLS = False
# Its own folder: the preview in output/ (relative addresses that work on this
# machine) and the site for the server (addresses of SITEURL) never replace
# each other. `invoke deploy` uploads this folder.
OUTPUT_PATH = "public"
CACHE_PATH = "cache/pelican-publish"
# Drafts are previewed in development builds only; nothing of them is published.
DRAFT_SAVE_AS = ""
DRAFT_URL = ""
