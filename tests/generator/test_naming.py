import pytest

from generator.naming import RESERVED_ARGUMENTS, pascal_case, python_identifier, snake_case


@pytest.mark.parametrize(
    ("wire", "python"),
    [
        ("GPUName", "gpu_name"),
        ("CPUs", "cpus"),
        ("GPUs", "gpus"),
        ("deviceId", "device_id"),
        ("minSingleCardVramInGb", "min_single_card_vram_in_gb"),
        ("workerIds", "worker_ids"),
        ("last_seen", "last_seen"),
        ("X-Api-Key", "x_api_key"),
        ("HTTPCode", "http_code"),
        ("2fa", "_2fa"),
    ],
)
def test_snake_case(wire: str, python: str) -> None:
    assert snake_case(wire) == python


def test_pascal_case_for_model_names() -> None:
    assert pascal_case("workers.worker") == "WorkersWorker"
    assert pascal_case("list workers response") == "ListWorkersResponse"


def test_identifiers_never_shadow_keywords_or_per_call_options() -> None:
    assert python_identifier("from") == "from_"
    assert python_identifier("timeout", RESERVED_ARGUMENTS) == "timeout_"
    assert python_identifier("maxJsonDepth", RESERVED_ARGUMENTS) == "max_json_depth_"
    assert python_identifier("max_response_size", RESERVED_ARGUMENTS) == "max_response_size_"
    assert python_identifier("type") == "type"  # a builtin, not a keyword: same on every Python
