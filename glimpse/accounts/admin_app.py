"""Django's admin app, serving ``accounts.admin_site.AdminSite`` as its default site.

Kept apart from the site itself: this module is imported while the apps load, before any
model may be.
"""

from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminConfig(DjangoAdminConfig):
    """Django's admin, on the site whose log-in is Glimpse's own."""

    default_site = "glimpse.accounts.admin_site.AdminSite"
