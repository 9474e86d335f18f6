"""Where the folders beside the package live: the repository's `migrations/`, `widget/` and
`tenants/` in a checkout or an editable install, or the copies a wheel installs under
`<prefix>/share/havre/` (pyproject's data-files) when Havre is installed with `pip install .`."""

from __future__ import annotations

import sys
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parent.parent
INSTALLED = Path(sys.prefix) / "share" / "havre"


def resource_dir(name: str, *, checkout: Path = CHECKOUT, installed: Path = INSTALLED) -> Path:
    """The checkout's folder when the package sits in Havre's checkout (its pyproject.toml
    beside it: not some other package's folder of that name in site-packages), else the
    installed copy."""
    local = checkout / name
    if (checkout / "pyproject.toml").is_file() and local.is_dir():
        return local
    return installed / name
