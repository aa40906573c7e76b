"""Server-side template injection payloads from the public lists for Jinja2: each is refused
with a neutral message, and nothing secret appears in any output or message."""

import pytest
from django.conf import settings

from dearly.messaging.render import TemplateProblem, render_version
from dearly.messaging.tests.helpers import draft_version, person

PAYLOADS = [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ ''.__class__.__mro__[2].__subclasses__()[40]('/etc/passwd').read() }}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{{ joiner.__init__.__globals__.os }}",
    "{{ namespace.__init__.__globals__.os }}",
    "{{ lipsum.__globals__ }}",
    "{{ lipsum.__globals__['os'].popen('id').read() }}",
    "{{ self.__init__.__globals__.__builtins__ }}",
    "{{ self._TemplateReference__context }}",
    "{{ self }}",
    "{{ config }}",
    "{{ config.items() }}",
    "{{ settings.SECRET_KEY }}",
    "{{ request }}",
    "{{ request.application.__globals__ }}",
    "{% for c in [].__class__.__base__.__subclasses__() %}{{ c }}{% endfor %}",
    "{{ ''|attr('__class__') }}",
    "{{ ''|attr('\\x5f\\x5fclass\\x5f\\x5f') }}",
    "{{ contact|attr('__class__') }}",
    "{{ contact['__class__'] }}",
    "{% set k = '__cla' ~ 'ss__' %}{{ contact[k] }}",
    "{{ contact.first_name.__class__ }}",
    "{{ '{0.__class__}'.format(contact) }}",
    "{{ '{0:>999999999}'.format(1) }}",
    "{{ '%s' % contact }}",
    "{{ '%999999999d' % 1 }}",
    "{{ contact.first_name.upper() }}",
    "{{ range(10**9) }}",
    "{% for i in range(999999999) %}{% endfor %}",
    "{{ 9**9**9 }}",
    "{{ 'x' * 1000000000 }}",
    "{{ 'x'.ljust(1000000000) }}",
    "{% set a = 'abcdefghij' %}" + "{% set a = a ~ a %}" * 40 + "{{ a|length }}",
    "{% for a in 'x'*9999 %}{% for b in 'x'*9999 %}{% endfor %}{% endfor %}",
    "{% include '/etc/passwd' %}",
    "{% import 'os' as os %}",
    "{% extends '/etc/passwd' %}",
    "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}",
    "{% autoescape false %}{{ contact.first_name }}{% endautoescape %}",
    "{{ dict(a=1) }}",
    "{{ namespace() }}",
    "{{ get_flashed_messages.__globals__ }}",
    "{{ url_for.__globals__ }}",
]
SECRETS = [
    "SECRET_KEY",
    settings.SECRET_KEY,
    "/etc/passwd",
    "root:",
    "os.",
    "posix",
    "site-packages",
]
SECRETS += ["Traceback", "<class", "object at 0x", str(settings.BASE_DIR)]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_injection_payloads_are_refused_with_a_neutral_message(payload):
    version = draft_version(payload, subject="Hi")
    with pytest.raises(TemplateProblem) as caught:
        render_version(version, person())
    message = str(caught.value)
    assert message
    for secret in SECRETS:
        assert secret not in message
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


@pytest.mark.parametrize("payload", PAYLOADS[:12])
def test_injection_payloads_in_the_subject_are_refused_too(payload):
    with pytest.raises(TemplateProblem):
        render_version(draft_version(subject=payload), person())


def test_harmless_arithmetic_still_works():
    rendered = render_version(draft_version("{{ 7*'7' }} {{ 6*7 }} {{ 10 % 3 }}"), person())
    assert "7777777 42 1" in rendered.html


def test_loops_over_contact_data_work_within_the_budget():
    version = draft_version("{% for t in contact.tags %}[{{ loop.index }}:{{ t }}]{% endfor %}")
    rendered = render_version(version, person(tags=["tea", "cake"]))
    assert "[1:tea][2:cake]" in rendered.html


def test_custom_fields_can_be_looped_over():
    version = draft_version("{% for k, v in contact.custom.items() %}{{ k }}={{ v }};{% endfor %}")
    rendered = render_version(version, person(custom={"size": "M", "vip": True}))
    assert "size=M;vip=True;" in rendered.html


def test_a_field_named_like_a_dict_method_reads_as_the_field():
    version = draft_version("{{ contact.custom.items }}")
    assert "three" in render_version(version, person(custom={"items": "three"})).html


def test_the_output_of_one_render_is_capped():
    big = "{% set a = 'x' * 10000 %}" + "{% for t in contact.tags %}{{ a }}{% endfor %}"
    version = draft_version(big)
    with pytest.raises(TemplateProblem) as caught:
        render_version(version, person(tags=["t"] * 150))
    assert "too much" in caught.value.message or "more text" in caught.value.message
