"""Installed from a wheel (`pip install .`, as the Dockerfile does), Havre finds its migrations,
its widget and the demo tenants without the repository beside it."""

from __future__ import annotations

import json
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

from server.migrate import load_migrations
from server.resources import resource_dir
from tests.conftest import REPO

PROBE = """
import json, server
from server.migrate import MIGRATIONS_DIR, load_migrations
from server.resources import resource_dir
from server.widget.assets import WIDGET_DIR, WidgetAssets
assets = WidgetAssets()
print(json.dumps({
    "package": server.__file__,
    "migrations": [m.name for m in load_migrations()],
    "migrations_dir": str(MIGRATIONS_DIR),
    "widget_dir": str(WIDGET_DIR),
    "locales": sorted(assets.texts),
    "tenants": sorted(p.name for p in resource_dir("tenants").glob("*.toml")),
}))
"""


def test_a_wheel_install_carries_migrations_widget_and_demo_tenants(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(REPO)],
        check=True,
        timeout=300,
    )
    [wheel] = tmp_path.glob("havre-*.whl")
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    target = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    # The wheel alone in the new environment; its dependencies come from this one's
    # site-packages, added after it (a plain path: this environment's editable finder is not
    # loaded, so `import server` can only find the wheel's copy).
    Path(target, "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    install = ["install", "--no-deps", "-q", str(wheel)]
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), *install], check=True, timeout=300
    )
    probe = subprocess.run(
        [str(python), "-c", PROBE], cwd=tmp_path, check=True, capture_output=True, text=True
    )
    found = json.loads(probe.stdout)

    installed = env_dir / "share" / "havre"
    assert Path(found["package"]).is_relative_to(target)
    assert Path(found["migrations_dir"]) == installed / "migrations"
    assert found["migrations"] == [m.name for m in load_migrations()]
    assert Path(found["widget_dir"]) == installed / "widget"
    assert found["locales"] == ["en", "fr"]
    assert found["tenants"] == sorted(p.name for p in (REPO / "tenants").glob("*.toml"))


def test_a_checkout_uses_its_own_folders_and_an_install_its_shared_copy(tmp_path: Path) -> None:
    checkout, installed = tmp_path / "checkout", tmp_path / "prefix" / "share" / "havre"
    (checkout / "migrations").mkdir(parents=True)
    # Without Havre's pyproject.toml beside it, a folder of that name belongs to someone else.
    assert resource_dir("migrations", checkout=checkout, installed=installed) == (
        installed / "migrations"
    )
    (checkout / "pyproject.toml").write_text("[project]\nname = 'havre'\n")
    assert resource_dir("migrations", checkout=checkout, installed=installed) == (
        checkout / "migrations"
    )
    assert resource_dir("widget", checkout=checkout, installed=installed) == installed / "widget"
