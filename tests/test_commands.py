"""The README's two commands are the contract with a new user and with CI."""

from __future__ import annotations

import re

from tests.conftest import REPO


def readme_command(section: str) -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    match = re.search(rf"^##\s+{section}\s*$(.*?)(?=^##\s|\Z)", text, re.M | re.S)
    assert match, f"README.md has no '## {section}' section"
    blocks = re.findall(r"```[a-z]*\n(.*?)```", match.group(1), re.S)
    assert len(blocks) == 1, f"'## {section}' must hold exactly one fenced command"
    lines = [line.strip() for line in blocks[0].strip().splitlines() if line.strip()]
    return " ".join(line.rstrip("\\").strip() for line in lines if not line.startswith("#"))


def test_readme_has_one_run_command_that_starts_the_demo() -> None:
    command = readme_command("Run")
    assert "havre demo" in command
    assert "pip install" in command


def test_readme_has_one_test_command() -> None:
    assert readme_command("Test")


def test_ci_runs_exactly_the_readme_test_command() -> None:
    command = readme_command("Test")
    ci_lines = [
        line.strip()
        for line in (REPO / ".ci" / "run").read_text().splitlines()
        if line.strip() and not line.strip().startswith("#")
    ]
    assert command in ci_lines
