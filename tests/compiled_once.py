"""Work every app of a test session would otherwise repeat, done once per process.

The suite builds a fresh app for nearly every test (its own database, ``g``, rate-limit
counters and caches), and each new Flask app compiles again what no test changes: every
Jinja template it renders (about 0.1 s a page) and a Python function per URL rule for
``url_for`` (380 rules, about 0.1 s an app). Both are pure functions of text that is the same
for every app, so the session keeps them:

- Jinja's own bytecode cache, held in memory and keyed by the template's source checksum and
  the environment settings that change the compiled code;
- werkzeug's generated URL builders, keyed by everything ``Rule._compile_builder`` reads.

Each app still loads, renders and routes through its own objects; only compilation is shared.
"""

from __future__ import annotations

from flask import Flask
from jinja2.bccache import Bucket, BytecodeCache
from werkzeug.routing.rules import Rule


class SessionTemplateCode(BytecodeCache):
    """Compiled template code shared by every app's Jinja environment in this process."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def get_bucket(self, environment, name, filename, source) -> Bucket:
        settings = (
            name,
            filename,
            environment.trim_blocks,
            environment.lstrip_blocks,
            environment.keep_trailing_newline,
            environment.newline_sequence,
            tuple(sorted(environment.extensions)),
            environment.is_async,
            environment.optimized,
            getattr(environment.autoescape, "__qualname__", environment.autoescape),
        )
        bucket = Bucket(environment, repr(settings), self.get_source_checksum(source))
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self.code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)  # ignored if the template's source changed

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


def _share_url_builders() -> None:
    compile_builder = Rule._compile_builder
    builders: dict[tuple, object] = {}

    def shared_builder(rule: Rule, append_unknown: bool = True):
        # The generated function reads nothing from the rule but its own ``self`` argument
        # at call time; what it was generated from is the rule's text, where it sits, its
        # defaults and the converters of the defaults resolved into it.
        key = (
            rule.rule,
            rule.host,
            rule.subdomain,
            rule.merge_slashes,
            repr(sorted((rule.defaults or {}).items())),
            tuple((name, type(converter)) for name, converter in rule._converters.items()),
            tuple(rule._trace),
            append_unknown,
        )
        if key not in builders:
            builders[key] = compile_builder(rule, append_unknown)
        return builders[key]

    Rule._compile_builder = shared_builder


def install() -> None:
    """Make every Flask app created from now on in this process share compiled code."""
    Flask.jinja_options = {**Flask.jinja_options, "bytecode_cache": SessionTemplateCode()}
    _share_url_builders()
