"""API routes of the organisations app; handlers stay thin and call services."""

from ninja import Router

router = Router(tags=["organisations"])
