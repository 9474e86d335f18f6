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


# Lines of .ci/run that only set the shell up; everything else must be the README command.
CI_PREAMBLE = {"set -euo pipefail", 'cd "$(dirname "$0")/.."'}


def ci_commands() -> list[str]:
    """The commands .ci/run executes, a line continued with a backslash joined as in the README."""
    commands: list[str] = []
    continued = False
    for raw in (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not continued and (not line or line.startswith("#")):
            continue
        part = line.rstrip("\\").strip()
        if continued:
            commands[-1] = f"{commands[-1]} {part}".strip()
        else:
            commands.append(part)
        continued = line.endswith("\\")
    return [command for command in commands if command not in CI_PREAMBLE]


def test_ci_runs_exactly_the_readme_test_command() -> None:
    assert ci_commands() == [readme_command("Test")]
