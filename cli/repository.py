"""Where a checkout of the project keeps what the operator commands read: the website's pages (`web/`), the
stages' settings (`.chalice/config.json`) and the running local stack's description (`.local/stack.json`).

`python -m cli` runs from a checkout. An installed `omjr` may run from anywhere: it looks for a checkout in
the current folder and its parents. A field office's `omjr upload --api-url ... --api-key ...` needs none.
"""

from __future__ import annotations

import os
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent  # the checkout when cli/ runs from one, site-packages when installed
MARKERS = ("app.py", ".chalice/config.json")


def is_checkout(folder: Path) -> bool:
    return all((folder / marker).exists() for marker in MARKERS)


def find_checkout(start: Path | None = None) -> Path | None:
    """The checkout this command belongs to: its own, else the nearest one around the current folder."""
    if is_checkout(HERE):
        return HERE
    folder = (start or Path.cwd()).resolve()
    return next((candidate for candidate in (folder, *folder.parents) if is_checkout(candidate)), None)


def checkout_or_exit(needed_for: str) -> Path:
    folder = find_checkout()
    if folder is None:
        raise SystemExit(f"{needed_for} needs a checkout of the project: run the command inside the repository.")
    return folder


def default_stack_file() -> Path:
    """The local stack's description, as `make run` writes it: in LOCAL_STATE_DIR when it is set (a stack
    run beside another, as local/stack.py reads it), else the checkout's `.local`."""
    state_dir = os.environ.get("LOCAL_STATE_DIR")
    return Path(state_dir) / "stack.json" if state_dir else (find_checkout() or Path.cwd()) / ".local" / "stack.json"
