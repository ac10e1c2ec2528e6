"""Issue 13.2: a path parameter is exactly one segment; dot segments never reach the wire."""

from __future__ import annotations

import gpuworkers
import pytest
from gpuworkers.everai import EverAIClient
from gpuworkers.yotta import AsyncYottaClient, YottaClient

from tests.hostile.hostile_http import Reply, serve

OK = Reply(200, {"code": 10000, "message": "success", "data": None})

# Each of these resolves to `.` or `..` somewhere between the client and the handler: in
# httpx or a proxy (RFC 3986 dot-segment removal), or in a server that decodes once more
# or folds Unicode compatibility forms.
DOT_SEGMENTS = [".", "..", "%2e", "%2E%2e", "%252e%252e", "．．", "\u2025", " .. ", "a/../b",
                "..\\x", "%2e%2e%2fadmin"]


EVERAI_LIST = Reply(200, {"workers": []})


@pytest.mark.parametrize("value", DOT_SEGMENTS)
def test_dot_segment_is_refused_before_anything_is_sent(value: str) -> None:
    # A string path parameter (Yotta's ids are ints since issue 14: a string is refused as
    # an InvalidArgumentError before the path is built, see the last test).
    with serve(lambda seen: EVERAI_LIST) as origin, EverAIClient(token="t" * 16,
                                                                base_url=origin.url) as everai:
        with pytest.raises(gpuworkers.PathParameterError) as info:
            everai.workers.list(name=value)
        assert origin.seen == []
    error = info.value
    assert isinstance(error, ValueError) and isinstance(error, gpuworkers.GpuWorkersError)
    assert "'name'" in str(error) and "one segment" in str(error)


def test_everai_scale_up_of_parent_is_refused() -> None:
    answer = Reply(200, {"workers": []})
    with serve(lambda seen: answer) as origin, EverAIClient(token="t" * 16,
                                                           base_url=origin.url) as everai:
        with pytest.raises(gpuworkers.PathParameterError):
            everai.workers.scale_up(name="..", scale_up_workers_num=1)
        assert origin.seen == []


def test_empty_path_parameter_is_refused() -> None:
    with serve(lambda seen: EVERAI_LIST) as origin, EverAIClient(token="t" * 16,
                                                                base_url=origin.url) as everai:
        with pytest.raises(gpuworkers.PathParameterError, match="'name'"):
            everai.workers.list(name="")
        assert origin.seen == []


@pytest.mark.parametrize("value", ["..", "", None])
def test_a_path_id_that_is_not_an_integer_is_refused(value: str | None) -> None:
    with serve(lambda seen: OK) as origin, YottaClient(api_key="k" * 16,
                                                       base_url=origin.url) as yotta:
        with pytest.raises(gpuworkers.InvalidArgumentError, match="id: "):
            yotta.deployments.stop(id=value)  # type: ignore[arg-type]  # a hostile caller
        assert origin.seen == []


async def test_async_client_refuses_too() -> None:
    with serve(lambda seen: OK) as origin:
        async with AsyncYottaClient(api_key="k" * 16, base_url=origin.url) as yotta:
            with pytest.raises(gpuworkers.InvalidArgumentError):
                await yotta.deployments.delete(id="..")  # type: ignore[arg-type]
        assert origin.seen == []
