"""The docs stay true (after sqlite-utils' tests/test_docs.py): every command's help has an example, every flag the
README shows exists on its command, every report format is documented."""

from __future__ import annotations

import re
from typing import Any

import pytest

from coverage.cli import Format

from .conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")
COMMANDS = [["compare"], ["quotes"], ["demo"], ["diff"], ["sources", "list"], ["sources", "show"], ["sources", "check"],
            ["corpus", "run"], ["corpus", "report"]]  # fmt: skip


def _help(cli: Any, command: list[str]) -> str:
    result = cli(*command, "--help")
    assert result.exit_code == 0, result.stderr
    return str(result.stdout)


def _readme_commands() -> list[tuple[list[str], set[str]]]:
    """(subcommand, flags) of every `newscov ...` command line in the README's code blocks, continuations joined."""
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", README, re.DOTALL):
        for line in block.replace("\\\n", " ").splitlines():
            line = line.split("#", 1)[0].strip().removeprefix("uv run ")
            if not line.startswith("newscov "):
                continue
            words = line.split()[1:]
            if words[:1] == ["corpus"]:  # `newscov corpus PATH…` is `newscov corpus run PATH…`
                command = ["corpus", "report" if words[1:2] == ["report"] else "run"]
            else:
                command = words[:2] if words[:1] == ["sources"] else words[:1]
            commands.append((command, set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", line))))
    return commands


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_has_an_example_in_its_help(cli: Any, command: list[str]) -> None:
    text = _help(cli, command)
    assert "Example:" in text and f"newscov {' '.join(command)}" in text


def test_every_flag_in_the_readme_exists(cli: Any) -> None:
    commands = _readme_commands()
    assert len(commands) > 10
    helps: dict[str, str] = {}
    for command, flags in commands:
        if command[0].startswith("-"):
            continue  # newscov --help, newscov --version
        key = " ".join(command)
        text = helps.setdefault(key, _help(cli, command))
        missing = sorted(f for f in flags if f not in text and f not in ("--help", "--version"))
        assert not missing, f"README shows `newscov {key}` with {missing}, which it does not have"


def test_every_report_format_is_documented(cli: Any) -> None:
    text = _help(cli, ["compare"])
    for fmt in Format:
        assert fmt.value in text, f"--format {fmt.value} is not in compare --help"
        assert f"--format {fmt.value}" in README or f"-o report.{fmt.value}" in README or fmt is Format.terminal
    assert "uv run pytest" in README and "uv run newscov demo" in README  # the two quick-start commands
