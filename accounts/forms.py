"""Forms for signing in, the second factor, passwords and staff. They parse and normalise;
the rules live in ``accounts.services``."""

import re
import uuid

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import Field
from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model

from accounts.links import password_reset_valid_days
from accounts.roles import ROLE_CAPABILITIES, Capability, Role
from core.forms import form_helper
from notifications.services import message_queue

# What each capability lets a person do, in the words the role hints use.
CAPABILITY_PHRASES = {
    Capability.VIEW_COHORT: "see the cohort register and pupils' records",
    Capability.EDIT_PUPILS: "edit pupils, PEPs and PP+",
    Capability.EDIT_ATTENDANCE_EXCLUSIONS: "record attendance and exclusions",
    Capability.DECIDE_EXCLUSION: "decide a suspension or permanent exclusion",
    Capability.APPROVE_PP_SPEND: "approve PP+ spend",
    Capability.RAISE_CONCERN: "raise a concern",
    Capability.ACT_ON_CONCERNS: "read safeguarding concerns and act on them",
    Capability.VIEW_DASHBOARD: "see the dashboard",
    Capability.VIEW_GOVERNORS_REPORT: "download the governors' report",
    Capability.MANAGE_SCHOOL: "manage staff, term dates and imports",
    Capability.OVERSEE_RECORDS: "read the audit log and the outbox",
}


def role_hint(role: str) -> str:
    """What the role lets a person do, from the role table: "Can raise a concern."."""
    held = ROLE_CAPABILITIES[role]
    if held == set(Capability):
        return "Can do everything in Harbour for this school."
    # Semicolons, because the phrases have commas and "and" of their own.
    return "Can " + "; ".join(CAPABILITY_PHRASES[c] for c in Capability if c in held) + "."


def role_choices(grantable: set[str] | None = None) -> list[Choice]:
    """Every role, or only those in ``grantable``: a form offers only what the person using it
    may give (``accounts.services.roles_grantable``)."""
    return [
        Choice(role.value, role.label, hint=role_hint(role))
        for role in Role
        if grantable is None or role in grantable
    ]


def _email_widget() -> forms.EmailInput:
    return forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"})


class SignInForm(auth_forms.AuthenticationForm):
    """Email and password. The email field is named ``username`` because django-axes counts
    failures by AXES_USERNAME_FORM_FIELD."""

    username = forms.CharField(label="Email address", max_length=254, widget=_email_widget())
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid_login": "Enter the email address and password of your Harbour account",
        "inactive": "This account has been switched off. Ask your school administrator.",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your email address"
        self.fields["password"].error_messages["required"] = "Enter your password"
        self.helper = form_helper(Field.text("username"), Field.text("password"))

    def clean_username(self) -> str:
        return self.cleaned_data["username"].strip().lower()


class CodeForm(forms.Form):
    """A six-digit code from an authenticator app, or a backup code."""

    code = forms.CharField(
        label="Code",
        max_length=32,
        error_messages={"required": "Enter the code from your authenticator app"},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "spellcheck": "false", "autocorrect": "off"}
        ),
    )

    def __init__(self, *args, label: str | None = None, help_text: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["code"].label = label
        self.fields["code"].help_text = help_text
        self.helper = form_helper(Field.text("code", field_width=10))

    def clean_code(self) -> str:
        # People copy codes with spaces or dashes ("123 456", "abcd-efgh").
        return re.sub(r"[\s-]", "", self.cleaned_data["code"]).lower()


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's reset form, sending through Harbour's outbox instead of straight to SMTP."""

    email = forms.EmailField(
        label="Email address",
        max_length=254,
        widget=_email_widget(),
        error_messages={"required": "Enter your email address"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field.text("email"))

    def get_users(self, email):
        # Django skips accounts without a usable password; in Harbour those are invited staff
        # whose invitation link expired, and this form is how they get a fresh one.
        return (
            user
            for user in get_user_model()._default_manager.filter(
                email__iexact=email, is_active=True
            )
            if user.email.lower() == email.lower()
        )

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        # Django hands over a token in ``context``; it is not used. The outbox keeps a
        # placeholder and the worker makes the link as it sends, so no page shows it.
        user = context["user"]
        message_queue(
            recipient=to_email,
            template="password_reset",
            context={"user": user, "valid_days": password_reset_valid_days()},
            dedupe_key=f"password-reset-{user.pk}-{uuid.uuid4().hex}",
            school=None,
            set_password_for=user,
        )


class SetPasswordForm(auth_forms.SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = (
            "At least 12 characters. A few unrelated words together are easy to remember "
            "and hard to guess."
        )
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].error_messages["required"] = "Enter the new password again"
        self.helper = form_helper(Field.text("new_password1"), Field.text("new_password2"))


class ChooseSchoolForm(forms.Form):
    school = forms.TypedChoiceField(
        label="Which school are you working in?",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select a school",
            "invalid_choice": "Select one of the schools you work in",
        },
    )

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].choices = [(str(s.pk), s.name) for s in schools]
        self.helper = form_helper(Field.radios("school", legend_size="m"))


class StaffInviteForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        widget=_email_widget(),
        help_text="Use their school email address. We will send the invitation there.",
        error_messages={"required": "Enter their email address"},
    )
    full_name = forms.CharField(
        label="Full name",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": "Enter their full name"},
    )
    roles = forms.MultipleChoiceField(
        label="Roles",
        help_text="Select all that apply.",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one role"},
    )

    def __init__(self, *args, grantable: set[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roles"].choices = role_choices(grantable)
        self.helper = form_helper(
            Field.text("email"),
            Field.text("full_name"),
            Field.checkboxes("roles", legend_size="m"),
        )

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def clean_full_name(self) -> str:
        return " ".join(self.cleaned_data["full_name"].split())


class StaffRolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label="Roles",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, person, school, current: set[str], grantable: set[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roles"].choices = role_choices(grantable)
        # Roles they hold that this user may not change stay as they are.
        self.kept = current - grantable
        if self.kept:
            kept = ", ".join(label.lower() for value, label in Role.choices if value in self.kept)
            self.fields["roles"].help_text = (
                f"The roles you can change are listed. {person} keeps their other roles "
                f"({kept}): only a headteacher gives or takes away a role that opens "
                "children's records."
            )
        else:
            self.fields[
                "roles"
            ].help_text = (
                f"Tick every role they need. To remove {person} from {school}, untick them all."
            )
        self.helper = form_helper(Field.checkboxes("roles", legend_size="m"))

    def clean_roles(self) -> list[str]:
        return sorted(set(self.cleaned_data["roles"]) | self.kept)
