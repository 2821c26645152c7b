"""Reading the data files editors maintain, the same way in every file (units,
quota rules, site identities): the YAML, and each entry's key and fields, with
messages that name the file and the entry."""
from __future__ import annotations

from pathlib import Path

from mttq.core.yamlfile import DataFileError, load_yaml as yaml_data

from mttq.core.text import is_slug
from mttq.registry.periods import RegistryError


def checked_entry(entry, path: Path, seen: set[str], noun: str, fields: tuple[str, ...],
                  shape: str, error: type[RegistryError] = RegistryError) -> tuple[str, str]:
    """``(key, "<noun> '<key>'")`` of a mapping entry whose key is a new slug and whose
    fields are all known; ``error`` otherwise (``shape`` says what an entry looks like)."""
    if not isinstance(entry, dict):
        raise error(f"{path}: mỗi {noun} là một mục {shape}.")
    key = str(entry.get("key", ""))
    if not is_slug(key) or key in seen:
        raise error(f"{path}: {noun} '{key}': 'key' phải là chữ thường không dấu, nối bằng '-', "
                    "và không trùng.")
    seen.add(key)
    where = f"{noun} '{key}'"
    unknown = [f for f in entry if f not in fields]
    if unknown:
        raise error(f"{path}: {where}: trường '{unknown[0]}' không dùng được. Các trường: "
                    f"{', '.join(fields)}.")
    return key, where


def load_yaml(path: Path, what: str, error: type[RegistryError] = RegistryError):
    """The YAML of a data file; ``error`` naming the file and ``what`` it holds when
    it cannot be read."""
    try:
        # No aliases, a size limit (a "billion laughs" file): mttq/core/yamlfile.py.
        return yaml_data(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, DataFileError) as exc:
        raise error(f"{path}: không đọc được {what} ({exc})") from exc
