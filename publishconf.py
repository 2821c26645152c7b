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

# The web form /soan-tin/ (docs/soan-tin.md): where it opens pull requests. The
# province's IT staff set these for the office's forge; none of them is a secret
# (the OAuth app's secret lives only in the OAuth helper). GitHub, with the
# OAuth helper at base_url; for GitLab instead:
#   {"name": "gitlab", "repo": "ubmttq/trang-tin", "branch": "main",
#    "auth_type": "pkce", "app_id": "<Application ID>", "base_url": "https://gitlab.com",
#    "api_root": "https://gitlab.com/api/v4", "preview_context": "Kết quả kiểm tra tin, bài"}
MTTQ_CMS_BACKEND = {
    "name": "github",
    "repo": os.environ.get("MTTQ_CMS_REPO", "ubmttq-soctrang/trang-tin"),
    "branch": "main",
    "base_url": os.environ.get("MTTQ_CMS_OAUTH_URL", "https://dang-nhap.mttq.soctrang.example"),
    "open_authoring": os.environ.get("MTTQ_CMS_OPEN_AUTHORING", "") == "1",
    # The commit status .github/workflows/pr-check.yml sets (job form-status).
    "preview_context": "Kết quả kiểm tra tin, bài",
    "cms_label_prefix": "soan-tin/",
}
