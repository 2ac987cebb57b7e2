"""eddsa-2022: the pre-standard name of eddsa-rdfc-2022, verified with a warning.

Credentials signed in 2023 against drafts of vc-di-eddsa carry
``"cryptosuite": "eddsa-2022"``; the algorithm is the one of
eddsa-rdfc-2022 with the old name in the proof configuration.
"""

from __future__ import annotations

from microcred.vc.suites.eddsa_rdfc_2022 import EddsaRdfc2022


class Eddsa2022(EddsaRdfc2022):
    name = "eddsa-2022"
    can_create = False
    legacy = "eddsa-rdfc-2022"
