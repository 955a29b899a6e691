"""Run schemathesis from a test: a few generated requests per operation, every failure kept."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from schemathesis.generation import GenerationMode


def run_schemathesis(
    schema, checks, modes=("positive",), examples: int = 8, prepare=None
) -> list[str]:
    """Every operation of ``schema`` with a few generated requests each; the failures.

    ``prepare(case, mode)`` may complete a generated request with what a schema cannot say
    (a place that exists, parameters that go together) before it is sent."""
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in modes:
            failures += _run_operation(operation, mode, checks, examples, prepare)
    return failures


def _run_operation(operation, mode: str, checks, examples: int, prepare) -> list[str]:
    strategy = operation.as_strategy(generation_mode=GenerationMode(mode))

    @given(case=strategy)
    @settings(max_examples=examples, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    def call(case):
        if prepare:
            prepare(case, mode)
        case.call_and_validate(checks=checks)

    try:
        call()
    except Exception as error:  # every operation is tried, not just up to the first failure
        return [f"{mode} {operation.label}: {str(error)[:1500]}"]
    return []
