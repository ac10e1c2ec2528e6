"""A failure after a followed redirect is the service's error, with its body masked.

httpx gives the redirect's request the original body as a stream it never reads into
``content`` (``Response.next_request``); over a real socket (MockTransport reads every
body) the error message and the debug log must still see that body.
"""

from __future__ import annotations

import json
import logging

import gpuworkers
import httpx
import pytest
from gpuworkers.yotta import YottaClient
from gpuworkers.yotta.models import EnvironmentVariable, ResourceRequest

from tests.hostile.hostile_http import Reply, Seen, serve

KEY = "yk-4f1c9a7e2b8d6035"


def test_status_error_after_a_307_names_the_new_url_and_masks_the_resent_secret(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="gpuworkers")  # what GPUWORKERS_LOG=debug sets

    def answer(seen: Seen) -> Reply:
        if not seen.path.startswith("/moved"):
            return Reply(307, None, {"Location": "/moved"})
        sent = json.loads(seen.body)["environmentVars"][0]["value"]
        return Reply(400, {"code": 10001, "message": f"bad value {sent}", "data": None})

    with serve(answer) as origin, \
            YottaClient(api_key=KEY, base_url=origin.url,
                        http_client=httpx.Client(follow_redirects=True)) as yotta, \
            pytest.raises(gpuworkers.BadRequestError) as info:
        yotta.deployments.create(
            name="app", image="img", workers=1, container_volume_in_gb=20, service_mode="ALB",
            resources=[ResourceRequest(region="us", gpu_type="H100", gpu_count=1)],
            environment_vars=[EnvironmentVariable(key="HF_TOKEN", value="hf_secretvalue0123")],
        )
    assert str(info.value) == (f"HTTP 400 Bad Request: POST {origin.url}/moved: "
                               "bad value <redacted> (code=10001)")
    assert "hf_secretvalue0123" not in "\n".join(r.getMessage() for r in caplog.records)
