"""pytest plugin (entry point `pytest11`) exposing the fake Messages API fixtures."""
