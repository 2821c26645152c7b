"""Pages kept between publish builds, so a publish renders only what changed.

``invoke publish`` builds the whole site into a fresh folder (the previous one
stays until the new one is complete, :mod:`mttq.commands.build`). Rendering
its pages is most of a warm build; after one merged item, almost all of them
come out byte for byte as before. So the publish build keys each page by
everything it is rendered from (:func:`page_key`):

- the build's **signature** (:func:`build_signature`): the code (``mttq/``,
  ``plugins/``), the theme, the settings, the data files the build reads, and
  the versions of Pelican, Jinja2, Markdown and Python. Any change there
  changes every key: a full render, as it must be, since the dependency of a
  page on code or templates is not known;
- the page's **template** and the names it reads (found in the templates'
  syntax trees, through ``extends``, ``include`` and ``import``);
- the **values** of those names for this page, fingerprinted
  (:mod:`mttq.outputs.fingerprint`): its item, the items it links, the
  listing page's items, the menu, the feeds' links, the editors' figures.

A page whose key was rendered by an earlier publish is hard-linked from the
store (``<MTTQ_CACHE_DIR>/pages/<output id>/``, kept by the publish workflow
with the rest of ``cache/``) instead of rendered; a new key is rendered and
added. The store keeps only the current site's pages. A missing or foreign
store only means more rendering: a key names its bytes, nothing else is
trusted. Feeds, the search index, the sitemap and photos are not pages: they
are written as in any build (photos from their own cache).

Pull requests cannot reach the store: the check workflow shares no cache with
the publish workflow (``tests/test_workflow.py``).
"""
from __future__ import annotations

import hashlib
import json
import os
import platform
import sys
from importlib import metadata
from pathlib import Path

from mttq.core.paths import REPO_ROOT
from mttq.outputs.fingerprint import Fingerprints, Unstable

STORE_VERSION = 1
ANALYSIS_VERSION = 2  # what _analyse records (2: the names of a later listing page)
# Folders and files of the repository whose every byte the pages may depend on.
CODE_PATHS = ("mttq", "plugins", "theme", "pelicanconf.py", "publishconf.py")
# Data the build reads (settings name them); records written at every merge
# are not among them (submissions.csv: its effect on pages is fingerprinted
# with the items; photo-hashes.csv: read by the check only).
DATA_SETTINGS = ("MTTQ_TOPICS_FILE", "MTTQ_UNITS_FILE", "MTTQ_ANNIVERSARIES_FILE",
                 "MTTQ_COLUMNS_DIR", "MTTQ_QUOTA_FILE", "MTTQ_SITE_FILE")
PACKAGES = ("pelican", "jinja2", "markdown", "markupsafe", "feedgen", "pillow")
# Settings that name this build's folders or workers, not what its pages show;
# and the build's "today" (``MTTQ_TODAY``, None = the clock), whose effects
# (what is published yet, the identity in force, the anniversary banner, the
# editors' current month) all reach the pages as template variables, which
# are fingerprinted: a publish on a new day re-renders only what the day changed.
BUILD_LOCAL_SETTINGS = frozenset({"MTTQ_TODAY", "OUTPUT_PATH", "CACHE_PATH", "MTTQ_CACHE_DIR", "MTTQ_PREVIEW",
                                  "DELETE_OUTPUT_DIRECTORY", "_MTTQ_PARALLEL_JOB",
                                  "MTTQ_INCREMENTAL", "MTTQ_WORKERS", "MTTQ_PARALLEL_WRITING",
                                  "LOAD_CONTENT_CACHE", "CACHE_CONTENT", "MTTQ_PAGE_STORE"})


def _digest_files(hasher, root: Path, base: Path) -> None:
    paths = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
    for path in paths:
        if "__pycache__" in path.parts or path.suffix == ".pyc":
            continue
        try:
            data = path.read_bytes()
        except OSError:
            continue
        try:
            name = path.relative_to(base).as_posix()
        except ValueError:
            name = str(path)
        hasher.update(f"{name}|{len(data)}|".encode())
        hasher.update(data)


def build_signature(settings: dict, settings_file: str | os.PathLike | None = None) -> str:
    """Everything every page depends on, in one digest (see the module docstring)."""
    hasher = hashlib.blake2b(digest_size=16)
    hasher.update(f"store {STORE_VERSION}|{sys.version}|{platform.machine()}|".encode())
    for package in PACKAGES:
        try:
            version = metadata.version(package)
        except metadata.PackageNotFoundError:
            version = "-"
        hasher.update(f"{package}={version}|".encode())
    for name in CODE_PATHS:
        if (REPO_ROOT / name).exists():
            _digest_files(hasher, REPO_ROOT / name, REPO_ROOT)
    if settings_file:
        _digest_files(hasher, Path(settings_file), REPO_ROOT)
    theme = settings.get("THEME")
    if theme and Path(theme).exists():
        _digest_files(hasher, Path(theme), REPO_ROOT)
    for key in DATA_SETTINGS:
        if settings.get(key) and Path(settings[key]).exists():
            _digest_files(hasher, Path(settings[key]), REPO_ROOT)
    shown = {k: v for k, v in settings.items() if k not in BUILD_LOCAL_SETTINGS}
    try:
        hasher.update(Fingerprints().of(shown))
    except Unstable:  # a setting we cannot digest: no page is ever reused
        hasher.update(os.urandom(16))
    return hasher.hexdigest()


def store_folder(cache_dir: str | os.PathLike, output: str | os.PathLike) -> Path:
    """The store of one output folder (a preview and the publish build do not
    evict each other's pages)."""
    key = hashlib.sha256(str(Path(output).resolve()).encode()).hexdigest()[:16]
    return Path(cache_dir) / "pages" / key


def template_names(template, analyses: dict | None = None,
                   later: bool = False) -> frozenset[str] | None:
    """The variables ``template`` and the templates it uses read; None when one
    of them is chosen at render time (then its pages are always rendered).

    ``analyses``: what earlier builds found in each template source, by the
    source's digest (:func:`_analyse`); parsing the theme's templates again in
    each generator's environment was a tenth of a warm build at 1,000 items.

    ``later``: the names read by a listing's later page (``articles_page.first``
    false): the branches such a page does not take are left out
    (:func:`_later_page_tree`), so that what only the first page shows (the
    home page's topic blocks, new with every item) is not in the keys of the
    older pages, which would all be rendered again after each merge."""
    cache = _NAMES.setdefault(id(template.environment), {})
    if (template.name, later) in cache:
        return cache[template.name, later]
    environment = template.environment
    analyses = _ANALYSES if analyses is None else analyses
    names: set[str] = set()
    seen: set[str] = set()
    pending = [template.name]
    dynamic = False
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        source = environment.loader.get_source(environment, name)[0]
        found = _analyse(environment, source, analyses)
        names.update(found["later_reads" if later else "reads"])
        dynamic = dynamic or found["dynamic"]
        pending.extend(found["later_uses" if later else "uses"])
    result = None if dynamic else frozenset(names | {"output_file", "localsiteurl"})
    cache[template.name, later] = result
    return result


def _analyse(environment, source: str, analyses: dict) -> dict:
    """The names one template source reads and the templates it uses, on any
    page and on a listing's later page, by the digest of the source, the Jinja
    version and this analysis's version (a pure function of the three)."""
    from jinja2 import __version__ as jinja_version, meta

    key = hashlib.blake2b(f"{ANALYSIS_VERSION}|{jinja_version}|{source}".encode(),
                          digest_size=16).hexdigest()
    found = analyses.get(key)
    if found is None:
        found = {}
        for prefix, tree in (("", environment.parse(source)),
                             ("later_", _later_page_tree(environment.parse(source)))):
            used = list(meta.find_referenced_templates(tree))
            found[prefix + "reads"] = sorted(meta.find_undeclared_variables(tree))
            found[prefix + "uses"] = [u for u in used if u is not None]
            found["dynamic"] = found.get("dynamic", False) or None in used
        analyses[key] = found
    return found


def _is_first_page(test) -> bool:
    from jinja2 import nodes

    return (isinstance(test, nodes.Getattr) and test.attr == "first"
            and isinstance(test.node, nodes.Name) and test.node.name == "articles_page")


def _later_page_tree(tree):
    """``tree`` without the branches a listing's later page does not take:
    the body of ``{% if articles_page.first %}``, the other branches of
    ``{% if not articles_page.first %}``. Only these two exact tests are
    understood; any other condition keeps all its branches (a name too many
    in a key only means a page rendered when it need not be)."""
    from jinja2 import nodes

    for node in tree.find_all(nodes.If):
        if _is_first_page(node.test):
            node.body = []
        elif isinstance(node.test, nodes.Not) and _is_first_page(node.test.node):
            node.elif_, node.else_ = [], []
    return tree


_NAMES: dict[int, dict[str, frozenset[str] | None]] = {}
_ANALYSES: dict[str, dict] = {}  # a build without a store: this process only


class PageStore:
    """Rendered pages by key, for one output folder (see the module docstring)."""

    def __init__(self, folder: Path, signature: str, skip_ids: frozenset[int] = frozenset()):
        self.folder = Path(folder)
        self.signature = signature
        self.fingerprints = Fingerprints(skip_ids)
        self.reused: dict[str, str] = {}  # output path -> key, linked from the store
        self.fresh: dict[str, str] = {}  # output path -> key, rendered in this build
        self.unkeyed = 0  # pages that could not be keyed (always rendered)
        self.analyses = _load_analyses(self._analyses_file())
        self._analysed = len(self.analyses)
        try:  # the previous build of this code and settings left its pages here
            self.warm = self._marker().read_text() == signature
        except OSError:
            self.warm = False

    def _marker(self) -> Path:
        return self.folder / "signature"

    def _analyses_file(self) -> Path:
        return self.folder / "templates.json"

    def key(self, template, localcontext: dict) -> str | None:
        page = localcontext.get("articles_page")
        names = template_names(template, self.analyses,
                               later=page is not None and getattr(page, "first", True) is False)
        if names is None:
            return None
        hasher = hashlib.blake2b(digest_size=20)
        hasher.update(f"{self.signature}|{template.name}|".encode())
        try:
            for name in sorted(names):
                hasher.update(name.encode() + b"=")
                hasher.update(self.fingerprints.page_value(localcontext[name]) if name in localcontext
                              else b"<missing>")
        except Unstable:
            return None
        return hasher.hexdigest()

    def _entry(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.html"

    def link(self, key: str, destination: str) -> bool:
        """Hard-link the stored page of ``key`` to ``destination``; False if none."""
        entry = self._entry(key)
        try:
            try:  # most folders exist already (a listing's second page, an item's photos)
                os.link(entry, destination)
            except FileNotFoundError:
                if not os.path.exists(entry):
                    return False
                os.makedirs(os.path.dirname(destination), exist_ok=True)
                os.link(entry, destination)
        except FileNotFoundError:
            return False
        except OSError:  # another file system, say: a copy costs less than a render
            try:
                with open(entry, "rb") as stored, open(destination, "wb") as out:
                    out.write(stored.read())
            except OSError:
                return False
        return True

    def merge(self, reused: dict[str, str], fresh: dict[str, str], unkeyed: int) -> None:
        """The second page-writing process's pages (:mod:`plugins.mttq_site.parallel`)."""
        self.reused.update(reused)
        self.fresh.update(fresh)
        self.unkeyed += unkeyed

    def keep(self, output_root: str | os.PathLike) -> None:
        """After a successful build: add its new pages to the store and drop the
        pages no longer on the site. Called once the pages' times are settled
        (:mod:`mttq.outputs.stable_times`), so the stored file keeps that time."""
        for relative, key in self.fresh.items():
            entry = self._entry(key)
            if entry.exists():
                continue
            try:
                entry.parent.mkdir(parents=True, exist_ok=True)
                os.link(os.path.join(output_root, relative), entry)
            except OSError:
                pass
        wanted = {f"{key}.html" for key in (*self.reused.values(), *self.fresh.values())}
        if not self.folder.is_dir():
            return
        try:  # the next build knows that most of its pages are likely here
            self._marker().write_text(self.signature)
            if len(self.analyses) != self._analysed:
                temporary = self._analyses_file().with_suffix(f".{os.getpid()}.tmp")
                temporary.write_text(json.dumps(self.analyses, sort_keys=True), encoding="utf-8")
                temporary.replace(self._analyses_file())
        except OSError:
            pass
        for bucket in os.scandir(self.folder):
            if not bucket.is_dir():
                continue
            for entry in os.scandir(bucket.path):
                if entry.name not in wanted:
                    try:
                        os.unlink(entry.path)
                    except OSError:
                        pass


def _load_analyses(path: Path) -> dict[str, dict]:
    """Earlier builds' template analyses; anything unreadable is analysed again."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {key: found for key, found in data.items()
            if isinstance(found, dict) and isinstance(found.get("reads"), list)
            and isinstance(found.get("uses"), list) and isinstance(found.get("dynamic"), bool)
            and isinstance(found.get("later_reads"), list) and isinstance(found.get("later_uses"), list)}


_current: PageStore | None = None


def begin(store: PageStore | None) -> PageStore | None:
    global _current
    _current = store
    return store


def current() -> PageStore | None:
    return _current
