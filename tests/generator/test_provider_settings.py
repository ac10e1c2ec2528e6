"""provider.toml's values checked: each problem named by its keys, with the line it is on."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.diagnostics import Diagnostics
from generator.provider import ProviderSpec, RetrySpec, SettingsError, load_provider

PAGE = '[[pages]]\nfile = "a.yaml"\nformat = "openapi"\n'


def _problems(tmp_path: Path, text: str) -> list[str]:
    (tmp_path / "provider.toml").write_text(text, encoding="utf-8")
    diagnostics = Diagnostics()
    spec = load_provider(tmp_path, "specs/demo", diagnostics)
    found = [d.format() for d in diagnostics]
    assert (spec is None) == bool(found)
    return found


def test_a_minimal_file_gets_every_default(tmp_path: Path) -> None:
    (tmp_path / "provider.toml").write_text('name = "demo"\n' + PAGE, encoding="utf-8")
    spec = load_provider(tmp_path, "specs/demo", Diagnostics())
    assert spec is not None
    assert spec.pages[0].file == "a.yaml" and spec.pages[0].format == "openapi"
    assert spec.display_name is None and spec.credentials == {} and spec.envelope is None
    assert spec.retry == RetrySpec() and spec.retry.statuses == (408, 429, 500, 502, 503, 504)


def test_every_table_is_read_into_its_settings(tmp_path: Path) -> None:
    text = """name = "demo"
secret_fields = ["env.value"]
[[pages]]
file = "a.md"
format = "markdown-tables"
[credentials.api_key]
env = ["DEMO_KEY"]
[auth.Bearer]
credentials = ["api_key"]
[envelope]
data = "data"
success = [0]
string_is_error = true
wrapper = {type = "object"}
[retry]
max_retries = 4
[retry.non_idempotent_statuses]
503 = "the server refuses before acting"
[headers]
X-Client = "demo"
"""
    (tmp_path / "provider.toml").write_text(text, encoding="utf-8")
    spec = load_provider(tmp_path, "specs/demo", Diagnostics())
    assert spec is not None
    assert spec.credentials["api_key"].env == ("DEMO_KEY",)
    assert spec.auth["Bearer"].credentials == ("api_key",)
    assert spec.envelope is not None and spec.envelope.success == (0,)
    assert spec.envelope.string_is_error is True and spec.envelope.wrapper == {"type": "object"}
    assert spec.retry.max_retries == 4
    assert spec.retry.non_idempotent_statuses == {503: "the server refuses before acting"}
    assert spec.headers == {"X-Client": "demo"} and spec.secret_fields == ("env.value",)


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (
            "[retry]\nmax_retries = -1\n",
            "provider.toml:6: error: retry.max_retries: Input should be greater than or equal to 0",
        ),
        (
            "[retry]\nstatuses = [600]\n",
            "provider.toml:6: error: retry.statuses.0: Input should be less than or equal to 599",
        ),
        (
            "[retry]\nmax_retries = true\n",
            "error: retry.max_retries: Input should be a valid integer",
        ),
        (
            '[envelope]\ndata_optional = "yes"\n',
            "error: envelope.data_optional: Input should be a valid boolean",
        ),
        ("[envelope]\nwrapper = 3\n", "error: envelope.wrapper: Input should be a table"),
        ("[envelope]\nsucess = [0]\n", "error: envelope.sucess: Extra inputs are not permitted"),
        ("[auth.Bearer]\n", "error: auth.Bearer.credentials: Field required"),
        (
            "[auth.Bearer]\ncredentials = []\n",
            "error: auth.Bearer.credentials: needs at least 1 entry, found 0",
        ),
        ("[headers]\nX-Client = 3\n", "error: headers.X-Client: Input should be a valid string"),
        ('secret_fields = "a.b"\n', "error: secret_fields: Input should be a valid array"),
        ('secret_fields = ["a..b"]\n', "error: secret_fields.0: String should match pattern"),
        (
            '[retry.non_idempotent_statuses]\nabc = "why"\n',
            "error: retry.non_idempotent_statuses"
            ".abc: Input should be a valid integer, unable to parse string as an integer",
        ),
    ],
)
def test_a_wrong_value_is_named_by_its_keys(tmp_path: Path, extra: str, expected: str) -> None:
    text = (
        'name = "demo"\n' + PAGE + extra
        if not extra.startswith("secret")
        else ('name = "demo"\n' + extra + PAGE)
    )
    found = _problems(tmp_path, text)
    assert len(found) == 1 and expected in found[0], found


def test_every_problem_is_listed_not_only_the_first(tmp_path: Path) -> None:
    text = 'name = 3\nclient_name = "lower"\n[[pages]]\nfile = "a"\nformat = "html"\n'
    found = _problems(tmp_path, text)
    assert [line.split(": error: ")[1].split(":")[0] for line in found] == [
        "name",
        "client_name",
        "pages.0.format",
    ]


def test_parse_raises_with_the_problems() -> None:
    with pytest.raises(SettingsError) as raised:
        ProviderSpec.parse({"pages": [{"file": "a", "format": "openapi"}]})
    assert raised.value.problems == [
        (("name",), "Field required", "see README, 'Adding a provider'")
    ]
