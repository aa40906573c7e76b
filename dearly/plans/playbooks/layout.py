"""The layout every playbook email shares: the starter template's look, a personal greeting
with a friendly fallback, the thing it gives set apart, and the unsubscribe and preference
links with the business's postal address, so the pre-send checks pass as installed."""

FALLBACKS = {"contact.first_name": "there"}
HEAD = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<style>
  body { margin: 0; padding: 0; background: #f6f4ef; color: #2b2b2b; }
  .wrap { max-width: 560px; margin: 0 auto; padding: 24px; background: #ffffff;
          font-family: Georgia, 'Times New Roman', serif; }
  h1 { font-size: 22px; margin: 0 0 16px; }
  p { font-size: 16px; line-height: 1.5; margin: 0 0 16px; }
  .gift { border-left: 4px solid #1d6b40; padding-left: 12px; }
  .footer { font-size: 12px; line-height: 1.5; color: #6b6b6b; }
</style>
</head>
<body>
<div class="wrap">
"""
FOOT = """  <p>Warm wishes,<br>{{ business.name }}</p>
  <hr>
  <p class="footer">You're getting this because you signed up with {{ business.name }}.
  <a href="{{ links.preferences_url }}">Choose what you hear about</a> or
  <a href="{{ links.unsubscribe_url }}">unsubscribe</a> at any time.<br>
  {{ business.postal_address }}</p>
</div>
</body>
</html>
"""


def html(*, heading: str, paragraphs: tuple[str, ...], gift: str) -> str:
    """The email's HTML. The texts are HTML already: they may hold merge fields such as
    {{ business.name }} and simple tags; the owner edits the result in the template editor."""
    body = ["  <h1>Hi {{ contact.first_name }},</h1>", f"  <p><strong>{heading}</strong></p>"]
    body += [f"  <p>{p}</p>" for p in paragraphs]
    body.append(f'  <p class="gift">{gift}</p>')
    return HEAD + "\n".join(body) + "\n" + FOOT
