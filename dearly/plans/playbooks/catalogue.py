"""The starter playbooks, in the order the playbooks page shows them."""

from dearly.plans.playbooks import (
    birthday,
    feedback,
    newsletter,
    post_purchase,
    quiet,
    welcome,
    winback,
)
from dearly.plans.playbooks.spec import Playbook

ORDER = (welcome, birthday, newsletter, post_purchase, feedback, winback, quiet)
PLAYBOOKS: dict[str, Playbook] = {m.PLAYBOOK.key: m.PLAYBOOK for m in ORDER}
