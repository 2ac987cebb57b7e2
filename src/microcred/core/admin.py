"""What the Django admin shows operators: everything, read-only.

State changes go through the services (the studio, the API, the command
line), which authorise, audit and keep signed records consistent; the admin
is for looking, so it never bypasses them.
"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
