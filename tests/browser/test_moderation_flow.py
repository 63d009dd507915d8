"""In real Chromium: a report through the post page, removal from the queue, the author's notice."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from playwright.sync_api import Browser, expect

from glimpse.posts.models import Post
from tests.browser.test_notifications_flow import open_as, shot
from tests.posts.conftest import media_for

__all__ = ["media_for"]

pytestmark = pytest.mark.django_db(transaction=True)


def test_report_then_removal_then_the_authors_notice(
    chromium: Browser, asgi_server: str, make_user, media_for
) -> None:
    from glimpse.posts import services as posts

    author, reporter, mod = make_user("author"), make_user("reporter"), make_user("mod")
    mod.user_permissions.add(Permission.objects.get(codename="moderate"))
    (media,) = media_for(author)
    post = posts.post_create(author=author, media_ids=[media.pk], caption="Cheap pills here")

    context, page, problems = open_as(chromium, asgi_server, reporter)
    page.goto(f"{asgi_server}/p/{post.pk}/")
    page.get_by_role("link", name="Report").first.click()
    page.get_by_label("Spam").check()
    page.get_by_label("Anything to add? (optional)").fill("Selling pills")
    shot(page, "moderation-report")
    page.get_by_role("button", name="Send report").click()
    expect(page.get_by_text("Thanks for telling us")).to_be_visible()
    context.close()

    context, page, more = open_as(chromium, asgi_server, mod)
    problems += more
    page.goto(f"{asgi_server}/moderation/")
    expect(page.get_by_text("Spam (1)")).to_be_visible()
    shot(page, "moderation-queue")
    page.get_by_role("link", name="Cheap pills here").click()
    expect(page.get_by_text("Selling pills")).to_be_visible()
    shot(page, "moderation-case")
    page.get_by_label("Remove the content").check()
    page.get_by_label("Reason", exact=False).fill("Selling medicine breaks the rules.")
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_text("Done: remove the content.")).to_be_visible()
    context.close()
    assert not Post.objects.filter(pk=post.pk).exists()

    context, page, more = open_as(chromium, asgi_server, author)
    problems += more
    page.goto(f"{asgi_server}/notifications/")
    expect(page.get_by_text("Your post was removed by the moderators")).to_be_visible()
    expect(page.get_by_text("Selling medicine breaks the rules.")).to_be_visible()
    shot(page, "moderation-notice")
    context.close()

    context, page, more = open_as(chromium, asgi_server, reporter)
    problems += more
    response = page.goto(f"{asgi_server}/p/{post.pk}/")
    assert response is not None
    assert response.status == 404
    context.close()
    assert problems == []
