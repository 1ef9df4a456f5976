"""scaffolder: harden existing repositories against interrupted Anthropic API streams."""

__version__ = "0.1.0"
