"""Every note on the page of its call.

WeasyPrint 70.0 moves notes already placed on a page to the next one to make room for a
paragraph's first lines (orphans), leaving their reference marks behind; `patches()`
stops that, reaching into WeasyPrint's internals (pinned by `extensions.REQUIRED_VERSIONS`).

How it stops it matters. An earlier version set `orphans` to 0 while lines were laid out,
so that WeasyPrint never needed the room. WeasyPrint's `_break_line` assumes orphans of
at least 1: when `widows` then pushed every line of a two-line paragraph to the next page,
it resumed after the lines it had pushed, and the paragraph's first line was never printed
(the default book lost one that way). `orphans` and `widows` now stay as the stylesheet
sets them; only WeasyPrint's decision to move the page's notes is taken out. A paragraph
whose first lines would need that room moves to the next page whole, as orphans asks.

One path still carries a note over: a line whose note is taller than a whole page's note
area, which no page can hold with its call. WeasyPrint then sets the note on a later page;
the print proof names it, and the translator shortens or splits the note.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
import types
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from weasyprint.layout import block

from . import Patch

_original_linebox_layout = block._linebox_layout
# The one statement of `_linebox_layout` our version changes: whether to move the page's
# notes to the next page so that the overflowing line fits (`report = not in_column and …`).
NOTE_REPORT_DECISION = "report"


def patches() -> list[Patch]:
    """`_linebox_layout` reports the page's earlier notes to the next page when a line that
    overflows cannot be left behind because of `orphans`. Our version never does: the line
    (with its paragraph's earlier lines, as orphans asks) goes to the next page instead.
    With `footnote-policy: line` (print.css), a line whose own note does not fit moves to
    the next page with its note."""
    return [Patch(block, "_linebox_layout", _linebox_layout_keeping_notes())]


@lru_cache(maxsize=1)
def _linebox_layout_keeping_notes() -> Callable[..., Any]:
    """WeasyPrint's own `_linebox_layout`, compiled from its installed source with the note
    report decision set to False: every other statement is WeasyPrint's, at its own line
    numbers, so tracebacks and profiles still point into WeasyPrint's file."""
    source = inspect.getsource(_original_linebox_layout)
    tree = ast.parse(textwrap.dedent(source))
    ast.increment_lineno(tree, _original_linebox_layout.__code__.co_firstlineno - 1)
    decisions = [
        node for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        and [getattr(t, "id", None) for t in node.targets] == [NOTE_REPORT_DECISION]
    ]
    if len(decisions) != 1:
        raise RuntimeError(f"WeasyPrint's _linebox_layout has {len(decisions)} '{NOTE_REPORT_DECISION} =' "
                           "statements, not one: zhpress's notes extension no longer fits this WeasyPrint")
    decisions[0].value = ast.copy_location(ast.Constant(False), decisions[0].value)
    module = compile(tree, inspect.getsourcefile(_original_linebox_layout) or "<weasyprint>", "exec")
    code = next(c for c in module.co_consts if isinstance(c, types.CodeType) and c.co_name == "_linebox_layout")
    return types.FunctionType(code, vars(block), code.co_name, _original_linebox_layout.__defaults__)
