"""Small display helpers shared by every page."""

from django import template

from dearly.core import audit_words

register = template.Library()


@register.filter
def action_label(action: str) -> str:
    """A readable name for an audit action (core.audit_words holds the words)."""
    return audit_words.action_label(action)
