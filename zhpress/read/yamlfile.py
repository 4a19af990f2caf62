"""YAML reading that keeps line numbers, so every error can point into the user's file."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, ClassVar

import yaml

from ..errors import BookError
from .textfile import XML_ILLEGAL

SURROGATE = re.compile("[\ud800-\udfff]")
# What an escape ("\a", "\ud800") can put in a value that no XML, so no EPUB, can hold.
UNHOLDABLE = re.compile(f"{XML_ILLEGAL.pattern}|{SURROGATE.pattern}")
FLOAT_TAG = "tag:yaml.org,2002:float"


class RefusedYAMLError(yaml.MarkedYAMLError):
    """Well-formed YAML a manuscript may not use; `problem` says why."""


class ManuscriptLoader(yaml.SafeLoader):
    """PyYAML's safe loader, made safe for a stranger's file and faithful to its text:

    - no aliases: nine levels of nine `*refs` expand past 3 GB (a "billion laughs");
    - no duplicate keys: YAML keeps the last one silently, the author meant one of them;
    - no lone surrogates (`"\\ud800"`) or control characters (`"\\a"`): no book can hold one;
    - no floats: `version: 1.10` is the text 1.10, not the number 1.1 (nothing we read is
      a fraction; integers stay integers).
    """

    yaml_implicit_resolvers: ClassVar[dict[Any, list[tuple[str, re.Pattern[str]]]]] = {
        first: [(tag, pattern) for tag, pattern in resolvers if tag != FLOAT_TAG]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            problem = f"YAML aliases (*{event.anchor}) are not allowed: nested ones expand to gigabytes"
            raise RefusedYAMLError(None, None, problem, event.start_mark)
        return super().compose_node(parent, index)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen = set()
        for key, _ in node.value:
            if isinstance(key, yaml.ScalarNode):
                if key.value in seen:
                    raise RefusedYAMLError(None, None, f"duplicate key '{key.value}'", key.start_mark)
                seen.add(key.value)
        return super().construct_mapping(node, deep)

    def construct_scalar(self, node: yaml.ScalarNode) -> Any:
        value = super().construct_scalar(node)
        found = UNHOLDABLE.search(value) if isinstance(value, str) else None
        if found:
            code = f"\\u{ord(found.group()):04X}"
            problem = (f"{code} is half of a surrogate pair, not a character (write the character itself)"
                       if SURROGATE.match(found.group()) else f"{code} is a control character no book can hold")
            raise RefusedYAMLError(None, None, problem, node.start_mark)
        return value


def load_mapping(text: str, path: Path, first_line: int = 1) -> tuple[dict[str, Any], dict[str, int]]:
    """Parse a YAML mapping; return it with the line of each top-level key.

    `first_line` is the file line where `text` starts (front matter begins on line 2).
    """
    node = None
    try:
        # One parse: the node tree gives the lines, the same tree is built into values.
        loader = ManuscriptLoader(text)
        node = loader.get_single_node()
        data = None if node is None else loader.construct_document(node)
    except RefusedYAMLError as exc:
        raise BookError(path, str(exc.problem), first_line + exc.problem_mark.line) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = first_line + mark.line if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise BookError(path, f"malformed YAML: {problem}", line) from exc
    except ValueError as exc:  # a well-formed value PyYAML cannot construct: 2024-02-30
        raise BookError(path, f"impossible value: {exc}", _unconstructible_line(node, first_line)) from None
    if data is None:
        return {}, {}
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        raise BookError(path, "expected a YAML mapping of 'key: value' lines", first_line)
    lines = {str(k.value): first_line + k.start_mark.line for k, _ in node.value}
    return {str(k): v for k, v in data.items()}, lines


def _unconstructible_line(node: yaml.Node | None, first_line: int) -> int | None:
    """The line of the first scalar in `node` that PyYAML fails to construct."""
    loader = ManuscriptLoader("")
    pending = [node] if node is not None else []
    while pending:
        current = pending.pop(0)
        if isinstance(current, yaml.ScalarNode):
            try:
                loader.construct_object(current, deep=True)
            except ValueError:
                return first_line + current.start_mark.line
        elif isinstance(current, yaml.MappingNode):
            pending.extend(v for pair in current.value for v in pair)
        elif isinstance(current, yaml.SequenceNode):
            pending.extend(current.value)
    return None
