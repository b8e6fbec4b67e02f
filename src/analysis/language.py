"""The report language: which one is in use, and every sentence the package writes, from one catalogue.

A report is written in one language. Its notebook sets it once (``ReportOutputs`` does, from the
``lang`` parameter); findings, key-number labels, table headers, number formats and provenance notes
then come out in that language. The sentences live in ``src/analysis/messages/<topic>.yml``, each key
with its English and Chinese text side by side, so a translator edits one file per topic.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from string import Formatter

import yaml

LANGUAGES = ("en", "zh")
MESSAGES = Path(__file__).parent / "messages"
_current: ContextVar[str] = ContextVar("report_language", default="en")


def check(lang: object) -> str:
    """A supported language code, or a ValueError that lists them."""
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {', '.join(LANGUAGES)}, not {lang!r}")
    return str(lang)


def use(lang: str) -> None:
    """Write everything that follows in `lang` (a report sets this once)."""
    _current.set(check(lang))


def current() -> str:
    """The language in use."""
    return _current.get()


@contextmanager
def using(lang: str) -> Iterator[None]:
    """Write in `lang` inside the block, then go back to the language before it."""
    token = _current.set(check(lang))
    try:
        yield
    finally:
        _current.reset(token)


@cache
def catalogue() -> dict[str, dict[str, str]]:
    """Every message, keyed '<file stem>.<key>', each with its text in every language."""
    messages: dict[str, dict[str, str]] = {}

    def collect(prefix: str, node: dict) -> None:
        # A mapping with an 'en' key is one message; any other mapping is a group of them.
        for key, value in node.items():
            if isinstance(value, dict) and "en" not in value:
                collect(f"{prefix}.{key}", value)
            else:
                messages[f"{prefix}.{key}"] = value

    for path in sorted(MESSAGES.glob("*.yml")):
        collect(path.stem, yaml.load(path.read_text(encoding="utf-8"), Loader=UniqueKeyLoader) or {})
    return messages


class UniqueKeyLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml parses the catalogue ten times faster
    """A YAML loader that refuses a key given twice in one mapping (YAML would keep the last silently)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        keys = [self.construct_object(key, deep=deep) for key, _ in node.value]
        if duplicates := sorted({k for k in keys if keys.count(k) > 1}):
            raise ValueError(
                f"{node.start_mark.name}, line {node.start_mark.line + 1}: "
                f"message key(s) given twice: {', '.join(map(str, duplicates))}"
            )
        return super().construct_mapping(node, deep=deep)


def placeholders(text: str) -> set[str]:
    """The {names} a message fills in."""
    return {name for _, name, _, _ in Formatter().parse(text) if name}


def say(key: str, **fields: object) -> str:
    """The message `key` in the current language, with its {placeholders} filled."""
    try:
        texts = catalogue()[key]
    except KeyError:
        raise KeyError(f"no message '{key}' in {MESSAGES.name}/; add it with its en and zh text") from None
    return texts[current()].format(**fields)


def pick(**texts: str) -> str:
    """Text written in the notebook itself in every language (pick(en=..., zh=...)): the current one."""
    if missing := set(LANGUAGES) - set(texts):
        raise ValueError(f"text lacks {', '.join(sorted(missing))}")
    return texts[current()]


def dimension_name(dimension: str) -> str:
    """A breakdown dimension in the current language: the catalogue's name, or the data's own."""
    key = f"common.dimension.{dimension}"
    return say(key) if key in catalogue() else dimension.replace("_", " ")
