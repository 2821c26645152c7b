"""Reading the YAML data files editors keep, safely.

``yaml.safe_load`` builds no objects, but it still expands aliases: a
"billion laughs" file of a few hundred bytes (an anchor holding ten aliases of
an anchor holding ten aliases…) grows to gigabytes in memory. Data files here
never need anchors or aliases, so they are refused outright, and files are
size-limited before parsing.
"""
from __future__ import annotations

import yaml

MAX_DATA_BYTES = 2_000_000


class DataFileError(ValueError):
    """The file is not data we accept; the message (Vietnamese) says why and where."""


class NoAliasLoader(yaml.SafeLoader):
    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise DataFileError(f"dòng {mark.line + 1}: không dùng bí danh YAML (`*tên`, `&tên`); "
                                "ghi đầy đủ từng giá trị.")
        return super().compose_node(parent, index)


class _NoAliasDatesAsText(NoAliasLoader):
    """Dates stay text, so that a bad date gets a readable message, not a crash."""


def _timestamp_as_text(loader, node):
    return loader.construct_scalar(node)


_NoAliasDatesAsText.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)


if getattr(yaml, "__with_libyaml__", False):
    # libyaml's parser, ~10x faster than PyYAML's own: the unit registry alone
    # (200 units, old and new) was ~0.15 s of every build. Its composer is C
    # code that cannot be subclassed, so aliases are refused by a first pass
    # over the events (also C), before anything is composed.
    class _FastLoader(yaml.CSafeLoader):
        pass

    class _FastDatesAsText(yaml.CSafeLoader):
        pass

    _FastDatesAsText.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)
else:  # pragma: no cover - PyYAML built without libyaml
    _FastLoader = _FastDatesAsText = None


def _refuse_aliases(text: str) -> None:
    for event in yaml.parse(text, Loader=yaml.CSafeLoader):
        if isinstance(event, yaml.AliasEvent):
            mark = event.start_mark
            raise DataFileError(f"dòng {mark.line + 1}: không dùng bí danh YAML (`*tên`, `&tên`); "
                                "ghi đầy đủ từng giá trị.")


def load_yaml(text: str, *, dates_as_text: bool = False):
    """Parse ``text``; DataFileError (Vietnamese, with the line) when it is not plain data."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_DATA_BYTES:
        raise DataFileError(f"tệp lớn hơn {MAX_DATA_BYTES // 1_000_000} MB.")
    try:
        if _FastLoader is not None:
            _refuse_aliases(text)
            return yaml.load(text, Loader=_FastDatesAsText if dates_as_text else _FastLoader)  # noqa: S506
        return yaml.load(text, Loader=_NoAliasDatesAsText if dates_as_text else NoAliasLoader)  # noqa: S506
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"dòng {mark.line + 1}, cột {mark.column + 1}: " if mark else ""
        raise DataFileError(f"{where}không phải YAML hợp lệ ({exc.problem or exc}).") from None
    except yaml.YAMLError as exc:
        raise DataFileError(f"không phải YAML hợp lệ ({exc}).") from None
