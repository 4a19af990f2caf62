"""YAML reading that keeps line numbers, so every error can point into the user's file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ..errors import BookError


def load_mapping(text: str, path: Path, first_line: int = 1) -> tuple[dict[str, Any], dict[str, int]]:
    """Parse a YAML mapping; return it with the line of each top-level key.

    `first_line` is the file line where `text` starts (front matter begins on line 2).
    """
    node = None
    try:
        # One parse: the node tree gives the lines, the same tree is built into values.
        loader = yaml.SafeLoader(text)
        node = loader.get_single_node()
        data = None if node is None else loader.construct_document(node)
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
    loader = yaml.SafeLoader("")
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
