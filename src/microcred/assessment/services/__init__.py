"""Assessment services: enrolment and submissions, then reviews, decisions and awards.

The verbs keep the meanings they have across microcred: ``enrol``,
``submit_*``, ``assign_*``, ``score_*``, ``decide_*`` authorise, validate,
change and audit in one transaction; ``access_*`` fetch and authorise;
``get_*`` only read. Other apps import this package, never the models.
"""

from microcred.assessment.services.judging import *  # noqa: F403
from microcred.assessment.services.judging import __all__ as _judging
from microcred.assessment.services.learning import *  # noqa: F403
from microcred.assessment.services.learning import __all__ as _learning

__all__ = [*_learning, *_judging]
