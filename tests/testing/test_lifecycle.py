"""The server starts on a free port, survives rude clients quietly and stops without leftovers."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator

import anthropic
import pytest

from scaffolder.testing import FakeAnthropic, Fault

from .conftest import params, transport
from .wire import request, stream_body


def _fake_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("fake-anthropic")]


@pytest.fixture
def private_api() -> Iterator[FakeAnthropic]:
    """A server of the test's own (the fixture's one lives for the whole session)."""
    before = set(_fake_threads())
    api = FakeAnthropic(text="Private answer, long enough to stream in a few events.")
    yield api
    api.stop()
    assert set(_fake_threads()) <= before


def test_ephemeral_port_and_base_url(private_api: FakeAnthropic) -> None:
    with pytest.raises(RuntimeError, match="not running"):
        _ = private_api.base_url
    with private_api as api:
        assert api.base_url == f"http://127.0.0.1:{api.port}"
        assert api.port > 0
        assert api.start() is api  # starting twice is harmless
        with FakeAnthropic() as other:
            assert other.port != api.port


def test_stop_closes_idle_stalled_and_streaming_connections(private_api: FakeAnthropic) -> None:
    others = set(_fake_threads())  # the plugin's session server may be running: not ours
    api = private_api.start()
    idle = socket.create_connection(("127.0.0.1", api.port))
    api.script(Fault.stall(120, at=3), Fault.stall_headers(120))
    errors: list[BaseException] = []

    def stalled_client() -> None:
        with anthropic.Anthropic(base_url=api.base_url, api_key="t", max_retries=0) as client:
            try:
                with client.messages.stream(**params()) as stream:
                    for _ in stream.text_stream:
                        pass
            except Exception as error:
                errors.append(error)

    clients = [threading.Thread(target=stalled_client) for _ in range(2)]
    for thread in clients:
        thread.start()
    while len(api.requests) < 2:
        threading.Event().wait(0.01)
    api.stop()
    for thread in clients:
        thread.join(10)
    assert not any(thread.is_alive() for thread in clients)
    assert len(errors) == 2  # both stalled requests were cut, not left hanging
    assert idle.recv(1) == b""  # the idle keep-alive connection was closed too
    idle.close()
    assert set(_fake_threads()) <= others
    assert api.errors == []


def test_close_connections_aborts_a_stall(fake_anthropic: FakeAnthropic) -> None:
    fake_anthropic.script(Fault.stall(120, at=3))
    result: list[BaseException] = []

    def client() -> None:
        with anthropic.Anthropic(
            base_url=fake_anthropic.base_url, api_key="t", max_retries=0
        ) as sdk:
            try:
                with sdk.messages.stream(**params()) as stream:
                    for _ in stream.text_stream:
                        pass
            except Exception as error:
                result.append(error)

    thread = threading.Thread(target=client)
    thread.start()
    while not fake_anthropic.requests:
        threading.Event().wait(0.01)
    fake_anthropic.close_connections()
    thread.join(10)
    assert not thread.is_alive()
    # cut after the headers: a broken body; cut before them: the SDK's connection error
    assert isinstance(result[0], (transport.RemoteProtocolError, anthropic.APIConnectionError))
    # and the server still answers afterwards
    assert request(fake_anthropic.base_url, stream_body()).complete


def test_client_hanging_up_mid_stream_is_quiet(
    fake_anthropic: FakeAnthropic, capfd: pytest.CaptureFixture[str]
) -> None:
    fake_anthropic.text = "word " * 20000 + "end."
    for _ in range(3):
        sock = socket.create_connection(("127.0.0.1", fake_anthropic.port))
        body = json.dumps(stream_body(max_tokens=99999)).encode()
        sock.sendall(
            b"POST /v1/messages HTTP/1.1\r\ncontent-length: %d\r\n\r\n%s" % (len(body), body)
        )
        assert sock.recv(100).startswith(b"HTTP/1.1 200")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        sock.close()  # RST while the server is writing
    # half a request, then gone
    with socket.create_connection(("127.0.0.1", fake_anthropic.port)) as sock:
        sock.sendall(b"POST /v1/messages HTTP/1.1\r\ncontent-length: 100\r\n\r\n{")
    assert request(fake_anthropic.base_url, stream_body()).complete
    fake_anthropic.close_connections()
    assert fake_anthropic.errors == []
    assert "Traceback" not in capfd.readouterr().err


def test_script_is_thread_safe(fake_anthropic: FakeAnthropic) -> None:
    scripted = [Fault.status(529), Fault.eof(at=3), Fault.close(at=2), None] * 10
    fake_anthropic.script(*scripted)

    def worker() -> None:
        for _ in range(10):
            request(fake_anthropic.base_url, stream_body())

    workers = [threading.Thread(target=worker) for _ in range(4)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join(60)
    got = [r.fault for r in fake_anthropic.requests]
    assert len(got) == 40
    assert sorted(map(repr, got)) == sorted(map(repr, scripted))
    assert len({r.request_id for r in fake_anthropic.requests}) == 40


def test_reset_restores_the_constructor_settings() -> None:
    with FakeAnthropic(text="base", continuation_overlap=2, chunk_tokens=1) as api:
        api.text = "changed"
        api.continuation_overlap = None
        api.chunk_tokens = 9
        api.script(Fault.eof())
        request(api.base_url, stream_body())
        api.script(Fault.eof())
        api.reset()
        assert (api.text, api.continuation_overlap, api.chunk_tokens) == ("base", 2, 1)
        assert api.requests == []
        assert api.pending == 0


def test_ipv6_loopback() -> None:
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
    except OSError:
        pytest.skip("no IPv6 loopback on this machine")
    with FakeAnthropic(text="over IPv6", host="::1") as api:
        assert api.base_url == f"http://[::1]:{api.port}"
        with anthropic.Anthropic(base_url=api.base_url, api_key="t", max_retries=0) as client:
            message = client.messages.create(**params())
        assert message.content[0].text == "over IPv6"
