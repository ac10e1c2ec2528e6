"""No fixture may hold something that looks like a credential, except the test placeholders."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from tests.contract.harness import FIXTURES, ROOT, TEST_CREDENTIALS
from tests.tooling.secret_scan import find_secrets, shannon_entropy

FILES = sorted(FIXTURES.rglob("*.json"))


@pytest.mark.parametrize("path", FILES, ids=[p.relative_to(FIXTURES).as_posix() for p in FILES])
def test_fixture_holds_no_secret(path: Path) -> None:
    findings = find_secrets(json.loads(path.read_text("utf-8")))
    assert not findings, f"{path.relative_to(ROOT)}:\n  " + "\n  ".join(map(str, findings))


def test_there_are_fixtures_to_scan() -> None:
    assert len(FILES) > 40


def _basic(user: str, password: str) -> str:
    return base64.b64encode(f"{user}:{password}".encode()).decode()


PLACEHOLDER_DATA = {
    "request": {
        "headers": {
            "authorization": "Bearer test-token",
            "x-api-key": "test-api-key",
            "proxy-authorization": f"Basic {_basic('test-access-key', 'test-secret-key')}",
        },
        "json": {"api_key": "test-api-key", "password": "test-password", "token": None},
    },
    # ids and hashes outside auth-looking keys are data, not credentials
    "response": {
        "json": {
            "id": "JYdCWQfbKLAhEf8WnZUY34",
            "trx": "e4c1f3a2b9d84c0e9f7a6b5c4d3e2f10",
            "key": "worker-entry-7",
            "description": "Uses Bearer authentication; pass the token in a header.",
            "secret_rotation_days": 90,
        }
    },
}


def test_known_placeholders_and_plain_ids_pass() -> None:
    assert find_secrets(PLACEHOLDER_DATA) == []
    assert set(TEST_CREDENTIALS.values()) <= {
        "test-api-key", "test-token", "test-access-key", "test-secret-key"
    }  # fmt: skip


@pytest.mark.parametrize(
    ("data", "kind", "where"),
    [
        (
            {"h": {"authorization": "Bearer 9f8e7d6c5b4a39281706"}},
            "bearer token",
            "h.authorization",
        ),
        ({"text": "curl -H 'Authorization: Bearer abc123def456ghi'"}, "bearer token", "text"),
        ({"a": {"authorization": f"Basic {_basic('realuser', 'hunter2xyz')}"}}, "basic", "a."),
        (
            {"body": {"log": "token=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJlMTIz"}},
            "JWT",
            "body.log",
        ),
        ({"env": ["AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE"]}, "AWS access key id", "env[0]"),
        ({"json": {"api_key": "Zx9qLr2vTb7nKw4mPc8sHd1f"}}, "auth-looking key", "json.api_key"),
        ({"json": {"accessToken": "q8W3e9R2t7Y1u6I0"}}, "auth-looking key", "json.accessToken"),
        ({"x": {"credentials": {"secret": "Kj82nd9Ls0Qp3mZx"}}}, "auth-looking", "credentials"),
        ({"k": "sk_live_4eC39HqLyjWDarjtT1zdp7dc"}, "vendor API key", "k"),
    ],
)
def test_things_that_look_like_credentials_are_found(
    data: dict[str, object], kind: str, where: str
) -> None:
    findings = find_secrets(data)
    assert findings, data
    assert any(kind in f.kind and where in f.where for f in findings), findings


def test_a_finding_never_repeats_the_secret() -> None:
    (finding,) = find_secrets({"api_key": "Zx9qLr2vTb7nKw4mPc8sHd1f"})
    assert "Zx9qLr2vTb7nKw4mPc8sHd1f" not in str(finding)


def test_entropy_separates_keys_from_words() -> None:
    assert shannon_entropy("Zx9qLr2vTb7nKw4mPc8sHd1f") > 4.0
    assert shannon_entropy("aaaaaaaaaaaa") == 0.0
