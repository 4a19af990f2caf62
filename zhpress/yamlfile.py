"""YAML reading that keeps line numbers, so every error can point into the user's file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import BookError


def load_mapping(text: str, path: Path, first_line: int = 1) -> tuple[dict[str, Any], dict[str, int]]:
    """Parse a YAML mapping; return it with the line of each top-level key.

    `first_line` is the file line where `text` starts (front matter begins on line 2).
    """
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = first_line + mark.line if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise BookError(path, f"malformed YAML: {problem}", line) from exc
    if data is None:
        return {}, {}
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        raise BookError(path, "expected a YAML mapping of 'key: value' lines", first_line)
    lines = {str(k.value): first_line + k.start_mark.line for k, _ in node.value}
    return {str(k): v for k, v in data.items()}, lines
