"""API routes of the accounts app; handlers stay thin and call services."""

from ninja import Router

router = Router(tags=["accounts"])
