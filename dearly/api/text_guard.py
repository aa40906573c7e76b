"""Refuse text that cannot be stored before an endpoint runs: 422, naming the field.

Every endpoint gets `refuse_unstorable_text` (see api.py), which looks at what the request
really sent: each string in the JSON body (keys and nested values too, so free-form
`properties` are covered), each query-string value, and each path or header parameter.

The body is decoded with the standard library's json, not orjson: orjson refuses a lone
surrogate ("\\ud800") as unparseable, which would blame no field; json decodes it to a string
that `text_problem` then names. Bytes that are not UTF-8 are read the same way, as surrogates.
"""

import json
from collections.abc import Callable, Iterator
from functools import wraps
from typing import Any

from django.http import HttpRequest
from ninja.parser import Parser

from dearly.api.refusals import Refused
from dearly.core.text import query_problems, text_problem, text_problems


def parse_json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except UnicodeDecodeError:
        return json.loads(body.decode("utf-8", errors="surrogateescape"))


class TextParser(Parser):
    """ninja's parser, reading bodies that are not UTF-8 as surrogates the guard can name."""

    def parse_body(self, request: HttpRequest) -> Any:
        return parse_json(request.body)


def request_problems(request: HttpRequest, params: dict[str, Any]) -> Iterator[tuple[str, str]]:
    yield from query_problems(request.GET)
    if request.body and request.content_type == "application/json":
        yield from text_problems(parse_json(request.body))
    for name, value in params.items():
        if isinstance(value, str) and (problem := text_problem(value, multiline=False)):
            yield name, problem


def refuse_unstorable_text(operation: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(operation)
    def checked(request: HttpRequest, *args: Any, **params: Any) -> Any:
        if problems := list(request_problems(request, params)):
            raise Refused(*problems)
        return operation(request, *args, **params)

    return checked
