"""The platform's demo data: two issuers, their micro-credentials, staff, learners and awards.

Everything is made through the services, as a person using the studio would,
so the demo shows what the platform really does: signed credentials, status
lists, an audit trail. Loading twice changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings

from microcred.accounts.models import User
from microcred.awards import services as awards
from microcred.catalogue import services as catalogue
from microcred.organisations import services as organisations
from microcred.organisations.models import Role

DEMO_PASSWORD = "microcred-demo"

EDUCATOR_RUBRIC = {
    "pass_rule": "Every criterion at 'Proficient' or above.",
    "criteria": [
        {
            "name": "Evidence from practice",
            "description": "Artefacts from the participant's own classroom, with a description.",
            "outcomes": [1, 2],
            "minimum_level": "Proficient",
            "levels": [
                {"name": "Emerging", "points": 1},
                {"name": "Proficient", "points": 2},
                {"name": "Exemplary", "points": 3},
            ],
        },
        {
            "name": "Reflection",
            "description": "A reflection that answers the prompts with reference to the evidence.",
            "outcomes": [3],
            "minimum_level": "Proficient",
            "levels": [
                {"name": "Emerging", "points": 1},
                {"name": "Proficient", "points": 2},
                {"name": "Exemplary", "points": 3},
            ],
        },
    ],
}

EDUCATOR_COMMON: dict[str, Any] = {
    "workload_hours": Decimal("30"),
    "eqf_level": 6,
    "assessment_type": "Portfolio of evidence from practice and a written reflection, judged "
    "against the rubric by a trained reviewer.",
    "participation_form": "blended",
    "quality_assurance": "Internal review by the Institute's quality committee; programme "
    "reviewed every three years.",
    "supervised": False,
    "identity_verification": "Institutional login",
    "languages": ["en"],
    "duration": "8 weeks",
    "delivery_mode": "Online modules with two school-based sessions",
    "field_of_study": "Teacher training without subject specialisation",
    "statement_of_purpose": "Professional learning for practising teachers.",
    "evidence_of_need": "Requested by partner schools after the national assessment reform.",
    "achievement_type": "MicroCredential",
    "credits": {"ECTS": "1", "HOURS": "30"},
    "rubric": EDUCATOR_RUBRIC,
    "price_amount": Decimal("120"),
    "price_currency": "EUR",
    "validity_months": 60,
}

EDUCATOR_CREDENTIALS = [
    {
        "slug": "assessment-literacy",
        "title": "Assessment Literacy",
        "description": "Designs valid, reliable classroom assessments and uses their results "
        "to improve learning.",
        "criteria": "Submit a portfolio of three assessments you designed and used, with "
        "student work, and a reflection on what the evidence showed.",
        "outcomes": [
            "Design classroom assessments aligned to stated learning objectives.",
            "Analyse assessment results to identify gaps in student learning.",
            "Evaluate and adapt teaching in response to assessment evidence.",
        ],
        "tags": ["assessment", "teaching"],
    },
    {
        "slug": "conceptual-understanding",
        "title": "Teaching for Conceptual Understanding",
        "description": "Plans and teaches lessons that build deep understanding of key concepts.",
        "criteria": "Submit a unit plan, two lesson recordings or observations, and a reflection.",
        "outcomes": [
            "Plan lessons that sequence concepts from concrete to abstract.",
            "Use questioning to reveal and address student misconceptions.",
            "Reflect on student thinking to refine instructional choices.",
        ],
        "tags": ["pedagogy", "teaching"],
    },
    {
        "slug": "student-well-being",
        "title": "Understanding Student Well-being",
        "description": "Recognises and supports the well-being of students in the classroom.",
        "criteria": "Submit a classroom well-being plan, evidence of its use, and a reflection.",
        "outcomes": [
            "Identify indicators of student well-being and distress.",
            "Apply classroom strategies that support student well-being.",
            "Collaborate with colleagues and families to support students.",
        ],
        "tags": ["well-being", "pastoral care"],
    },
]

UNIVERSITY_CREDENTIALS = [
    {
        "slug": "data-analysis-python",
        "title": "Data Analysis with Python",
        "description": "Cleans, analyses and visualises data with Python and its "
        "scientific libraries.",
        "criteria": "Pass the coursework project and the final examination (grade 6.0 or higher).",
        "outcomes": [
            "Write Python programs that clean and transform tabular data.",
            "Apply statistical methods to analyse data sets.",
            "Create visualisations that communicate findings.",
        ],
        "workload_hours": Decimal("140"),
        "credits": {"ECTS": "5", "HOURS": "140"},
        "eqf_level": 6,
        "tags": ["data", "python"],
        "field_of_study": "Statistics",
    },
    {
        "slug": "research-data-management",
        "title": "Research Data Management",
        "description": "Plans and carries out the management of research data across its life.",
        "criteria": "Pass the data management plan assignment and the oral examination.",
        "outcomes": [
            "Develop a data management plan that meets funder requirements.",
            "Apply FAIR principles to publish research data.",
            "Evaluate legal and ethical constraints on data sharing.",
        ],
        "workload_hours": Decimal("84"),
        "credits": {"ECTS": "3", "HOURS": "84"},
        "eqf_level": 7,
        "tags": ["research", "data"],
        "field_of_study": "Information and communication technologies",
    },
]

UNIVERSITY_COMMON: dict[str, Any] = {
    "assessment_type": "Coursework project and a supervised final examination, graded 1-10.",
    "participation_form": "online",
    "supervised": True,
    "identity_verification": "Photo identification checked by an online proctor",
    "quality_assurance": "Accredited programme (NVAO); internal quality assurance by the "
    "Examination Board.",
    "languages": ["en"],
    "duration": "10 weeks",
    "achievement_type": "MicroCredential",
    "stackability": "Counts towards the university's MSc Data Science (exemption of 5 ECTS).",
    "validity_months": None,
    "prerequisites": "A bachelor's degree, or equivalent experience.",
}


def load_platform_demo(*, now: datetime | None = None) -> Iterator[str]:
    """Create the demo organisations, people, micro-credentials and awards; yield what was done.

    The demo learners' addresses are made up, so no email is sent while loading.
    """
    previous, settings.EMAIL_BACKEND = (
        settings.EMAIL_BACKEND,
        "django.core.mail.backends.dummy.EmailBackend",
    )
    try:
        yield from _load(now=now)
    finally:
        settings.EMAIL_BACKEND = previous


def _load(*, now: datetime | None) -> Iterator[str]:
    if any(organisation.slug == "northfield" for organisation in organisations.get_organisations()):
        yield "Platform demo data is loaded already."
        return
    now = now or datetime.now(UTC)
    admin = _user("admin", "Platform Admin", is_staff=True, is_superuser=True)
    owners = {
        "northfield": _user("northfield-owner", "Nora Owens"),
        "lakeside": _user("lakeside-owner", "Lars Owen"),
    }
    institute = organisations.create_organisation(
        actor=admin,
        owner=owners["northfield"],
        slug="northfield",
        name="Northfield Institute for Teacher Learning",
        type="professional_learning",
        country="IE",
        url="https://northfield.example",
        email="credentials@northfield.example",
        description="Professional learning for teachers, assessed on evidence from practice.",
        accreditations=[
            {"name": "Approved provider of professional learning", "body": "Teaching Council"}
        ],
    )
    university = organisations.create_organisation(
        actor=admin,
        owner=owners["lakeside"],
        slug="lakeside",
        name="University of Lakeside",
        type="university",
        country="NL",
        url="https://lakeside.example",
        email="microcredentials@lakeside.example",
        description="A research university offering ECTS-bearing micro-credentials.",
        accreditations=[{"name": "Institutional accreditation", "body": "NVAO"}],
    )
    staff = {}
    for organisation in (institute, university):
        prefix, owner = organisation.slug, owners[organisation.slug]
        staff[prefix] = {
            "designer": _member(
                owner, organisation, f"{prefix}-designer", "Dana Designer", Role.DESIGNER
            ),
            "registrar": _member(
                owner, organisation, f"{prefix}-registrar", "Rae Registrar", Role.REGISTRAR
            ),
        }
    versions = [
        _publish(institute, staff["northfield"]["designer"], {**EDUCATOR_COMMON, **spec})
        for spec in EDUCATOR_CREDENTIALS
    ]
    versions += [
        _publish(university, staff["lakeside"]["designer"], {**UNIVERSITY_COMMON, **spec})
        for spec in UNIVERSITY_CREDENTIALS
    ]
    yield f"Organisations: {institute.name}, {university.name}; {len(versions)} micro-credentials."
    learners = [
        _user("aoife", "Aoife Byrne"),
        _user("ben", "Ben Okafor"),
        _user("chen", "Chen Wei"),
        _user("daan", "Daan de Vries"),
    ]
    issued = []
    for version, learner_list in (
        (versions[0], learners[:3]),
        (versions[1], learners[:2]),
        (versions[2], learners[1:3]),
        (versions[3], learners[2:]),
        (versions[4], learners[3:]),
    ):
        registrar = staff[version.microcredential.organisation.slug]["registrar"]
        for learner in learner_list:
            result = (
                {"grade": "8.0"} if version.microcredential.organisation == university else None
            )
            issued.append(
                awards.issue_award(
                    actor=registrar,
                    version=version,
                    learner_email=learner.email,
                    learner_name=str(learner),
                    result=result,
                    narrative="Assessed on the evidence submitted; all criteria met.",
                    now=now - timedelta(days=30),
                )
            )
    registrar = staff["northfield"]["registrar"]
    awards.revoke_award(
        actor=registrar, award=issued[1], reason="Issued in error: the portfolio was incomplete."
    )
    awards.suspend_award(
        actor=registrar, award=issued[3], reason="Under review after a plagiarism report."
    )
    yield f"Awards: {len(issued)} issued, one revoked, one suspended."
    yield (
        f"Sign in at /login as northfield-registrar, northfield-designer, lakeside-registrar, "
        f"admin (platform admin) or learner aoife; password: {DEMO_PASSWORD}"
    )


def _user(username: str, name: str, **flags: Any) -> User:
    first, _, last = name.partition(" ")
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "email": f"{username}@demo.microcred.example",
            "first_name": first,
            "last_name": last,
            "display_name": name,
            **flags,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def _member(owner: User, organisation: Any, username: str, name: str, role: str) -> User:
    user = _user(username, name)
    organisations.add_member(actor=owner, organisation=organisation, user=username, roles=[role])
    return user


def _publish(organisation: Any, designer: User, spec: dict[str, Any]) -> Any:
    fields = dict(spec)
    title = fields.pop("title")
    slug = fields.pop("slug")
    draft = catalogue.create_microcredential(
        actor=designer, organisation=organisation, title=title, slug=slug, **fields
    )
    return catalogue.publish_version(actor=designer, version=draft)
