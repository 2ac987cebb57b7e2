"""API routes of the catalogue app; handlers stay thin and call services."""

from ninja import Router

router = Router(tags=["catalogue"])
