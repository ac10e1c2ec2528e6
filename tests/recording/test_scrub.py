"""The scrubber: pure functions from a raw exchange to one that is safe to commit."""

from __future__ import annotations

import base64
import copy

import pytest

from tests.tooling.scrub import (
    basic_placeholder,
    credential_replacements,
    normalize_response_headers,
    scrub_fixture,
    select_request_headers,
)

KEY = "Zx9qLr2vTb7nKw4mPc8sHd1f"
ACCESS, SECRET = "AKIAQ7RECORDTEST9XYZ", "wJalrXUtnFEMI/K7MDENG/bPxRfiCY"


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def test_credentials_become_the_harness_placeholders() -> None:
    known = credential_replacements({"api_key": KEY, "token": None})
    raw = {"request": {"headers": {"x-api-key": KEY}, "json": {"id": 1, "api_key": KEY}}}
    scrubbed = scrub_fixture(raw, known)["request"]
    assert scrubbed["headers"] == {"x-api-key": "test-api-key"}
    assert scrubbed["json"] == {"id": 1, "api_key": "test-api-key"}


def test_basic_credentials_become_the_placeholder_pair() -> None:
    known = credential_replacements({"access_key": ACCESS, "secret_key": SECRET})
    raw = {"request": {"headers": {"authorization": f"Basic {_b64(f'{ACCESS}:{SECRET}')}"}}}
    scrubbed = scrub_fixture(raw, known)
    assert scrubbed["request"]["headers"]["authorization"] == f"Basic {basic_placeholder()}"
    assert base64.b64decode(basic_placeholder()) == b"test-access-key:test-secret-key"


def test_a_bearer_credential_keeps_its_credential_name() -> None:
    known = credential_replacements({"api_key": KEY})
    raw = {"request": {"headers": {"authorization": f"Bearer {KEY}"}}}
    assert scrub_fixture(raw, known)["request"]["headers"]["authorization"] == (
        "Bearer test-api-key"
    )


def test_unknown_tokens_in_responses_are_replaced_everywhere_they_appear() -> None:
    token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln"
    raw = {
        "response": {"json": {"data": {"token": token, "user": "ann"}}},
        "expect": {"result": {"token": token, "note": f"login gave {token}"}},
    }
    assert scrub_fixture(raw, {}) == {
        "response": {"json": {"data": {"token": "test-token", "user": "ann"}}},
        "expect": {"result": {"token": "test-token", "note": "login gave test-token"}},
    }


def test_secret_looking_keys_in_any_spelling() -> None:
    raw = {"a": {"accessToken": "q8W3e9R2", "Client-Secret": "s3cr3tv4l", "password": "pw12345"}}
    assert scrub_fixture(raw, {})["a"] == {
        "accessToken": "test-token",
        "Client-Secret": "test-secret-key",
        "password": "test-password",
    }


def test_values_a_plan_names_are_replaced_in_paths_queries_and_bodies() -> None:
    known = {"acct-8812-prod": "account-1", "me@corp.example": "user@example.test"}
    raw = {
        "request": {
            "path": "/v1/accounts/acct-8812-prod/workers",
            "query": {"owner": "me@corp.example"},
        },
        "response": {"json": {"owner": "me%40corp.example"}},
    }
    scrubbed = scrub_fixture(raw, known)
    assert scrubbed["request"] == {
        "path": "/v1/accounts/account-1/workers",
        "query": {"owner": "user@example.test"},
    }
    assert scrubbed["response"]["json"]["owner"] == "user%40example.test"


def test_fields_a_plan_names_are_replaced_whatever_their_value() -> None:
    raw = {"response": {"json": {"email": "me@corp.example"}}, "expect": {"r": "me@corp.example"}}
    scrubbed = scrub_fixture(raw, {}, {"email": "user@example.test"})
    assert scrubbed == {
        "response": {"json": {"email": "user@example.test"}},
        "expect": {"r": "user@example.test"},
    }


def test_an_auth_header_with_an_unknown_credential_is_still_scrubbed() -> None:
    raw = {"request": {"headers": {"authorization": "Token abcdef123456", "x-api-key": "zz"}}}
    assert scrub_fixture(raw, {})["request"]["headers"] == {
        "authorization": "Token test-token",
        "x-api-key": "test-api-key",
    }


def test_scrubbing_is_pure_and_stable() -> None:
    raw = {"request": {"headers": {"x-api-key": KEY}}, "n": [1, 2.5, None, True]}
    before = copy.deepcopy(raw)
    once = scrub_fixture(raw, credential_replacements({"api_key": KEY}))
    assert raw == before
    assert scrub_fixture(once, {}) == once


def test_a_too_short_secret_is_refused_rather_than_replaced_everywhere() -> None:
    with pytest.raises(ValueError, match="shorter"):
        scrub_fixture({"a": "b"}, {"ab": "test-token"})


def test_volatile_response_headers_are_dropped_and_the_rest_sorted() -> None:
    headers = [
        ("Date", "Tue, 01 Jan 2030 00:00:00 GMT"),
        ("X-Request-Id", "abc"),
        ("X-Amzn-Trace-Id", "Root=1"),
        ("Set-Cookie", "session=1"),
        ("Server-Timing", "app;dur=3"),
        ("CF-Ray", "1-LHR"),
        ("Content-Encoding", "gzip"),
        ("Content-Length", "12"),
        ("Retry-After", "3"),
        ("Content-Type", "application/json"),
        ("Server", "clearml"),
    ]
    assert normalize_response_headers(headers) == {
        "content-type": "application/json",
        "retry-after": "3",
        "server": "clearml",
    }


def test_request_headers_keep_credentials_and_content_type_only() -> None:
    headers = [
        ("User-Agent", "gpuworkers/1.0"),
        ("Accept", "application/json"),
        ("X-GpuWorkers-Retry-Count", "0"),
        ("Content-Type", "application/json"),
        ("X-Api-Key", KEY),
    ]
    assert select_request_headers(headers, ()) == {
        "content-type": "application/json",
        "x-api-key": KEY,
    }
