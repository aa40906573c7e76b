"""The layout every playbook email shares: the starter template's look, a personal greeting
with a friendly fallback, the thing it gives set apart, and the unsubscribe and preference
links with the business's postal address, so the pre-send checks pass as installed."""

from dearly.messaging.starter import FOOT, HEAD

FALLBACKS = {"contact.first_name": "there"}


def html(*, heading: str, paragraphs: tuple[str, ...], gift: str) -> str:
    """The email's HTML. The texts are HTML already: they may hold merge fields such as
    {{ business.name }} and simple tags; the owner edits the result in the template editor."""
    body = ["  <h1>Hi {{ contact.first_name }},</h1>", f"  <p><strong>{heading}</strong></p>"]
    body += [f"  <p>{p}</p>" for p in paragraphs]
    body.append(f'  <p class="gift">{gift}</p>')
    return HEAD + "\n".join(body) + "\n" + FOOT
