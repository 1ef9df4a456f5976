"""The real Claude Code CLI, installed from npm into a cache, run headless and offline.

`install_claude_code` installs one pinned release of `@anthropic-ai/claude-code` into
`~/.cache/scaffolder-tests/npm/claude-code-<version>` (once per machine: later sessions reuse
it). `offline_env` is the whole environment `claude -p` gets: a throwaway HOME (no user
settings, no login), a dummy API key, `ANTHROPIC_BASE_URL` at the fake Messages API, every
documented switch for traffic that is not the model (telemetry, error reporting, auto-update,
release notes) off, and a proxy that is a trap on 127.0.0.1: any request to anywhere but the
fake API reaches the trap, which records its request line and closes (`ProxyTrap.seen`).
"""

from __future__ import annotations

import os
import shutil
import socketserver
import subprocess
import tempfile
import threading
from pathlib import Path
from types import TracebackType

# The release the recorded payloads (payloads/claude-code-*.json) come from. Bump it on purpose:
# the end-to-end test then shows whether the payloads Claude Code sends still have that shape.
CLAUDE_CODE_VERSION = "2.1.197"
PACKAGE = "@anthropic-ai/claude-code"


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "scaffolder-tests" / "npm"


def install_claude_code(version: str = CLAUDE_CODE_VERSION) -> Path:
    """The `claude` executable of `version`, installed from the npm registry if not cached."""
    prefix = cache_dir() / f"claude-code-{version}"
    executable = prefix / "node_modules" / ".bin" / "claude"
    if executable.exists():
        return executable
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("node is installed but npm is not: cannot install Claude Code")
    prefix.parent.mkdir(parents=True, exist_ok=True)
    # Install next to the final place and rename: an interrupted install leaves no half cache.
    staging = Path(tempfile.mkdtemp(prefix=f".claude-code-{version}-", dir=prefix.parent))
    try:
        subprocess.run(
            [npm, "install", "--prefix", str(staging), "--no-audit", "--no-fund",
             "--loglevel=error", f"{PACKAGE}@{version}"],
            check=True,
            capture_output=True,
            text=True,
            timeout=900,
        )  # fmt: skip
        staging.rename(prefix)
    except subprocess.CalledProcessError as exc:
        raise RuntimeError(f"npm install {PACKAGE}@{version} failed:\n{exc.stderr}") from exc
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return executable


class ProxyTrap:
    """A 'proxy' on 127.0.0.1 that answers nothing: it records each request line and hangs up."""

    def __init__(self) -> None:
        self.seen: list[str] = []
        trap = self

        class _Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                trap.seen.append(self.rfile.readline().decode("latin-1").strip())

        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> ProxyTrap:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()


def offline_env(*, base_url: str, home: Path, proxy: str, path: str) -> dict[str, str]:
    """The environment of a `claude -p` run that may reach nothing but the fake API.

    Names from https://code.claude.com/docs/en/env-vars (see docs/agents.md).
    """
    return {
        "PATH": path,
        "HOME": str(home),
        "CLAUDE_CONFIG_DIR": str(home / ".claude"),
        "ANTHROPIC_BASE_URL": base_url,
        "ANTHROPIC_API_KEY": "sk-ant-scaffolder-tests-dummy",  # -p uses a key when one is set
        # Telemetry, error reporting, the auto-updater and the other calls that are not the
        # model, all in one switch; the single ones too, for releases that read only those.
        "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1",
        "DISABLE_TELEMETRY": "1",
        "DISABLE_ERROR_REPORTING": "1",
        "DISABLE_AUTOUPDATER": "1",
        "HTTPS_PROXY": proxy,
        "HTTP_PROXY": proxy,
        "https_proxy": proxy,
        "http_proxy": proxy,
        "NO_PROXY": "127.0.0.1",
        "no_proxy": "127.0.0.1",
    }
