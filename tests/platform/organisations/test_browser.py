"""A staff invitation accepted in a real browser (Debian's Chromium, driven by Playwright): the
owner invites an address on the members page, the invitee opens the link from the email,
creates an account and lands in the studio as a member with the role."""

from __future__ import annotations

import pytest
from django.core import mail
from playwright.sync_api import expect

from microcred.organisations import services
from microcred.organisations.models import Role
from tests.platform.browser import sign_in
from tests.platform.factories import make_organisation, make_user
from tests.platform.organisations.invitations import token_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_owner_invites_a_newcomer_who_creates_an_account_and_joins(browser, live_server) -> None:
    owner = make_user("olive")
    organisation = make_organisation(owner, name="Northfield Institute", slug="northfield")
    members = f"/studio/orgs/{organisation.slug}/members"

    context, page = sign_in(browser, live_server, owner, members)
    invite = page.locator("form:has(input[name=email])")
    invite.locator("input[name=email]").fill("new.teacher@example.org")
    invite.locator("input[name=roles][value=designer]").check()
    invite.locator("button[type=submit]").click()
    page.wait_for_url(f"**{members}")
    # The same address as before: wait for the new page's text, not the old page's.
    expect(page.locator("main")).to_contain_text("An invitation went to new.teacher@example.org")
    assert "new.teacher@example.org" in page.inner_text("table.invitations")
    context.close()

    [message] = mail.outbox
    assert message.to == ["new.teacher@example.org"]
    newcomer = browser.new_context()
    invited = newcomer.new_page()
    invited.goto(f"{live_server.url}/invitations/{token_in(message.body)}")
    assert "Join Northfield Institute" in invited.inner_text("h1")
    invited.fill("input[name=display_name]", "Niamh Teacher")
    invited.fill("input[name=password]", "a violet kestrel over Galway")
    invited.fill("input[name=password_again]", "a violet kestrel over Galway")
    invited.click("button:has-text('Create account and join')")
    invited.wait_for_url(f"{live_server.url}/studio/")
    main = invited.inner_text("main")
    assert "Welcome to Northfield Institute: you are Designer." in main
    assert "Northfield Institute" in main
    newcomer.close()

    [member] = [m for m in services.get_members(organisation) if m.user != owner]
    assert member.user.email == "new.teacher@example.org" and member.roles == (Role.DESIGNER,)
