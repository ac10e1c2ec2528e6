"""Issue 13.9: odd but legal bodies and arguments are read for what they mean."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import gpuworkers
import pytest
from gpuworkers.vast import AsyncVastClient, VastClient
from gpuworkers.yotta import AsyncYottaClient, YottaClient

from tests.hostile.hostile_http import Reply, serve

KEY = "k" * 16
WORKER = {"id": 7, "status": "idle", "cur_load": 0.5}


@pytest.mark.parametrize(
    "body",
    [{"workers": [], "error": None}, {"workers": [WORKER], "error": None, "error_msg": ""}],
    ids=["null-error", "empty-error-msg"],
)
def test_vast_null_or_empty_error_key_is_not_an_error(body: dict[str, object]) -> None:
    with serve(lambda seen: Reply(200, body)) as origin, \
            VastClient(api_key=KEY, base_url=origin.url) as vast:
        workers = vast.workers.get_endpoint_workers(id=1)
    assert [w.id for w in workers] == [w["id"] for w in body["workers"]]  # type: ignore[attr-defined]


async def test_async_vast_null_error_is_not_an_error() -> None:
    with serve(lambda seen: Reply(200, {"workers": [WORKER], "error": None})) as origin:
        async with AsyncVastClient(api_key=KEY, base_url=origin.url) as vast:
            assert len(await vast.workers.get_endpoint_workers(id=1)) == 1


@pytest.mark.parametrize("body", [{"success": False}, {}, {"message": "ok", "data": None}])
def test_yotta_stop_without_the_success_code_is_not_a_success(body: dict[str, object]) -> None:
    with serve(lambda seen: Reply(200, body)) as origin, \
            YottaClient(api_key=KEY, base_url=origin.url) as yotta, \
            pytest.raises(gpuworkers.APIResponseValidationError) as info:
        yotta.deployments.stop(id=1)
    assert info.value.status_code == 200 and info.value.body == body
    assert "'code'" in str(info.value)


def status_lists(path: str) -> list[str]:
    return parse_qs(urlsplit(path).query)["statusList"]


def test_a_string_where_a_list_is_expected_is_one_item() -> None:
    empty = Reply(200, {"code": 10000, "message": "success", "data": []})
    with serve(lambda seen: empty) as origin, YottaClient(api_key=KEY,
                                                         base_url=origin.url) as yotta:
        yotta.deployments.list(status_list="RUNNING")  # type: ignore[arg-type]
        yotta.deployments.list_workers(id=1, status_list="RUNNING")  # type: ignore[arg-type]
    assert [status_lists(seen.path) for seen in origin.seen] == [["RUNNING"], ["RUNNING"]]


async def test_async_string_for_a_list_is_one_item() -> None:
    empty = Reply(200, {"code": 10000, "message": "success", "data": []})
    with serve(lambda seen: empty) as origin:
        async with AsyncYottaClient(api_key=KEY, base_url=origin.url) as yotta:
            await yotta.deployments.list(status_list="STOPPED")  # type: ignore[arg-type]
    assert status_lists(origin.seen[0].path) == ["STOPPED"]
