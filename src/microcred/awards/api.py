"""API routes of the awards app; handlers stay thin and call services."""

from ninja import Router

router = Router(tags=["awards"])
