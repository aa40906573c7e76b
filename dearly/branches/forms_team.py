"""The team forms (Settings → Team): a member's role and, for branch staff, their branch."""

from django import forms

from dearly.branches.models import Branch
from dearly.core.models import Role
from dearly.core.textforms import TextCheckedForm


class PlacementForm(TextCheckedForm):
    role = forms.ChoiceField(choices=Role.choices)
    branch = forms.ModelChoiceField(
        Branch.objects.all(),
        required=False,
        empty_label="— no branch —",
        help_text="Required for branch staff, who see only their branch's contacts.",
    )


class NewMemberForm(PlacementForm):
    username = forms.CharField(max_length=150, help_text="What they type to log in.")
    first_name = forms.CharField(max_length=150, required=False)
    last_name = forms.CharField(max_length=150, required=False)
    email = forms.CharField(
        max_length=320, required=False, widget=forms.EmailInput(attrs={"autocomplete": "off"})
    )
    password = forms.CharField(
        label="First password",
        widget=forms.PasswordInput(render_value=True, attrs={"autocomplete": "new-password"}),
        help_text="At least 8 characters, not a common password, not like their name.",
    )
    field_order = ["username", "first_name", "last_name", "email", "password", "role", "branch"]
