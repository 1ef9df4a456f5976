"""Test helpers for code that streams from the Anthropic API: a fake Messages API with faults."""
