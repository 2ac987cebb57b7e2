"""Sentences of django-allauth that the account pages show, kept in this app's catalogue.

allauth's own German addresses the reader with "du"; the platform writes "Sie" everywhere.
This app comes before allauth in ``INSTALLED_APPS``, so its catalogue's translation of the
same English sentence wins. The sentences are listed here, marked but never used, so that
``make messages`` keeps them in the catalogue. Each is allauth's text exactly, or the
translation would not be found.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

ALLAUTH_TEXTS = (
    # Forms and checks of allauth.account (the adapter's error messages).
    gettext_noop("You cannot remove your primary email address."),
    gettext_noop("Please type your current password."),
    gettext_noop("Too many failed login attempts. Try again later."),
    gettext_noop("Your primary email address must be verified."),
    gettext_noop("Be patient, you are sending too many requests."),
    gettext_noop("You must type the same password each time."),
    # The messages shown after an action (account/messages/*.txt).
    gettext_noop("You cannot remove your primary email address (%(email)s)."),
    gettext_noop("You have confirmed %(email)s."),
    gettext_noop("You have signed out."),
    # Sign-in through an institution (allauth.socialaccount).
    gettext_noop(
        "An account already exists with this email address. Please sign in to that account "
        "first, then connect your %s account."
    ),
    gettext_noop("Your account has no password set up."),
    gettext_noop("Your account has no verified email address."),
    gettext_noop("You are about to sign in using a third-party account from %(provider)s."),
    gettext_noop(
        "You decided to cancel logging in to our site using one of your existing accounts. If "
        'this was a mistake, please proceed to <a href="%(login_url)s">sign in</a>.'
    ),
    gettext_noop(
        "You are about to use your %(provider_name)s account to login to\n%(site_name)s. As a "
        "final step, please complete the following form:"
    ),
)
