"""Post-purchase thank-you and cross-sell: thanks and care tips the day after a purchase; ten
days on, a suggestion that fits for those who showed interest, a helping hand for the rest."""

from dearly.plans.playbooks.spec import Email, JourneySpec, PlanSpec, Playbook

PLAYBOOK = Playbook(
    key="post-purchase",
    name="Post-purchase thank-you and cross-sell",
    gives="Customers get thanked and shown how to get the most from what they bought; only "
    "those who clicked for more get a suggestion to go with it.",
    how="After each purchase reported to Dearly: a thank-you with care tips the next day; ten "
    "days later, a matching suggestion if they clicked the tips, otherwise an offer to help.",
    plan=PlanSpec(
        name="Bring customers back",
        description="Turn first purchases into repeat purchases with care, not pressure.",
        metric="repeat_purchases",
        target=50,
        days=90,
        lifecycle_stage="customer",
    ),
    emails=(
        Email(
            key="thanks",
            name="After purchase: thank you",
            subject="Thank you for your order",
            preheader="And how to get the most from it",
            heading="Thank you for buying from us.",
            paragraphs=(
                "We hope you love it. Here is how to get the most from it.",
                "Write here two or three care or usage tips for what people buy most.",
            ),
            gift="<strong>Care guide:</strong> link here to a longer guide or video.",
        ),
        Email(
            key="cross-sell",
            name="After purchase: goes well with",
            subject="Something that goes with your purchase",
            preheader="A suggestion picked for you",
            heading="Something that goes well with it.",
            paragraphs=(
                "Since you liked the care guide, we thought you'd like to know about this.",
                "Write here the product or service that goes best with what they bought.",
            ),
            gift="<strong>For you:</strong> say here the offer, if there is one.",
        ),
        Email(
            key="help",
            name="After purchase: need a hand?",
            subject="How is it going?",
            preheader="Any questions? Just reply",
            heading="How are you getting on?",
            paragraphs=(
                "If anything isn't quite right, or you have a question, just reply to this "
                "email: it comes straight to us.",
            ),
            gift="<strong>Useful:</strong> the answer to the question customers ask us most.",
        ),
    ),
    journeys=(
        JourneySpec(
            name="Thank-you and cross-sell",
            definition={
                "trigger": {"type": "event", "name": "purchase"},
                "reentry": "after_exit",
                "goal": None,
                "steps": [
                    {"id": "next-day", "type": "wait", "days": 1},
                    {
                        "id": "thanks",
                        "type": "send",
                        "template": "thanks",
                        "purpose": "informational",
                        "consent_purpose": "marketing",
                        "value": "useful_information",
                    },
                    {"id": "ten-days", "type": "wait", "days": 9},
                    {
                        "id": "clicked",
                        "type": "branch",
                        "condition": {"kind": "clicked_last"},
                        "then": "cross-sell",
                        "else": "help",
                    },
                    {
                        "id": "cross-sell",
                        "type": "send",
                        "template": "cross-sell",
                        "purpose": "promotional",
                        "consent_purpose": "marketing",
                        "value": "offer",
                    },
                    {"id": "done", "type": "exit"},
                    {
                        "id": "help",
                        "type": "send",
                        "template": "help",
                        "purpose": "informational",
                        "consent_purpose": "marketing",
                        "value": "useful_information",
                    },
                ],
            },
        ),
    ),
)
