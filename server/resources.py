"""Where the folders beside the package live: the repository's `migrations/`, `widget/` and
`tenants/` in a checkout or an editable install, or the copies a wheel installs under
`<prefix>/share/havre/` (pyproject's data-files) when Havre is installed with `pip install .`."""

from __future__ import annotations

import sys
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parent.parent
INSTALLED = Path(sys.prefix) / "share" / "havre"


def resource_dir(name: str, *, checkout: Path = CHECKOUT, installed: Path = INSTALLED) -> Path:
    """The checkout's folder when there is one, else the installed copy."""
    local = checkout / name
    return local if local.is_dir() else installed / name
