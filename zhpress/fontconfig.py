"""Asking fontconfig about the faces the styles name: the answer WeasyPrint and Pango will use."""

from __future__ import annotations

import shutil
import subprocess


def match(query: str, family: str, fields: str) -> str | None:
    """fc-match's `fields` (an fc-match format such as `%{file}|%{index}`) for `query`, or None
    when fontconfig is missing or would substitute a face of another family for `family`."""
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return None
    command = [fc_match, "-f", "%{family}\n" + fields, query]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    families, _, answer = result.stdout.partition("\n")
    if result.returncode != 0 or family not in families.split(","):
        return None
    return answer
