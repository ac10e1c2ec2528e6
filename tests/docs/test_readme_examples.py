"""Every ```python example in README.md and generated/README.md runs as written.

Each block runs in its own interpreter, against Prism serving every provider's exported
document: the clients find it the way a user points them anywhere, through each provider's
base-URL variable (`YOTTA_BASE_URL`, ...), with every credential variable set to a
placeholder.  A block that names the mock server's default address (`nox -s mock` serves
the providers, in alphabetical order, from 127.0.0.1:4010) gets this run's port for that
provider instead, the one change made to any block.  Skipped, with the reason, when Prism
is not installed, as the integration tests are.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.prism import PRISM_VERSION, ROOT, PrismServer, prism_binary

PRISM = prism_binary()
GENERATED = ROOT / "generated"
READMES = (ROOT / "README.md", GENERATED / "README.md")
PROVIDERS = sorted(path.stem for path in (GENERATED / "openapi").glob("*.json"))
FIRST_MOCK_PORT = 4010  # tests/tooling/mock_servers.py DEFAULT_PORT
_BLOCK = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)


def _blocks() -> list[tuple[str, str]]:
    found = []
    for readme in READMES:
        text = readme.read_text(encoding="utf-8")
        for match in _BLOCK.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            found.append((f"{readme.relative_to(ROOT)}:{line}", match.group(1)))
    return found


BLOCKS = _blocks()


def test_both_readmes_have_examples() -> None:
    where = {name.split(":")[0] for name, _ in BLOCKS}
    assert where == {"README.md", "generated/README.md"}


def test_no_example_awaits_outside_a_function() -> None:
    # `await` at the top level is a SyntaxError in a script: compile as a module does.
    for name, code in BLOCKS:
        compile(code, name, "exec")


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    if PRISM is None:
        pytest.skip(
            "Prism is not installed locally: "
            f"npm install --prefix .mock @stoplight/prism-cli@{PRISM_VERSION}"
        )
    logs = tmp_path_factory.mktemp("prism")
    running: dict[str, PrismServer] = {}
    try:
        for provider in PROVIDERS:
            document = GENERATED / "openapi" / f"{provider}.json"
            server = PrismServer(PRISM, document, logs / f"{provider}.log")
            running[provider] = server.__enter__()
        yield {provider: server.url for provider, server in running.items()}
    finally:
        for server in running.values():
            server.stop()


def _environment(urls: dict[str, str], home: Path) -> dict[str, str]:
    """Every provider's credential variables set to a placeholder, its base-URL variable
    to its mock server; nothing of the developer's own (a clean HOME: no credential file)."""
    keep = ("PATH", "LANG", "LC_ALL", "SYSTEMROOT", "PYTHONPATH")
    env = {name: os.environ[name] for name in keep if name in os.environ}
    env["HOME"] = str(home)
    for provider, url in urls.items():
        api = json.loads((GENERATED / "ir" / f"{provider}.json").read_text(encoding="utf-8"))
        for credential in api["credentials"]:
            for variable in credential["env"][:1]:
                env[variable] = "any-credential"
        for variable in api["base_url_env"][:1]:
            env[variable] = url
    return env


def _pointed_at(code: str, urls: dict[str, str]) -> str:
    for index, provider in enumerate(PROVIDERS):
        code = code.replace(f"http://127.0.0.1:{FIRST_MOCK_PORT + index}", urls[provider])
    return code


@pytest.mark.parametrize(("name", "code"), BLOCKS, ids=[name for name, _ in BLOCKS])
def test_example_runs(name: str, code: str, servers: dict[str, str], tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", _pointed_at(code, servers)],
        cwd=tmp_path, env=_environment(servers, tmp_path),
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode == 0, f"{name} failed:\n{code}\n{result.stderr[-3000:]}"


# -- what generated/README.md, the consumer's only document, covers -------------------------

CONSUMER = (GENERATED / "README.md").read_text(encoding="utf-8")


def test_the_consumer_readme_documents_every_error_class() -> None:
    import gpuworkers

    errors = [
        name
        for name in gpuworkers.__all__
        if isinstance(getattr(gpuworkers, name), type)
        and issubclass(getattr(gpuworkers, name), gpuworkers.GpuWorkersError)
    ]
    assert len(errors) > 10
    assert [name for name in errors if f"`{name}`" not in CONSUMER] == []
    for attribute in ("status_code", "code", "envelope_message", "request_id", "body", "limit"):
        assert f"`{attribute}`" in CONSUMER


@pytest.mark.parametrize(
    "topic",
    [
        "## Installation",
        "## Credentials",
        "## Errors",
        "## Pagination",
        "`.iter_pages()`",
        "_page(",
        "## Raw responses",
        "with_raw_response",
        "with_streaming_response",
        "## Per-call options and `with_options`",
        "## Timeouts and retries",
        "A write is retried only when it surely was not\nprocessed",
        "## Logging",
        "GPUWORKERS_LOG",
        "the mock server",
    ],
)
def test_the_consumer_readme_covers(topic: str) -> None:
    assert topic in CONSUMER


@pytest.mark.parametrize("provider", PROVIDERS)
def test_the_consumer_readme_lists_each_providers_credentials_and_methods(provider: str) -> None:
    api = json.loads((GENERATED / "ir" / f"{provider}.json").read_text(encoding="utf-8"))
    for credential in api["credentials"]:
        for variable in credential["env"]:
            assert f"`{variable}`" in CONSUMER
    for resource in api["resources"]:
        for op in resource["operations"]:
            assert f"| `{op['resource']}.{op['python_name']}` |" in CONSUMER
