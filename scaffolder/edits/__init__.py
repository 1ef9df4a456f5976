"""Pure text edits of files scaffold shares with the user (CLAUDE.md, pyproject.toml, ...).

Each function takes the current text and returns the new text; reading, decoding and writing
belong to the caller (`scaffolder._fs`). Everything outside what scaffold manages is preserved
byte for byte.
"""
