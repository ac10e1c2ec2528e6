"""Whose fault a failed call is: the client's, the document's, or the mock's (Prism's).

A call that Prism rejects is the client's fault unless one of the rules proves
otherwise from the document, the request actually sent, and Prism's answer.  Each
rule is general (it reads the OpenAPI specification's rules, or a Prism behaviour
shown on the wire), never a list of operations; whatever no rule explains stays a
client fault, so the table can only understate the client.  The rules live in
``request_rules`` (what the client sent) and ``response_rules`` (what Prism answered).
"""

from __future__ import annotations

import dataclasses

from tests.corpus.failure import (
    CLIENT,
    DOCUMENT,
    HARNESS,
    MOCK,
    Builder,
    Failure,
    Verdict,
    prism_violations,
    response_side,
    sent_keys,
    violations,
)
from tests.corpus.request_rules import (
    absent_deep_object,
    closed_without_properties,
    duplicate_one_of,
    enum_outside_type,
    form_object_array,
    form_single_item_array,
    ignored_header_required,
    invalid_media_type,
    multipart_array_parts,
    multipart_json_parts,
    null_only_query,
    overlapping_one_of,
    percent_encoded_query_name,
    twin_path,
)
from tests.corpus.response_rules import (
    fragment_in_path_key,
    informational_only,
    no_success_documented,
    prism_crashed,
    response_outside_document,
    unserialisable_response,
    untyped_schema_not_object,
    wildcard_not_negotiated,
)

__all__ = [
    "CLIENT",
    "DOCUMENT",
    "HARNESS",
    "MOCK",
    "Builder",
    "Failure",
    "Verdict",
    "classify",
    "prism_violations",
    "response_side",
    "sent_keys",
    "violations",
]


def classify(failure: Failure) -> tuple[str, str] | None:
    """``(fault, reason)`` when a rule shows the failure is not the client's, else ``None``."""
    # A rejected request is answered from the document's error response, which Prism checks
    # too: those violations are about the mock's answer, not about what the client sent.
    asked = [v for v in failure.violations if (v.get("location") or [""])[0] != "response"]
    if asked and len(asked) < len(failure.violations):
        failure = dataclasses.replace(failure, violations=asked)
    for rule in _RULES:
        found = rule(failure)
        if found is not None:
            return found
    return None


_RULES = (
    prism_crashed,
    unserialisable_response,
    no_success_documented,
    response_outside_document,
    untyped_schema_not_object,
    invalid_media_type,
    ignored_header_required,
    percent_encoded_query_name,
    null_only_query,
    multipart_json_parts,
    multipart_array_parts,
    enum_outside_type,
    closed_without_properties,
    absent_deep_object,
    form_object_array,
    form_single_item_array,
    duplicate_one_of,
    overlapping_one_of,
    twin_path,
    wildcard_not_negotiated,
    informational_only,
    fragment_in_path_key,
)
