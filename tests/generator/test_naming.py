import pytest

from generator.naming import (
    RESERVED_ARGUMENTS,
    class_name,
    field_names,
    method_name,
    pascal_case,
    python_identifier,
    snake_case,
)


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


@pytest.mark.parametrize(
    ("wanted", "taken", "name"),
    [
        ("HTTPError", set(), "HTTPError"),  # already PascalCase: as written
        ("a-b", set(), "AB"),
        ("pet_item", {"PetItem"}, "PetItem2"),
        ("my model", set(), "MyModel"),
        ("2fa", set(), "Model2fa"),
        ("Endpoint", set(), "EndpointModel"),  # the runtime's, imported beside the models
        ("Field", set(), "FieldModel"),  # pydantic's
        ("None", set(), "NoneModel"),  # a keyword
        ("Exception", set(), "ExceptionModel"),  # a builtin
    ],
)
def test_class_names_are_valid_unique_and_shadow_nothing(
    wanted: str, taken: set[str], name: str
) -> None:
    assert class_name(wanted, taken) == name


def test_field_names_are_unique_within_a_model() -> None:
    names = field_names(["mixedCase", "mixed_case", "class", "_private", "1st", "model_dump"])
    assert names == {
        "model_dump": "field_model_dump",
        "mixedCase": "mixed_case_2",
        "mixed_case": "mixed_case",
        "class": "class_",
        "_private": "private",
        "1st": "field_1st",
    }


@pytest.mark.parametrize(
    ("operation_id", "verb", "method"),
    [
        ("listPets", "get", "list_pets"),
        ("import", "post", "import_"),
        ("2fa", "delete", "delete_2fa"),
        ("1", "GET", "get_1"),
    ],
)
def test_method_names_are_public_identifiers(operation_id: str, verb: str, method: str) -> None:
    assert method_name(operation_id, verb) == method
