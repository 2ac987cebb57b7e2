"""The assessment API: learners' enrolments and submissions, staff reviews and decisions."""

from ninja import Router

from microcred.assessment.api import judging, learning

router = Router()
router.add_router("/", learning.router)
router.add_router("/", judging.router)
