"""The pytest plugin as a user meets it: their test suite, run by pytest, using the fixture."""

from __future__ import annotations

import subprocess
import sys

import pytest


def test_fixture_in_a_users_test_suite(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nasyncio_default_fixture_loop_scope = function\n")
    pytester.makepyfile(
        test_user_code="""
        import anthropic
        import pytest

        from scaffolder.testing import Fault


        def ask(client):
            with client.messages.stream(
                model="claude-haiku-4-5",
                max_tokens=1000,
                messages=[{"role": "user", "content": "Hi"}],
            ) as stream:
                return "".join(stream.text_stream)


        def test_healthy(fake_anthropic):
            fake_anthropic.text = "Hello from the fake."
            client = anthropic.Anthropic(base_url=fake_anthropic.base_url, api_key="test")
            assert ask(client) == "Hello from the fake."
            assert len(fake_anthropic.requests) == 1


        def test_overloaded_then_retried_by_the_sdk(fake_anthropic):
            fake_anthropic.script(Fault.status(529, retry_after=0.01), None)
            client = anthropic.Anthropic(
                base_url=fake_anthropic.base_url, api_key="test", max_retries=1
            )
            assert ask(client) == fake_anthropic.text
            assert [r.status for r in fake_anthropic.requests] == [529, 200]


        def test_state_does_not_leak_between_tests(fake_anthropic):
            assert fake_anthropic.requests == []
            assert fake_anthropic.pending == 0
            assert fake_anthropic.text != "Hello from the fake."
            fake_anthropic.script(Fault.close(at=3), Fault.close(at=3))  # left over on purpose


        def test_left_over_script_was_cleared(fake_anthropic):
            assert fake_anthropic.pending == 0
            client = anthropic.Anthropic(base_url=fake_anthropic.base_url, api_key="test")
            assert ask(client) == fake_anthropic.text


        def test_close_mid_body_reaches_the_user(fake_anthropic):
            fake_anthropic.script(Fault.close(at=4))
            client = anthropic.Anthropic(base_url=fake_anthropic.base_url, api_key="test")
            with pytest.raises(Exception) as caught:
                ask(client)
            assert type(caught.value).__name__ == "RemoteProtocolError"


        PORTS = set()


        @pytest.mark.parametrize("run", [1, 2])
        def test_one_server_for_the_session(fake_anthropic, run):
            assert fake_anthropic.base_url.startswith("http://127.0.0.1:")
            PORTS.add(fake_anthropic.port)
            assert len(PORTS) == 1
        """
    )
    # A subprocess, as a user runs it: an in-process run would share (and, on exit, drop from
    # sys.modules) the SDK and transport modules this session already uses.
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-v")
    result.assert_outcomes(passed=7)


def test_fixture_is_documented_in_pytest_fixtures(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nasyncio_default_fixture_loop_scope = function\n")
    pytester.makepyfile(test_nothing="def test_nothing():\n    pass\n")
    result = pytester.runpytest_subprocess("--fixtures", "-p", "no:cacheprovider")
    result.stdout.fnmatch_lines(["fake_anthropic -- *plugin.py*", "*fake Anthropic Messages API*"])


def test_loading_the_plugin_imports_nothing_heavy_and_starts_no_server() -> None:
    code = (
        "import sys, threading\n"
        "import scaffolder.testing.plugin\n"
        "heavy = {'anthropic', 'httpx', 'httpx2', 'http.server', 'scaffolder.testing._server'}\n"
        "heavy &= set(sys.modules)\n"
        "assert not heavy, heavy\n"
        "assert threading.active_count() == 1\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
