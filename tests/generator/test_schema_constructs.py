"""Every schema construct of OpenAPI 3.0/3.1, generated from the documents in schema_specs/,
then imported and fed payloads in a process of its own (the package is a second `gpuworkers`).

constructs31: allOf (nested, through $refs), a discriminated oneOf, const, integer and mixed
enums, 3.1 type arrays, typed additionalProperties, a recursive schema, names that are not
PascalCase or that collide with the runtime, fields differing only in case, a required argument
with a list default, `prefixItems` (tuples and the lists they fall back to), unions with one
inline class and with several.  nullable30: 3.0 `nullable` on a type, an allOf $ref and an
enum, and a YAML date in an example.  wire30: what real documents get wrong or leave implicit
(a 204 with content, `required` names missing from `properties`, an allOf request body, header
parameters the client sets itself, readOnly and writeOnly properties). pathitems31: path items
that are references (to 3.1's components.pathItems, or to another path).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from generator.diagnostics import Diagnostics
from generator.lower_schemas import SchemaSet
from tests.generator.conftest import ROOT, run_generator

SPECS = ROOT / "tests/generator/schema_specs"


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("constructs") / "generated"
    result = run_generator("--specs", str(SPECS), "--out", str(out), "generate")
    assert result.returncode == 0, result.stdout + result.stderr
    (out.parent / "generate.log").write_text(result.stdout + result.stderr)
    return out


def _python(package: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(package / "src")}
    return subprocess.run(
        [sys.executable, *args], env=env, capture_output=True, text=True, check=False, cwd=package
    )


def _ir_fields(package: Path, provider: str) -> dict[tuple[str, str], str]:
    """(class, wire field) -> annotation, from the provider's IR snapshot."""
    snapshot = json.loads((package / f"ir/{provider}.json").read_text())
    return {
        (schema["class_name"], field["name"]): field["annotation"]
        for schema in snapshot["schemas"]
        for field in schema["fields"]
    }


def _run(package: Path, code: str) -> None:
    result = _python(package, "-c", textwrap.dedent(code) + "\nprint('ok')\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("ok")


def test_generated_package_passes_mypy_strict(package: Path) -> None:
    result = _python(package, "-m", "mypy", "--strict", "--no-incremental", "src")
    assert result.returncode == 0, result.stdout + result.stderr


def test_all_of_merges_every_member_into_one_model(package: Path) -> None:
    _run(
        package,
        """
        from gpuworkers.constructs31.models import Cat
        assert list(Cat.model_fields) == ["name", "id", "kind", "lives"], list(Cat.model_fields)
        required = [n for n, f in Cat.model_fields.items() if f.is_required()]
        assert required == ["name", "id", "kind"], required
        assert Cat.model_validate({"name": "Tom", "id": 1, "kind": "cat"}).id == 1
        """,
    )


def test_discriminated_union_picks_the_declared_branch(package: Path) -> None:
    source = (package / "src/gpuworkers/constructs31/models.py").read_text()
    assert 'discriminator="kind"' in source
    _run(
        package,
        """
        import pydantic
        from gpuworkers.constructs31.models import Cat, Dog, Zoo
        zoo = Zoo.model_validate({
            "pets": [{"kind": "cat", "name": "Tom", "id": 1, "lives": 9},
                     {"kind": "dog", "name": "Rex", "id": 2, "bark": "woof"}],
            "star": {"kind": "dog", "name": "Rex", "id": 2},
            "byName": {"tom": {"kind": "cat", "name": "Tom", "id": 1}},
        })
        assert [type(p) for p in zoo.pets] == [Cat, Dog], zoo.pets
        assert type(zoo.star) is Dog and zoo.pets[1].bark == "woof"
        assert type(zoo.by_name["tom"]) is Cat, zoo.by_name
        try:
            Zoo.model_validate({"pets": [], "star": {"kind": "cow", "name": "x", "id": 3}})
        except pydantic.ValidationError:
            pass
        else:
            raise AssertionError("a kind no branch declares was accepted")
        """,
    )


def test_discriminator_on_a_base_property_with_a_partial_mapping(package: Path) -> None:
    # The 3.0 idiom: the branches inherit a plain string property through allOf; the value
    # of an unmapped branch is its component name (`Dog`), of a mapped one its key (`cat`).
    _run(
        package,
        """
        from gpuworkers.nullable30.models import CatPet, Dog, GetPetResponse
        box = GetPetResponse.model_validate({"pet": {"petType": "cat", "lives": 9}})
        assert type(box.pet) is CatPet and box.pet.lives == 9
        box = GetPetResponse.model_validate({"pet": {"petType": "Dog", "bark": "woof"}})
        assert type(box.pet) is Dog
        """,
    )
    fields = _ir_fields(package, "nullable30")
    assert fields[("CatPet", "petType")] == 'Literal["cat"]'
    assert fields[("Dog", "petType")] == 'Literal["Dog"]'


def test_union_response_parses_into_the_branch(package: Path) -> None:
    _run(
        package,
        """
        import httpx
        from gpuworkers.constructs31 import Constructs31Client
        from gpuworkers.constructs31.models import Dog

        def handler(request):
            return httpx.Response(200, json={"kind": "dog", "name": "Rex", "id": 2})

        transport = httpx.MockTransport(handler)
        with Constructs31Client(http_client=httpx.Client(transport=transport)) as client:
            pet = client.pets.get_pet(id="2")
        assert type(pet) is Dog and pet.name == "Rex", pet
        """,
    )


def test_required_argument_keeps_scalar_default_but_not_a_shared_list(package: Path) -> None:
    _run(
        package,
        """
        import inspect
        from gpuworkers.constructs31 import Constructs31Client
        pets = type(Constructs31Client().pets)
        parameters = inspect.signature(pets.list_pets).parameters
        assert parameters["fields"].default is inspect.Parameter.empty
        assert parameters["size"].default == 10
        """,
    )


def test_nullable_30_and_type_arrays_31_accept_none(package: Path) -> None:
    _run(
        package,
        """
        from gpuworkers.nullable30.models import Owner
        from gpuworkers.constructs31.models import Zoo
        from gpuworkers.nullable30.models import Address
        owner = Owner.model_validate(
            {"name": "Ann", "nickname": None, "address": None, "kind": None, "billing": None}
        )
        assert owner.address is None and owner.kind is None and owner.billing is None
        owner = Owner.model_validate(
            {"name": "Ann", "nickname": "A", "address": {"street": "Main"}, "kind": "person",
             "billing": {"street": "Side"}}
        )
        assert owner.address is not None and owner.address.street == "Main"
        # `allOf: [$ref, {description, nullable}]`: the $ref itself, or null, described.
        assert type(owner.billing) is Address
        assert Zoo.model_validate({"pets": [], "keeper": None}).keeper is None
        """,
    )
    models = (package / "src/gpuworkers/nullable30/models.py").read_text()
    assert '    billing: Address | None\n    """Where invoices go."""' in models


def test_const_and_enums(package: Path) -> None:
    _run(
        package,
        """
        import pydantic
        from gpuworkers.constructs31.models import Dog, Zoo, ZooPriority
        try:
            Dog.model_validate({"kind": "cat", "name": "Rex", "id": 2})
        except pydantic.ValidationError:
            pass
        else:
            raise AssertionError("const accepted another value")
        assert [member.value for member in ZooPriority] == [1, 2, 3]
        assert Zoo.model_validate({"pets": [], "priority": 2}).priority == ZooPriority(2)
        assert Zoo.model_validate({"pets": [], "priority": 7}).priority == 7  # open enum
        assert Zoo.model_validate({"pets": [], "code": "a"}).code == "a"  # mixed enum
        assert Zoo.model_validate({"pets": [], "code": 1}).code == 1
        """,
    )


def test_unions_and_type_arrays_need_no_root_models_and_defaults_type_check(
    package: Path,
) -> None:
    source = (package / "src/gpuworkers/constructs31/models.py").read_text()
    assert "RootModel" not in source  # a class the IR does not know, in place of `int`
    _run(
        package,
        """
        import pydantic
        from gpuworkers.constructs31.models import Zoo
        zoo = Zoo.model_validate({"pets": []})
        assert (zoo.batch, zoo.best_of) == ("auto", 1), zoo
        assert Zoo.model_validate({"pets": [], "batch": 8}).batch == 8
        assert Zoo.model_validate({"pets": [], "tags": ["a"]}).tags == ["a"]  # not wrapped
        try:
            Zoo.model_validate({"pets": [], "bestOf": 21})
        except pydantic.ValidationError:
            pass
        else:
            raise AssertionError("the type array lost its maximum")
        """,
    )


def test_a_default_its_type_does_not_accept_is_not_emitted() -> None:
    # In process: validation still refuses such a document before it reaches lowering.
    model = {
        "type": "object",
        "properties": {
            "count": {"type": "integer", "default": "8"},
            "size": {"type": "integer", "default": 8},
            "when": {"type": "string", "format": "date", "default": "2020-01-01"},
        },
    }
    schemas = SchemaSet({"components": {"schemas": {"M": model}}}, Diagnostics())
    assert schemas.annotation({"$ref": "#/components/schemas/M"}, "Context") == "M"
    (emitted,) = schemas.emitted()
    properties = emitted.json_schema["properties"]
    assert "default" not in properties["count"] and "default" not in properties["when"]
    assert properties["size"]["default"] == 8


@pytest.mark.parametrize("received", [False, True])
def test_what_is_sent_of_a_model_a_response_reaches_is_named_param(received: bool) -> None:
    """The plain name is the received model's, whichever is lowered first; a model only ever
    sent keeps it.  The response reaches `Box` through a property named `default`."""
    box = {"type": "object", "properties": {"size": {"type": "string", "enum": ["s", "m"]}}}
    holder = {"type": "object", "properties": {"default": {"$ref": "#/components/schemas/Box"}}}
    response = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/H"}}}}
    document = {
        "paths": {"/h": {"get": {"responses": {"200": response if received else {}}}}},
        "components": {"schemas": {"Box": box, "H": holder}},
    }
    schemas = SchemaSet(document, Diagnostics())
    sent = schemas.request_annotation({"$ref": "#/components/schemas/Box"}, "Context")
    assert sent == ("BoxParam" if received else "Box")
    if received:
        assert schemas.annotation({"$ref": "#/components/schemas/Box"}, "Context") == "Box"
        fields = {s.class_name: [f.annotation for f in s.fields] for s in schemas.emitted()}
        assert fields["Box"] == ["BoxSize | str"] and fields["BoxParam"] == ['Literal["s", "m"]']


def test_prefix_items_are_tuples_when_their_length_is_fixed_else_lists_that_refuse_nothing(
    package: Path,
) -> None:
    """3.1 `prefixItems`: a fixed-length array is a `tuple` both ways; otherwise a list of
    what any position may hold (the tail's `items` included, `items: false` bounding it), so
    a valid array is never refused; in a union or a list, the list form (a tuple there would
    be a root model the IR does not know)."""
    fields = _ir_fields(package, "constructs31")
    assert fields["Place", "at"] == "tuple[float, float]"
    assert fields["Place", "upTo"] == "list[float]"
    assert fields["Place", "tagged"] == "list[str | int | bool]"
    assert fields["Place", "loose"] == "list[Any]"
    assert fields["Place", "ring"] == "list[list[float]]"
    assert fields["Place", "either"] == "str | list[int | str]"
    _run(
        package,
        """
        import inspect, json
        import httpx
        import pydantic
        from gpuworkers.constructs31 import Constructs31Client
        from gpuworkers.constructs31.models import Place

        seen = []

        def handler(request):
            seen.append(request)
            place = {"at": [1.5, 2], "tagged": ["a", 1, True, False], "loose": ["x", {}]}
            if request.url.path == "/places/pair":
                return httpx.Response(200, json=["home", place])
            return httpx.Response(200, json=place)

        http = httpx.Client(transport=httpx.MockTransport(handler))
        with Constructs31Client(http_client=http, base_url="https://h.test") as client:
            put = client.places.put_place
            assert inspect.signature(put).parameters["at"].annotation == "tuple[float, float]"
            place = put(at=(1.5, 2.0), ring=[[0.0, 1.0]], either=[1, "x"])
            pair = client.places.put_pair(body=(7, "seven"))
        sent = {"at": [1.5, 2.0], "ring": [[0.0, 1.0]], "either": [1, "x"]}
        assert json.loads(seen[0].content) == sent
        assert json.loads(seen[1].content) == [7, "seven"]
        assert place.at == (1.5, 2.0) and place.tagged == ["a", 1, True, False]
        assert pair[0] == "home" and isinstance(pair[1], Place) and pair[1].at == (1.5, 2.0)
        for wrong in ([1.0], [1.0, 2.0, 3.0]):  # not two numbers
            try:
                Place.model_validate({"at": wrong})
            except pydantic.ValidationError:
                pass
            else:
                raise AssertionError(wrong)
        try:
            Place.model_validate({"at": [1, 2], "upTo": [1, 2, 3]})
        except pydantic.ValidationError:
            pass
        else:
            raise AssertionError("items: false did not bound the list")
        """,
    )


def test_a_union_names_its_one_inline_class_after_the_union_and_numbers_several(
    package: Path,
) -> None:
    """`anyOf: [{object}, {type: null}]` (how 3.1 documents write an optional object) is the
    union's own class, `...PlaceWindow`, not `...PlaceWindow0`; two inline objects beside a
    string are told apart by their places."""
    fields = _ir_fields(package, "constructs31")
    assert re.fullmatch(r"[A-Za-z]*PlaceWindow \| None", fields["Place", "window"])
    marker = r"([A-Za-z]*)PlaceMarker0 \| \1PlaceMarker1 \| str"
    assert re.fullmatch(marker, fields["Place", "marker"])


def test_number_formats_keep_numbers_numbers(package: Path) -> None:
    """A format names a number's meaning (unixtime, decimal), never another Python type."""
    _run(
        package,
        """
        from gpuworkers.constructs31.models import Stamped
        stamped = Stamped.model_validate(
            {"created_at": 1.5, "at": 7, "ratio": 0.25, "count": 3}
        )
        assert (stamped.created_at, stamped.at, stamped.ratio, stamped.count) == (1.5, 7, 0.25, 3)
        assert type(stamped.ratio) is float and type(stamped.at) is int
        """,
    )


def test_a_type_list_keeps_only_the_formats_its_types_keep() -> None:
    """``type: [string, null]`` with ``format: decimal`` is a string, as ``type: string`` is
    (the model generator would make it a Decimal that refuses what the wire may carry)."""
    model = {
        "type": "object",
        "properties": {
            "amount": {"type": ["string", "null"], "format": "decimal"},
            "when": {"type": ["string", "null"], "format": "date-time"},
            "stamp": {"type": ["number", "null"], "format": "unixtime"},
        },
    }
    schemas = SchemaSet({"components": {"schemas": {"M": model}}}, Diagnostics())
    schemas.annotation({"$ref": "#/components/schemas/M"}, "Context")
    (emitted,) = schemas.emitted()
    properties = emitted.json_schema["properties"]
    assert "format" not in properties["amount"] and "format" not in properties["stamp"]
    # a runtime type (Timestamp) is read on a one-type branch only: `date-time | null`
    assert properties["when"]["anyOf"][0]["format"] == "date-time"
    assert properties["when"]["anyOf"][0]["x-python-type"].endswith("Timestamp")
    assert properties["when"]["anyOf"][1] == {"type": "null"}


def test_recursive_schema_parses_nested_data(package: Path) -> None:
    _run(
        package,
        """
        from gpuworkers.constructs31.models import TreeNode, Zoo
        tree = {"label": "a", "children": [{"label": "b", "children": [{"label": "c"}]}]}
        zoo = Zoo.model_validate({"pets": [], "tree": tree})
        assert type(zoo.tree) is TreeNode
        assert zoo.tree.children[0].children[0].label == "c"
        """,
    )


def test_an_all_of_that_refers_back_to_its_own_schema_is_one_class_per_node(
    package: Path,
) -> None:
    # `allOf: [$ref, {description}]` is the $ref, described; an allOf that extends the schema
    # it is inside is one class for that node, however deep the data nests.
    fields = _ir_fields(package, "constructs31")
    assert fields[("DataType", "nestedType")] == "DataType"
    extended = fields[("DataType", "extended")]
    assert extended != "DataType" and fields[(extended, "extended")] == extended
    _run(
        package,
        """
        from gpuworkers.constructs31.models import DataType, Zoo
        data = {"name": "a", "nestedType": {"name": "b", "nestedType": {"name": "c"}},
                "extended": {"name": "d", "depth": 1, "extended": {"name": "e", "depth": 2}}}
        zoo = Zoo.model_validate({"pets": [], "dataType": data})
        assert type(zoo.data_type) is DataType
        assert zoo.data_type.nested_type.nested_type.name == "c"
        assert zoo.data_type.extended.extended.depth == 2
        """,
    )


def test_class_names_are_the_irs_and_shadow_nothing(package: Path) -> None:
    _run(
        package,
        """
        import gpuworkers.constructs31.models as models
        import gpuworkers.constructs31.client as client
        from gpuworkers._runtime import Endpoint
        for name in models.__all__:
            assert isinstance(getattr(models, name), type), name
        assert {"TreeNode", "OpeningHours", "EndpointModel"} <= set(models.__all__)
        assert client.Endpoint is Endpoint  # the runtime's, not the page's schema
        # The model keeps its name; the resource class for /pets takes another.
        assert models.PetsResource.model_fields["quota"]
        assert client.PetsApiResource.list_pets and not hasattr(client, "PetsResource")
        """,
    )
    snapshot = json.loads((package / "ir/constructs31.json").read_text())
    classes = {schema["class_name"] for schema in snapshot["schemas"]}
    returns = {op["returns"] for r in snapshot["resources"] for op in r["operations"]}
    expected = {"Zoo", "Cat | Dog", "list[EndpointModel]", "Stamped", "Place", "tuple[str, Place]"}
    assert returns == expected, returns
    assert {"TreeNode", "OpeningHours", "EndpointModel"} <= classes


def test_fields_that_differ_only_in_case_keep_their_own_wire_names(package: Path) -> None:
    _run(
        package,
        """
        from gpuworkers.constructs31.models import Zoo
        zoo = Zoo.model_validate({"pets": [], "mixedCase": "text", "mixed_case": 3})
        assert (zoo.mixed_case_2, zoo.mixed_case) == ("text", 3)
        dumped = zoo.model_dump(by_alias=True, exclude_defaults=True)
        assert dumped == {"pets": [], "mixedCase": "text", "mixed_case": 3}, dumped
        """,
    )


def test_ir_carries_every_model_field(package: Path) -> None:
    snapshot = json.loads((package / "ir/constructs31.json").read_text())
    zoo = next(s for s in snapshot["schemas"] if s["class_name"] == "Zoo")
    fields = {f["name"]: (f["python_name"], f["annotation"], f["required"]) for f in zoo["fields"]}
    assert fields["pets"] == ("pets", "list[Cat | Dog]", True)
    assert fields["byName"] == ("by_name", "dict[str, Cat | Dog]", False)
    assert fields["keeper"] == ("keeper", "str | None", False)
    assert fields["priority"] == ("priority", "ZooPriority | int", False)
    assert fields["mixedCase"][0] == "mixed_case_2"
    assert fields["star"][1] == "Cat | Dog"


def test_descriptions_and_examples_as_the_page_wrote_them(package: Path) -> None:
    models = (package / "src/gpuworkers/constructs31/models.py").read_text()
    assert "A node of a tree.\n    Its children are nodes.\n" in models
    document = json.loads((package / "openapi/nullable30.json").read_text())
    born = document["components"]["schemas"]["Owner"]["properties"]["born"]
    assert born["example"] == "1990-04-01"  # a YAML date stays the text it was


def test_discriminated_union_as_the_whole_body_picks_the_declared_branch(package: Path) -> None:
    # No model holds the union, so only the branches' own tags can tell them apart:
    # `{"animalKind": "dog"}` fits both shapes, and the mapping says it is a Hound.
    _run(
        package,
        """
        import httpx
        from gpuworkers.bodyunion31 import Bodyunion31Client
        from gpuworkers.bodyunion31.models import Bird, Fish, Hound

        kinds = iter(["dog", "hound", "bird", "fish"])

        def handler(request):
            return httpx.Response(200, json={"animalKind": next(kinds)})

        transport = httpx.MockTransport(handler)
        with Bodyunion31Client(http_client=httpx.Client(transport=transport)) as client:
            assert type(client.api.get_animal(id="1")) is Hound
            assert type(client.api.get_animal(id="1")) is Hound
            assert type(client.api.get_animal(id="1")) is Bird
            # a branch that lists its own value keeps it (not its name, "Fish"); as a
            # response enum it stays open, so it is where an unknown kind lands
            assert type(client.api.get_animal(id="1")) is Fish
        """,
    )
    source = (package / "src/gpuworkers/bodyunion31/models.py").read_text()
    assert '"""What the animal is."""' in source  # the tagged field keeps its description
    fields = _ir_fields(package, "bodyunion31")
    assert fields[("Hound", "animalKind")] == 'Literal["dog", "hound"]'
    assert fields[("Bird", "animalKind")] == 'Literal["bird"]'
    assert fields[("Fish", "animalKind")] == "FishAnimalKind | str"


def test_text_constraints_do_not_reach_values_held_as_other_types(package: Path) -> None:
    # A UUID, a date, a datetime or an integer sent as a string has no len() and no
    # pattern in Python; pydantic raised TypeError on every response that had the field.
    _run(
        package,
        """
        import datetime, uuid
        import pydantic
        from gpuworkers.formats31.models import GetConsentResponse
        consent = GetConsentResponse.model_validate({
            "consentId": "12345678-1234-5678-1234-567812345678",
            "signedOn": "2024-01-02",
            "at": "2024-01-02T03:04:05Z",
            "count": "12",
            "name": "ok",
        })
        assert consent.consent_id == uuid.UUID("12345678-1234-5678-1234-567812345678")
        assert consent.signed_on == datetime.date(2024, 1, 2) and consent.count == 12
        # a 3.1 nullable date-time is a Timestamp too, as the IR says it is
        assert consent.at is not None and consent.at.nanosecond == 0, consent.at
        late = GetConsentResponse.model_validate(
            {"consentId": str(uuid.uuid4()), "name": "ok", "at": "2024-01-02T03:04:05.123456789Z"}
        )
        assert late.at is not None and late.at.nanosecond == 789, late.at
        try:
            GetConsentResponse.model_validate({"consentId": str(uuid.uuid4()), "name": "x"})
        except pydantic.ValidationError:
            pass  # a constraint on a field held as text still applies
        else:
            raise AssertionError("minLength on a plain string was dropped")
        """,
    )
    source = (package / "src/gpuworkers/formats31/models.py").read_text()
    assert '"""When it was signed."""' in source


def test_what_real_documents_leave_implicit_reaches_the_wire(package: Path) -> None:
    _run(
        package,
        """
        import inspect, json
        import httpx, pydantic
        from gpuworkers.wire30 import Wire30Client
        from gpuworkers.wire30.models import AlertResource, Circle, PlaceOrderRequest, Square, Tags

        answers = iter([
            httpx.Response(204),  # what a 204 is: no content
            httpx.Response(204, json={"tags": {"a": "b"}}),  # a server that sends one anyway
            httpx.Response(200),
            httpx.Response(200, json={"id": "r1", "location": "eu", "severity": 2}),
            httpx.Response(204),
            httpx.Response(200),
            httpx.Response(200),
            httpx.Response(200),
        ])
        seen = []

        def handler(request):
            seen.append(request)
            return next(answers)

        http = httpx.Client(transport=httpx.MockTransport(handler))
        with Wire30Client(api_key="k", token="t", http_client=http) as client:
            assert client.api.list_tags(arn="a1") is None
            assert client.api.list_tags(arn="a1") == Tags(tags={"a": "b"})
            client.api.place_order(
                authorization='VTEX key="k"', seller="s", id=7, quantity={"n": 1}
            )
            alert = client.api.put_resource(name="r", severity=2, location="eu")
            # a template variable the document does not declare is a string argument
            assert client.api.delete_item(item_id="a/b") is None
            client.api.search_photos(text="cat")
            client.api.analyze_stream(lang="en", body=b"img")
            client.api.draw_shape(body=Circle(color="red", radius=2))
        assert isinstance(alert, AlertResource) and alert.location == "eu"

        # Accept and Content-Type come from the media types, not from arguments
        assert seen[0].headers["accept"] == "application/json"
        order = seen[2]
        assert order.headers["content-type"] == "application/json"
        # required names missing from `properties` are required arguments of any value
        assert json.loads(order.content) == {"seller": "s", "id": 7, "quantity": {"n": 1}}
        # an Authorization parameter no security scheme sends is an argument, sent as given
        assert order.headers["authorization"] == 'VTEX key="k"'
        assert order.headers["x-app-key"] == "k"
        # Content-Length is httpx's, from the body it sends
        assert order.headers["content-length"] == str(len(order.content))
        # the allOf member's required property is an argument too, and it is sent
        assert json.loads(seen[3].content) == {"severity": 2, "location": "eu"}
        # a bearer scheme sets Authorization: the parameter is not an argument
        assert seen[3].headers["authorization"] == "Bearer t"
        assert seen[4].url.raw_path == b"/items/a%2Fb", seen[4].url
        # a query in the path key is sent with the arguments; a fragment never is
        assert str(seen[5].url) == "http://api.test/rest?method=photos.search&text=cat"
        assert str(seen[6].url) == "http://api.test/analyze?lang=en", seen[6].url
        assert seen[6].content == b"img"
        assert json.loads(seen[7].content) == {"color": "red", "radius": 2}
        assert Square.model_fields["color"].is_required(), Square.model_fields

        api = type(client.api)
        fields = PlaceOrderRequest.model_fields
        assert fields["id"].is_required() and fields["quantity"].is_required(), fields
        # a pattern in Rust's or Python's syntax, not ECMA-262's, is still checked
        assert Tags.model_validate({"owner": "ann"}).owner == "ann"
        try:
            Tags.model_validate({"owner": "ann-2"})
        except pydantic.ValidationError:
            pass
        else:
            raise AssertionError("the pattern was not checked")
        # no summary: the description is the summary line, once
        assert api.list_tags.__doc__.count("A 204 that declares content") == 1, api.list_tags
        assert "authorization" not in inspect.signature(api.put_resource).parameters
        assert "location" in inspect.signature(api.put_resource).parameters
        for name in ("accept", "content_type", "content_length"):
            for method in (api.list_tags, api.place_order):
                assert name not in inspect.signature(method).parameters, (name, method)
        """,
    )
    log = (package.parent / "generate.log").read_text()
    assert "openapi.yaml:7: warning: listTags: response 204 declares content" in log
    assert "openapi.yaml:24: warning: placeOrder: header parameter 'Content-Length'" in log
    assert "warning: Path parameter 'itemId' for 'delete' operation" in log
    assert "is not an ECMA-262 regular expression, as JSON Schema asks" in log
    # XML names are for XML serializers: no json_schema_extra noise in the models
    assert "xml" not in (package / "src/gpuworkers/wire30/models.py").read_text()


def test_path_items_that_are_references_keep_their_operations(package: Path) -> None:
    _run(
        package,
        """
        import json
        import httpx
        from gpuworkers.pathitems31 import Pathitems31Client

        seen = []

        def handler(request):
            seen.append(request)
            return httpx.Response(200, json=[{"name": "a"}])

        http = httpx.Client(transport=httpx.MockTransport(handler))
        with Pathitems31Client(http_client=http) as client:
            [thing] = client.api.list_things(filter={"color": "red"})
            assert thing.name == "a", thing
            client.api.list_things_get_legacy_things()
            client.api.get_missing()
        assert [r.url.path for r in seen] == ["/things", "/legacy/things", "/missing"]
        # a parameter with `content` travels as that media type's text
        assert json.loads(seen[0].url.params["filter"]) == {"color": "red"}
        """,
    )
    snapshot = json.loads((package / "ir/pathitems31.json").read_text())
    sources = {
        op["operation_id"]: op["source"]
        for resource in snapshot["resources"]
        for op in resource["operations"]
    }
    # the operation is located where it is written: in components.pathItems
    assert sources["listThings"].endswith("pathitems31/openapi.yaml:18"), sources


def test_read_only_properties_are_not_sent_and_write_only_ones_not_expected_back(
    package: Path,
) -> None:
    """`required` on a readOnly property holds for responses only, on a writeOnly one for
    requests only: the server sets `id`, and never sends `password` back."""
    _run(
        package,
        """
        import inspect, json
        import httpx
        from gpuworkers.wire30 import Wire30Client
        from gpuworkers.wire30.models import Account

        seen = []

        def handler(request):
            seen.append(request)
            return httpx.Response(201, json={"id": "a1", "name": "ann"})

        http = httpx.Client(transport=httpx.MockTransport(handler))
        with Wire30Client(api_key="k", http_client=http) as client:
            create = client.api.create_account
            assert list(inspect.signature(create).parameters)[:2] == ["name", "password"]
            assert "id" not in inspect.signature(create).parameters
            account = create(name="ann", password="s3cret")
        assert json.loads(seen[0].content) == {"name": "ann", "password": "s3cret"}
        assert isinstance(account, Account) and account.id == "a1" and account.password is None
        assert Account.model_fields["id"].is_required()
        """,
    )


def test_models_nested_in_what_is_sent_leave_read_only_properties_out(package: Path) -> None:
    """A body's nested models are sent as their `...Param` variants: no readOnly property
    (the response's `Account` requires `id`, which the caller cannot know), a writeOnly one
    required as the request's `required` says; the response parses into the plain models."""
    _run(
        package,
        """
        import inspect, json
        import httpx
        import pydantic
        from gpuworkers.wire30 import Wire30Client
        from gpuworkers.wire30.models import Account, AccountParam, Team

        assert set(AccountParam.model_fields) == {"name", "password"}
        assert AccountParam.model_fields["password"].is_required()
        assert not Account.model_fields["password"].is_required()
        try:
            AccountParam(name="ann")
        except pydantic.ValidationError:
            pass
        else:
            raise AssertionError("a required writeOnly property left out of what is sent")
        seen = []

        def handler(request):
            seen.append(request)
            owner = {"id": "a1", "name": "ann"}
            return httpx.Response(201, json={"id": "t1", "name": "red", "owner": owner})

        http = httpx.Client(transport=httpx.MockTransport(handler))
        with Wire30Client(api_key="k", http_client=http) as client:
            create = client.api.create_team
            assert list(inspect.signature(create).parameters)[:3] == ["name", "owner", "members"]
            team = create(name="red", owner=AccountParam(name="ann", password="s3cret"))
        sent = {"name": "red", "owner": {"name": "ann", "password": "s3cret"}}
        assert json.loads(seen[0].content) == sent
        assert isinstance(team, Team) and isinstance(team.owner, Account)
        assert team.owner.id == "a1" and team.id == "t1"
        """,
    )
