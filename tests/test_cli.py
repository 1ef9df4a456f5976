from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from scaffolder import __version__, commands
from scaffolder._toml import loads
from scaffolder.cli import _LazyGroup, cli, main
from scaffolder.errors import ConflictError, FileFormatError, ScaffoldError


def test_version_flag_prints_the_package_version() -> None:
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert result.output == f"scaffold, version {__version__}\n"


def test_help_lists_every_command_module() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    for name in _LazyGroup().list_commands(click.Context(cli)):
        assert name in result.output


def test_unknown_command_is_a_usage_error() -> None:
    assert main(["no-such-command"]) == 2


def test_python_dash_m_runs_the_cli() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "scaffolder", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0
    assert __version__ in proc.stdout


ROOT = Path(__file__).resolve().parent.parent


def _declared_version() -> str:
    return str(loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"])


def test_the_version_is_the_one_pyproject_toml_declares() -> None:
    assert __version__ == _declared_version()


def test_from_a_source_tree_without_metadata_the_version_comes_from_pyproject_toml(
    tmp_path: Path,
) -> None:
    # A checkout that declares 9.9.9, run with -S: no site-packages, so no installed
    # claude-scaffold metadata; the package and its dependency (click) come from PYTHONPATH.
    checkout, deps = tmp_path / "checkout", tmp_path / "deps"
    checkout.mkdir()
    deps.mkdir()
    (checkout / "scaffolder").symlink_to(ROOT / "scaffolder")
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    declared = f'version = "{_declared_version()}"'
    assert declared in pyproject
    (checkout / "pyproject.toml").write_text(pyproject.replace(declared, 'version = "9.9.9"'))
    (deps / "click").symlink_to(Path(click.__file__).parent)
    proc = subprocess.run(
        [sys.executable, "-S", "-c", "import scaffolder; print(scaffolder.__version__)"],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(checkout), str(deps)])},
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "9.9.9\n"


@pytest.fixture
def failing_command(monkeypatch: pytest.MonkeyPatch) -> list[BaseException]:
    """Registers a throwaway `boom` command that raises whatever the test puts in the list."""
    to_raise: list[BaseException] = []

    @click.command()
    def boom() -> None:
        raise to_raise[0]

    original = _LazyGroup.get_command

    def get_command(self: _LazyGroup, ctx: click.Context, name: str) -> click.Command | None:
        return boom if name == "boom" else original(self, ctx, name)

    monkeypatch.setattr(_LazyGroup, "get_command", get_command)
    return to_raise


@pytest.mark.parametrize(
    ("error", "code", "line"),
    [
        (ScaffoldError("the thing is wrong; do X"), 2, "scaffold: error: the thing is wrong; do X"),
        (ConflictError("claude_stream.py exists"), 1, "scaffold: error: claude_stream.py exists"),
        (
            FileFormatError("pyproject.toml", "invalid TOML", line=3, col=7),
            2,
            "scaffold: error: pyproject.toml:3:7: invalid TOML",
        ),
    ],
)
def test_expected_errors_become_one_line_and_an_exit_code(
    failing_command: list[BaseException],
    capsys: pytest.CaptureFixture[str],
    error: ScaffoldError,
    code: int,
    line: str,
) -> None:
    failing_command.append(error)
    assert main(["boom"]) == code
    err = capsys.readouterr().err
    assert err == line + "\n"
    assert "Traceback" not in err


def test_a_bug_exits_2_with_the_traceback(
    failing_command: list[BaseException], capsys: pytest.CaptureFixture[str]
) -> None:
    failing_command.append(RuntimeError("unexpected"))
    assert main(["boom"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" in err
    assert "internal error" in err


def test_commands_package_holds_only_command_modules() -> None:
    # Every public module in scaffolder.commands must expose `command`; the lazy group relies on it.
    for name in _LazyGroup().list_commands(click.Context(cli)):
        command = cli.get_command(click.Context(cli), name)
        assert isinstance(command, click.Command), name
    assert commands.__doc__


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["lint", "--no-such-flag"], "No such option '--no-such-flag'"),
        (["lint", "--format", "nope"], "'nope' is not one of"),
        (["init", "--timeout", "soon"], "'soon' is not a valid integer"),
        (["verify", "--max-tokens", "0"], "0 is not in the range"),
        (["doctor", "/no/such/dir"], "'/no/such/dir' does not exist"),
        (["no-such-command"], "No such command 'no-such-command'"),
    ],
)
def test_clicks_own_usage_errors_are_one_line_with_exit_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], says: str
) -> None:
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1, err
    assert err.startswith("scaffold: error: "), err
    assert says in err
    assert "--help`" in err  # where to look next


def test_bare_scaffold_shows_the_help_not_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    main([])
    out, err = capsys.readouterr()
    assert "Usage: scaffold" in out + err
    assert "scaffold: error" not in out + err
