from pathlib import Path

from scaffolder._resources import template_root


def test_template_root_in_a_checkout_is_the_top_level_template_folder() -> None:
    root = template_root()
    assert (root / "copier.yml").is_file()
    assert root == Path(__file__).resolve().parent.parent / "template"
