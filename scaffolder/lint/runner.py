"""`run_lint`: discover files, reuse the cache, analyse the rest (in parallel on large trees)."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from stat import S_ISREG
from typing import TYPE_CHECKING

from scaffolder.lint import typescript
from scaffolder.lint.cache import Entry, LintCache, content_hash
from scaffolder.lint.codes import DECODE_ERROR, OTHER_SOURCE_SUFFIXES
from scaffolder.lint.config import Settings
from scaffolder.lint.diagnostics import Diagnostic, LintReport, Row
from scaffolder.lint.discovery import discover_files, is_excluded, mentions_anthropic
from scaffolder.lint.prefilter import may_have_findings
from scaffolder.lint.selection import select

if TYPE_CHECKING:
    import multiprocessing.context

#: Files to parse per worker process: below this, starting a worker costs more than it saves.
#: (Reading and the prefilter stay in the main process: they are I/O bound and cheap.)
PARALLEL_THRESHOLD = 16

# (cache key, path, mtime_ns, size, previous digest, previous rows)
_Task = tuple[str, str, int, int, "bytes | None", "tuple[Row, ...]"]
# (cache key, path, mtime_ns, size, digest, content) of a file that needs parsing
_Candidate = tuple[str, str, int, int, bytes, bytes]
#: Directory (as discovered) -> the settings of the nearest configuration for files in it.
SettingsFor = Callable[[str], Settings]


def run_lint(
    paths: Sequence[Path],
    *,
    settings: Settings,
    use_cache: bool = True,
    force_exclude: bool = False,
    stdin: bytes | None = None,
    jobs: int | None = None,
    settings_for: SettingsFor | None = None,
) -> LintReport:
    """Lint files and directories. With `stdin`, lint those bytes as the single path given.

    `settings_for` gives each file the settings of its own nearest configuration (a
    `pyproject.toml` with `[tool.scaffold]` in a subdirectory); `settings` applies otherwise.
    """
    if stdin is not None:
        from scaffolder.lint.engine import analyze_source

        (stdin_path,) = paths
        if force_exclude and is_excluded(stdin_path, settings):
            return LintReport((), 0)
        if stdin_path.name.endswith(OTHER_SOURCE_SUFFIXES):
            return LintReport((), 0, named_unchecked=(str(stdin_path),))
        stdin_rows = [d.as_row() for d in analyze_source(stdin, stdin_path, settings)]
        return LintReport(tuple(_select(str(stdin_path), stdin_rows, settings)), 1)

    discovered = discover_files(paths, settings, force_exclude=force_exclude)
    diagnostics: list[Diagnostic] = []
    checked = from_cache = 0
    for group_settings, files in group_by_settings(
        discovered.linted, paths, settings, force_exclude=force_exclude, settings_for=settings_for
    ):
        report = _lint_files(files, group_settings, use_cache=use_cache, jobs=jobs)
        diagnostics.extend(report.diagnostics)
        checked += report.files_checked
        from_cache += report.files_from_cache
    diagnostics.sort()
    unchecked = tuple(path for path in discovered.others if mentions_anthropic(path))
    named = tuple(discovered.named_others)
    return LintReport(tuple(diagnostics), checked, from_cache, unchecked, named)


def list_files(
    paths: Sequence[Path],
    settings: Settings,
    *,
    force_exclude: bool = False,
    settings_for: SettingsFor | None = None,
) -> list[tuple[Settings, list[str]]]:
    """The files to lint, grouped by the settings that apply to them (one group unless a
    subdirectory has its own configuration, whose `exclude` then applies below it too)."""
    files = discover_files(paths, settings, force_exclude=force_exclude).linted
    return group_by_settings(
        files, paths, settings, force_exclude=force_exclude, settings_for=settings_for
    )


def group_by_settings(
    files: list[str],
    paths: Sequence[Path],
    settings: Settings,
    *,
    force_exclude: bool,
    settings_for: SettingsFor | None,
) -> list[tuple[Settings, list[str]]]:
    if settings_for is None:
        return [(settings, files)]
    named = {str(p) for p in paths if not p.is_dir()}
    groups: dict[int, tuple[Settings, list[str]]] = {id(settings): (settings, [])}
    dirname, last_directory, own = os.path.dirname, None, settings
    for path in files:
        directory = dirname(path)
        if directory != last_directory:  # (a walk lists a directory's files together)
            own, last_directory = settings_for(directory or "."), directory
        below_own_config = own is not settings and (force_exclude or path not in named)
        if below_own_config and is_excluded(Path(path), own):
            continue
        groups.setdefault(id(own), (own, []))[1].append(path)
    return [group for group in groups.values() if group[1] or group[0] is settings]


def _lint_files(
    files: list[str], settings: Settings, *, use_cache: bool, jobs: int | None
) -> LintReport:
    cache = LintCache(settings) if use_cache and files else None
    entries = cache.load() if cache else {}
    cwd = os.getcwd()
    results: dict[str, tuple[Row, ...]] = {}
    tasks: list[_Task] = []
    from_cache = 0
    isabs, join, stat_of = os.path.isabs, os.path.join, os.stat
    for path in files:
        key = path if isabs(path) else join(cwd, path)
        try:
            stat = stat_of(path)
        except OSError as exc:
            results[path] = (_read_error(exc),)
            continue
        if not S_ISREG(stat.st_mode):  # a FIFO or device named explicitly: never opened
            results[path] = (_read_error(OSError(0, "not a regular file")),)
            continue
        entry = entries.get(key)
        if entry is not None and entry[0] == stat.st_mtime_ns and entry[1] == stat.st_size:
            if entry[3]:
                results[path] = entry[3]
            from_cache += 1
        else:
            old: Entry = entry if entry is not None else (0, 0, None, ())
            tasks.append((key, path, stat.st_mtime_ns, stat.st_size, old[2], old[3]))

    for key, path, entry in _analyze(tasks, settings, jobs):
        if entry[3]:
            results[path] = entry[3]
        entries[key] = entry
    if cache is not None and tasks:
        cache.save(entries)

    diagnostics: list[Diagnostic] = []
    for path, rows in results.items():
        diagnostics.extend(_select(path, rows, settings))
    diagnostics.sort()
    return LintReport(tuple(diagnostics), len(files), from_cache)


def _select(path: str, rows: Sequence[Row], settings: Settings) -> list[Diagnostic]:
    as_path = Path(path)
    return select((Diagnostic.from_row(as_path, row) for row in rows), as_path, settings)


def _analyze(
    tasks: list[_Task], settings: Settings, jobs: int | None
) -> list[tuple[str, str, Entry]]:
    """Read and prefilter every file here (cheap, I/O bound); parse the candidates, in worker
    processes when there are many of them."""
    results: list[tuple[str, str, Entry]] = []
    to_parse: list[_Candidate] = []
    for key, path, mtime, size, old_digest, old_rows in tasks:
        try:
            data = _read(path, size)
        except OSError as exc:
            results.append((key, path, (mtime, size, None, (_read_error(exc),))))
            continue
        prefilter = typescript.may_have_findings if typescript.handles(path) else may_have_findings
        if not prefilter(data):
            results.append((key, path, (mtime, size, None, ())))
            continue
        digest = content_hash(data)
        if digest == old_digest:  # touched, not changed
            results.append((key, path, (mtime, size, digest, old_rows)))
        else:
            to_parse.append((key, path, mtime, size, digest, data))

    if not to_parse:
        return results  # (and the rule engine is never imported)
    workers = min(jobs or _cpu_count(), len(to_parse) // PARALLEL_THRESHOLD)
    if workers < 2:
        results.extend(_parse_chunk(to_parse, settings))
        return results
    import concurrent.futures

    chunks = [to_parse[i::workers] for i in range(workers)]
    with concurrent.futures.ProcessPoolExecutor(workers, mp_context=_mp_context()) as pool:
        for chunk_result in pool.map(_parse_chunk, chunks, [settings] * len(chunks)):
            results.extend(chunk_result)
    return results


def _parse_chunk(items: list[_Candidate], settings: Settings) -> list[tuple[str, str, Entry]]:
    # The rule engine is imported only once a file needs it (and in each worker).
    from scaffolder.lint.engine import analyze_source

    results: list[tuple[str, str, Entry]] = []
    for key, path, mtime, size, digest, data in items:
        findings = analyze_source(data, Path(path), settings, prefilter=False)
        results.append((key, path, (mtime, size, digest, tuple(d.as_row() for d in findings))))
    return results


def _read(path: str, size: int) -> bytes:
    """The file's bytes in (usually) one read: `size` comes from the stat already made."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        data = os.read(fd, size + 1)
        if len(data) <= size:  # a regular file reads short only at its end
            return data
        chunks = [data]  # it grew since the stat (bounded: it might never stop growing)
        total = len(data)
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
            total += len(chunk)
            if total > size + _MAX_GROWTH:
                raise OSError(0, "the file keeps growing while being read")
        return b"".join(chunks)
    finally:
        os.close(fd)


_MAX_GROWTH = 1 << 26


def _read_error(exc: OSError) -> Row:
    return (DECODE_ERROR, f"cannot read file: {exc.strerror or exc}", 1, 1, 1, 1, None)


def _cpu_count() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _mp_context() -> multiprocessing.context.BaseContext:
    import multiprocessing

    # fork is cheap and safe here (no threads); macOS and Windows use their default (spawn).
    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()
