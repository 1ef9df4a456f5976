"""load_config: discovery of [tool.scaffold], defaults, validation."""

from __future__ import annotations

from pathlib import Path

import pytest

from scaffolder.errors import ConfigError
from scaffolder.lint.config import Settings, load_config


def test_defaults_without_any_pyproject(tmp_path: Path) -> None:
    settings = load_config(tmp_path)
    assert settings == Settings(project_root=tmp_path.resolve())
    assert settings.min_timeout == 300
    assert settings.select == ("SCF",)
    assert settings.resolved_cache_dir == tmp_path.resolve() / ".scaffold_cache"


def test_root_is_the_nearest_pyproject_even_without_a_table(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    (tmp_path / "src" / "pkg").mkdir(parents=True)
    settings = load_config(tmp_path / "src" / "pkg" / "mod.py")
    assert settings.project_root == tmp_path.resolve()
    assert settings.config_path is None


def test_the_nearest_table_wins_and_values_are_read(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        "[tool.scaffold]\nmin-timeout = 900\n"
        'per-file-ignores = { "tests/**" = ["SCF001"] }\n'
        'recovery-functions = ["app.llm.safe"]\n'
    )
    settings = load_config(tmp_path / "anything.py")
    assert settings.min_timeout == 900.0
    assert settings.per_file_ignores == (("tests/**", ("SCF001",)),)
    assert settings.recovery_functions == ("app.llm.safe",)
    assert settings.config_path == (tmp_path / "pyproject.toml").resolve()


def test_config_file_skips_discovery(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.scaffold]\nmin-timeout = 900\n")
    other = tmp_path / "ci" / "scaffold.toml"
    other.parent.mkdir()
    other.write_text("min-timeout = 120\n")
    settings = load_config(tmp_path, config_file=other)
    assert (settings.min_timeout, settings.project_root) == (120.0, other.parent.resolve())


def test_missing_config_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read config file"):
        load_config(tmp_path, config_file=tmp_path / "nope.toml")


def test_errors_name_the_key_and_the_value(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.scaffold]\nextend-select = ["SCF0X"]\n')
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path)
    assert "extend-select" in info.value.message
    assert "'SCF0X'" in info.value.message


def test_settings_are_hashable_and_frozen(tmp_path: Path) -> None:
    settings = load_config(tmp_path)
    hash(settings)
    with pytest.raises(AttributeError):
        settings.min_timeout = 1  # type: ignore[misc]
