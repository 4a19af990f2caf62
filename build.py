#!/usr/bin/env python3
"""Build a Chinese book (PDF and EPUB) from a manuscript folder of Markdown chapters.

Runs with any Python 3: outside the project's `.venv` (which `make` sets up with every
package the build needs) it runs itself again inside it.
"""

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
VENV = HERE / ".venv"


def _in_venv() -> bool:
    return Path(sys.prefix).resolve() == VENV.resolve()


if __name__ == "__main__":
    if not _in_venv():
        python = VENV / "bin" / "python"
        if not python.exists():
            print("zhpress: error: run 'make' first: it sets up .venv with what the build needs", file=sys.stderr)
            sys.exit(2)
        os.execv(python, [str(python), str(Path(__file__).resolve()), *sys.argv[1:]])
    from zhpress.cli import main

    sys.exit(main(sys.argv[1:]))
