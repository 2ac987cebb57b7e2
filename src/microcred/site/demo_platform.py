"""The platform's demo data: two issuers, a QA agency, micro-credentials, staff, learners, awards.

Everything is made through the services, as a person using the studio would,
so the demo shows what the platform really does: issuers vetted by a platform
admin, every published version submitted by its designer and approved by
another person (one also by the agency), a draft the automatic checks sent
back, a submitted draft waiting for its QA reviewer, signed credentials, status
lists, an audit trail, and assessment at work: an assessment plan with peer
review, a qualified assessor, one learner whose award followed the assessor's
decision and one whose submission waits in the assessor's queue. Loading twice changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile

from microcred.accounts.services import User, mark_email_verified
from microcred.assessment import services as assessment
from microcred.awards import services as awards
from microcred.bulk.demo import load_bulk_demo
from microcred.catalogue import services as catalogue
from microcred.obapi.demo import load_obapi_demo
from microcred.organisations import services as organisations
from microcred.organisations.services import Role
from microcred.pathways.demo import load_pathways_demo
from microcred.quality import services as quality
from microcred.recognition.demo import load_recognition_demo
from microcred.wallets.demo import load_wallets_demo

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
                {
                    "name": "Emerging",
                    "points": 1,
                    "description": "Artefacts are generic or borrowed; the description does not "
                    "say how they were used with the participant's own pupils or what came of it.",
                },
                {
                    "name": "Proficient",
                    "points": 2,
                    "description": "Artefacts come from the participant's own classroom; the "
                    "description says which objective each serves, how it was used and shows "
                    "samples of pupils' work.",
                },
                {
                    "name": "Exemplary",
                    "points": 3,
                    "description": "As Proficient, and the artefacts were revised after use: "
                    "the evidence shows the change and the pupils' work before and after it.",
                },
            ],
        },
        {
            "name": "Reflection",
            "description": "A reflection that answers the prompts with reference to the evidence.",
            "outcomes": [3],
            "minimum_level": "Proficient",
            "levels": [
                {
                    "name": "Emerging",
                    "points": 1,
                    "description": "Describes what happened in the lessons but answers the "
                    "prompts without pointing to the evidence in the portfolio.",
                },
                {
                    "name": "Proficient",
                    "points": 2,
                    "description": "Answers every prompt, citing specific artefacts and pupils' "
                    "work, and names one change to teaching the evidence supports.",
                },
                {
                    "name": "Exemplary",
                    "points": 3,
                    "description": "As Proficient, and weighs other explanations of the evidence "
                    "and plans how to check whether the change worked.",
                },
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


def _graded_rubric(*, project: list[int], examination: list[int]) -> dict[str, Any]:
    """Return the university's rubric: a project and an examination, each graded 1-10."""
    project_levels = [
        {
            "name": "Insufficient",
            "points": 4,
            "description": "Grade below 6: the code does not run from the raw data to the "
            "results, or the report's conclusions do not follow from the analysis.",
        },
        {
            "name": "Sufficient",
            "points": 6,
            "description": "Grade 6-7: the code runs end to end and reproduces the report; the "
            "methods suit the data and the conclusions follow, with limits left unstated.",
        },
        {
            "name": "Good",
            "points": 8,
            "description": "Grade 8-9: as Sufficient, with choices justified against "
            "alternatives, assumptions checked and the limits of the results stated.",
        },
        {
            "name": "Excellent",
            "points": 10,
            "description": "Grade 10: as Good, with tested, documented code another analyst "
            "could reuse, and a report a non-specialist can act on.",
        },
    ]
    examination_levels = [
        {
            "name": "Insufficient",
            "points": 4,
            "description": "Below 55% of the marks: methods are named but not applied "
            "correctly to the examination's problems.",
        },
        {
            "name": "Sufficient",
            "points": 6,
            "description": "55-69% of the marks: standard problems are solved correctly; "
            "interpretations of the results are partly right.",
        },
        {
            "name": "Good",
            "points": 8,
            "description": "70-84% of the marks: problems are solved and interpreted "
            "correctly, including the choice of method for an unfamiliar case.",
        },
        {
            "name": "Excellent",
            "points": 10,
            "description": "85% of the marks or more: every problem solved, interpreted and "
            "critiqued, with the assumptions behind each method made explicit.",
        },
    ]
    return {
        "pass_rule": "Both parts at 'Sufficient' or above; the grade is the mean of the two.",
        "criteria": [
            {
                "name": "Coursework project",
                "description": "A project on a real data set, handed in with its code.",
                "outcomes": project,
                "minimum_level": "Sufficient",
                "levels": project_levels,
            },
            {
                "name": "Final examination",
                "description": "A supervised written examination.",
                "outcomes": examination,
                "minimum_level": "Sufficient",
                "levels": examination_levels,
            },
        ],
    }


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
        "rubric": _graded_rubric(project=[1, 3], examination=[2]),
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
        "rubric": _graded_rubric(project=[1, 2], examination=[3]),
    },
    # The components and the target of the pathway "Data Science Foundations" (pathways.demo).
    {
        "slug": "statistical-modelling",
        "title": "Statistical Modelling",
        "description": "Builds, checks and interprets regression models of real data.",
        "criteria": "Pass the modelling project and the final examination (grade 6.0 or higher).",
        "outcomes": [
            "Fit linear and logistic regression models to data.",
            "Check a model's assumptions and diagnose its problems.",
            "Report what a model shows, and its uncertainty, to a general audience.",
        ],
        "workload_hours": Decimal("140"),
        "credits": {"ECTS": "5", "HOURS": "140"},
        "eqf_level": 6,
        "tags": ["data", "statistics"],
        "field_of_study": "Statistics",
        "rubric": _graded_rubric(project=[1, 3], examination=[2]),
    },
    {
        "slug": "data-visualisation",
        "title": "Data Visualisation",
        "description": "Designs honest, readable charts and dashboards from data.",
        "criteria": "Pass the dashboard project and the final examination (grade 6.0 or higher).",
        "outcomes": [
            "Choose the chart that answers a question about a data set.",
            "Design dashboards that people with impaired sight can read.",
            "Critique visualisations that mislead.",
        ],
        "workload_hours": Decimal("140"),
        "credits": {"ECTS": "5", "HOURS": "140"},
        "eqf_level": 6,
        "tags": ["data", "visualisation"],
        "field_of_study": "Statistics",
        "rubric": _graded_rubric(project=[1, 2], examination=[3]),
    },
    {
        "slug": "data-science-foundations",
        "title": "Data Science Foundations",
        "description": "The stacked credential of three data science micro-credentials: "
        "programming, modelling and visualisation.",
        "criteria": "Hold Data Analysis with Python, Statistical Modelling and Data "
        "Visualisation (or a recognised equivalent), each verified when requested.",
        "outcomes": [
            "Analyse a data set end to end with Python.",
            "Model data statistically and judge the model's quality.",
            "Communicate findings with sound visualisations.",
        ],
        "workload_hours": Decimal("420"),
        "credits": {"ECTS": "15", "HOURS": "420"},
        "eqf_level": 6,
        "tags": ["data", "stacked"],
        "field_of_study": "Statistics",
        "rubric": _graded_rubric(project=[1, 3], examination=[2]),
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

# A draft the automatic checks send back: its first outcome cannot be assessed as written
# ("understand" is not observable), so it stays a returned draft until its designer fixes it.
RETURNED_DRAFT = {
    "slug": "data-protection-in-schools",
    "title": "Data Protection in Schools",
    "description": "Handles pupils' personal data lawfully in everyday school practice.",
    "criteria": "Submit a data protection audit of your own classroom practice and a reflection.",
    "outcomes": [
        "Understand data protection.",
        "Apply the school's data protection policy to classroom records.",
        "Evaluate a data sharing request against the rules that govern it.",
    ],
    "tags": ["data protection", "school leadership"],
}

# A draft its designer has submitted that passes the automatic checks: it waits in the
# internal review queue for the university's QA reviewer to judge it.
WAITING_DRAFT = {
    "slug": "machine-learning-foundations",
    "title": "Foundations of Machine Learning",
    "description": "Trains, evaluates and explains supervised learning models on real data.",
    "criteria": "Pass the modelling project and the final examination (grade 6.0 or higher).",
    "outcomes": [
        "Train supervised learning models on tabular data with Python.",
        "Evaluate models with cross-validation and appropriate metrics.",
        "Explain the predictions and limitations of a model to a non-specialist audience.",
    ],
    "workload_hours": Decimal("140"),
    "credits": {"ECTS": "5", "HOURS": "140"},
    "eqf_level": 6,
    "tags": ["data", "machine learning"],
    "field_of_study": "Statistics",
    "rubric": _graded_rubric(project=[1, 3], examination=[2]),
}

# What learners hand in and how it is reviewed, by micro-credential: set on the draft, as a
# plan is part of the specification and frozen when the version is published.
ASSESSMENT_PLANS: dict[str, dict[str, Any]] = {
    "assessment-literacy": {
        "components": [
            {
                "key": "goal",
                "kind": "goal",
                "label": "Your learning goal",
                "instructions": "What do you want to change in the way you assess your students?",
            },
            {
                "key": "portfolio",
                "kind": "artefact",
                "label": "Portfolio of assessments",
                "instructions": "Three assessments you designed and used, with samples of "
                "student work.",
            },
            {
                "key": "reflection",
                "kind": "reflection",
                "label": "Reflection",
                "prompts": [
                    "What did the evidence show about your students' learning?",
                    "What will you change in your teaching, and why?",
                ],
            },
        ],
        "peer_reviews": 1,
        "max_attempts": 2,
        "decision_days": 14,
    },
}

# The two learners assessed in the demo: what each wrote and handed in, and how many days
# before now they enrolled and submitted.
ASSESSED_LEARNERS: list[dict[str, Any]] = [
    {
        "username": "eva",
        "name": "Eva Novak",
        "enrolled": 40,
        "submitted": 10,
        "texts": {
            "goal": "Use exit tickets to find out what my Year 8 class has understood before "
            "planning the next lesson.",
            "reflection.1": "The exit tickets showed that half the class confused ratio with "
            "fraction; the unit test confirmed it for the same students.",
            "reflection.2": "I now plan a short re-teaching loop after each exit ticket and "
            "group students by the misconception the evidence shows.",
        },
        "portfolio": (
            "exit-tickets-portfolio.md",
            "# Exit tickets in Year 8 mathematics\n\nThree exit tickets, the unit test and "
            "anonymised samples of student answers, with my analysis of each.\n",
        ),
    },
    {
        "username": "farid",
        "name": "Farid Haddad",
        "enrolled": 30,
        "submitted": 6,
        "texts": {
            "goal": "Write rubrics my students can use to judge their own lab reports.",
            "reflection.1": "Students who used the rubric before handing in scored higher on "
            "method and discussion; the weakest reports did not change.",
            "reflection.2": "I will model the rubric on an example report in class before "
            "students use it on their own.",
        },
        "portfolio": (
            "lab-report-rubrics.md",
            "# Rubrics for lab reports\n\nThe rubric, two versions of the task and six "
            "student reports marked with it.\n",
        ),
    },
]

# How the demo's peer and assessor judge: criterion name to (level name, feedback), and
# their overall feedback.
PEER_REVIEW: dict[str, Any] = {
    "scores": {
        "Evidence from practice": ("Proficient", "Clear examples from your own class."),
        "Reflection": ("Proficient", "You link what you saw to what you will change."),
    },
    "feedback": "I will try your exit tickets with my own class.",
}
ASSESSOR_REVIEW: dict[str, Any] = {
    "scores": {
        "Evidence from practice": (
            "Exemplary",
            "The tickets, the test and the student answers tell one consistent story.",
        ),
        "Reflection": ("Proficient", "A sound plan; say how you will know it worked."),
    },
    "feedback": "A portfolio grounded in your own classroom: passed.",
}

# What the platform admin found out about each issuer before letting it publish.
VETTING = {
    "northfield": {
        "track_record": "Accredited provider of teacher professional learning since 2009; "
        "about 1,200 teachers a year complete its programmes.",
        "subject_expertise": "Pedagogy, classroom assessment and pastoral care.",
        "audience": "Practising primary and secondary teachers.",
    },
    "lakeside": {
        "track_record": "Research university with NVAO institutional accreditation; "
        "ECTS-bearing courses for professionals since 2015.",
        "subject_expertise": "Data science, statistics and research methods.",
        "audience": "Graduates and researchers who need data skills for their work.",
    },
}

# How each issuer describes its own quality assurance on its public quality page.
QA_PROCESS = {
    "northfield": "Every micro-credential is written by a designer with classroom experience and "
    "reviewed by a second colleague against the EU Council Recommendation and our assessment "
    "handbook before it is offered. Assessors are trained each year and moderate a tenth of all "
    "portfolios together; learners' feedback is reviewed every term.",
    "lakeside": "Micro-credentials follow the university's programme approval: the Examination "
    "Board checks outcomes, workload and assessment, and an independent reviewer from another "
    "faculty signs off. Each is reviewed again within two years, with the results of the "
    "learners who took it.",
}

# Checklist notes of the demo reviewers, as a person would write them.
INTERNAL_NOTE = "Checked against the specification and a sample of the assessment materials."
EXTERNAL_NOTE = "Confirmed by the agency's panel from the specification and the rubric."


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
        "meridian": _user("meridian-owner", "Mia Ridley"),
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
        # Its European Digital Credentials name it as its qualified seal will (fictional).
        eidas_identifier="NL/NL/KVK-00000000",
    )
    agency = organisations.create_organisation(
        actor=admin,
        owner=owners["meridian"],
        slug="meridian",
        name="Meridian Quality Agency",
        type="qa_agency",
        country="BE",
        url="https://meridian.example",
        email="reviews@meridian.example",
        description="An independent agency that reviews micro-credentials on request.",
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
            "reviewer": _member(
                owner, organisation, f"{prefix}-reviewer", "Quinn Reviewer", Role.QA_REVIEWER
            ),
        }
        quality.vet_organisation(
            actor=admin,
            organisation=organisation,
            terms_agreed=True,
            now=now - timedelta(days=90),
            **VETTING[prefix],
        )
        quality.update_quality_settings(
            actor=owner, organisation=organisation, qa_process=QA_PROCESS[prefix]
        )
    agency_reviewer = _member(
        owners["meridian"], agency, "meridian-reviewer", "Max Meridian", Role.QA_REVIEWER
    )
    review_date = (now + timedelta(days=730)).date()
    versions = [
        _publish(
            staff["northfield"],
            _draft(institute, staff["northfield"], {**EDUCATOR_COMMON, **spec}, review_date),
            now=now,
        )
        for spec in EDUCATOR_CREDENTIALS
    ]
    versions += [
        _publish(
            staff["lakeside"],
            _draft(university, staff["lakeside"], {**UNIVERSITY_COMMON, **spec}, review_date),
            now=now,
            agency=(agency, agency_reviewer) if index == 0 else None,
        )
        for index, spec in enumerate(UNIVERSITY_CREDENTIALS)
    ]
    returned = quality.submit_version(
        actor=staff["northfield"]["designer"],
        version=_draft(
            institute, staff["northfield"], {**EDUCATOR_COMMON, **RETURNED_DRAFT}, review_date
        ),
        now=now - timedelta(days=2),
    )
    waiting = quality.submit_version(
        actor=staff["lakeside"]["designer"],
        version=_draft(
            university, staff["lakeside"], {**UNIVERSITY_COMMON, **WAITING_DRAFT}, review_date
        ),
        now=now - timedelta(days=1),
    )
    if waiting.status != "internal_review":
        raise RuntimeError(
            f"The demo's waiting draft fails the quality checks: {_blocking(waiting)}"
        )
    yield (
        f"Organisations: {institute.name}, {university.name} (both vetted), {agency.name} "
        f"(a QA agency); {len(versions)} micro-credentials published after QA review, "
        f"one of them reviewed by {agency.name} too."
    )
    yield (
        f"The draft {RETURNED_DRAFT['title']!r} was returned by the automatic checks "
        f"({', '.join(_blocking(returned))}): it cannot be published until it is fixed."
    )
    yield (
        f"The draft {WAITING_DRAFT['title']!r} passed the automatic checks and waits for "
        f"lakeside-reviewer in {university.name}'s quality review queue."
    )
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
        actor=registrar,
        award=issued[1],
        reason="Issued in error: the portfolio was incomplete.",
        now=now,
    )
    awards.suspend_award(
        actor=registrar, award=issued[3], reason="Under review after a plagiarism report.", now=now
    )
    yield f"Awards: {len(issued)} issued, one revoked, one suspended."
    yield from load_wallets_demo(now=now, learner=learners[0])
    yield from _assess(owners["northfield"], institute, staff["northfield"], versions[0], now=now)
    yield from load_pathways_demo(
        now=now, halfway=_user("gina", "Gina Marsh"), completed=_user("hugo", "Hugo Lind")
    )
    yield from load_obapi_demo(learner=_user("hugo", "Hugo Lind"), now=now)
    yield from load_recognition_demo(
        now=now,
        user=_user,
        publish=lambda org, spec: _publish(
            staff[org.slug], _draft(org, staff[org.slug], spec, review_date), now=now
        ),
    )
    yield from load_bulk_demo(now=now)
    yield (
        f"Sign in at /login as northfield-registrar, northfield-designer, lakeside-registrar, "
        f"northfield-reviewer or lakeside-reviewer (QA reviewers), meridian-reviewer (QA agency), "
        f"northfield-assessor (assessor), admin (platform admin), learner aoife, or learners eva "
        f"(assessed and awarded) and farid (awaiting the decision), gina (two-thirds through the "
        f"pathway Data Science Foundations) and hugo (holds its stacked credential); password: "
        f"{DEMO_PASSWORD}"
    )


def _assess(
    owner: User, organisation: Any, team: dict[str, User], version: Any, *, now: datetime
) -> Iterator[str]:
    """Show assessment at work on ``version``: a qualified assessor, two learners who hand in
    their work and give each other peer feedback, and the assessor's decision on the first
    one, which issues their award; the second one waits in the assessor's queue."""
    assessor = _member(owner, organisation, "northfield-assessor", "Alex Assessor", Role.ASSESSOR)
    assessment.qualify_assessor(
        actor=owner,
        organisation=organisation,
        user=assessor.username,
        trained_on=(now - timedelta(days=120)).date(),
        valid_until=(now + timedelta(days=365)).date(),
        notes="Completed the Institute's assessor training and a calibration round.",
        now=now - timedelta(days=120),
    )
    learners = [
        _hand_in(spec, version, registrar=team["registrar"], now=now) for spec in ASSESSED_LEARNERS
    ]
    # Each learner is the other's peer, both asked when the second one submitted.
    for reviewer, days in ((learners[1], 5), (learners[0], 4)):
        (review,) = assessment.get_peer_reviews(reviewer)
        _score(reviewer, review, PEER_REVIEW, now=now - timedelta(days=days))
    awarded = next(
        review
        for review in assessment.get_queue(assessor, organisation)
        if review.submission.enrolment.learner == learners[0]
    )
    # Decided now: the award is checked against the status lists, signed now as well.
    _score(assessor, awarded, ASSESSOR_REVIEW, now=now)
    yield (
        f"Assessment: {version.title} has an assessment plan with peer review; "
        f"{learners[0].username} passed on the assessor's decision and holds the award, "
        f"{learners[1].username}'s submission waits in {assessor.username}'s queue."
    )


def _hand_in(spec: dict[str, Any], version: Any, *, registrar: User, now: datetime) -> User:
    """Enrol a learner, record their institutional login, and hand in their work; return them."""
    learner = _user(spec["username"], spec["name"])
    enrolment = assessment.enrol(
        actor=learner, version=version, now=now - timedelta(days=spec["enrolled"])
    )
    assessment.record_identity_verification(
        actor=registrar, enrolment=enrolment, method="institutional"
    )
    submission = enrolment.submissions.get(attempt=1)
    assessment.save_submission(actor=learner, submission=submission, texts=spec["texts"])
    submitted = now - timedelta(days=spec["submitted"])
    filename, text = spec["portfolio"]
    assessment.add_evidence(
        actor=learner,
        submission=submission,
        component="portfolio",
        file=ContentFile(text.encode(), name=filename),
        description="My assessments with samples of student work.",
        public=True,
        now=submitted,
    )
    assessment.submit_submission(actor=learner, submission=submission, now=submitted)
    return learner


def _score(actor: User, review: Any, judgement: dict[str, Any], *, now: datetime) -> None:
    """Score every rubric criterion of ``review`` at the named level, as its reviewer would."""
    page = assessment.get_review_page(assessment.access_review(actor, review.uuid))
    scores = {}
    for criterion in page.criteria:
        level_name, feedback = judgement["scores"][criterion.name]
        level = next(level for level in criterion.levels.all() if level.name == level_name)
        scores[criterion.pk] = {"level": level.pk, "feedback": feedback}
    assessment.score_review(
        actor=actor, review=review, scores=scores, feedback=judgement["feedback"], now=now
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
        mark_email_verified(user)
    return user


def _member(owner: User, organisation: Any, username: str, name: str, role: str) -> User:
    user = _user(username, name)
    organisations.add_member(actor=owner, organisation=organisation, user=username, roles=[role])
    return user


def _draft(
    organisation: Any, team: dict[str, User], spec: dict[str, Any], review_date: date
) -> Any:
    """Create a draft as the team's designer would, with its assessment plan if it has one."""
    fields = {**spec, "review_date": review_date}
    title = fields.pop("title")
    slug = fields.pop("slug")
    draft = catalogue.create_microcredential(
        actor=team["designer"], organisation=organisation, title=title, slug=slug, **fields
    )
    if slug in ASSESSMENT_PLANS:
        assessment.save_plan(actor=team["designer"], version=draft, **ASSESSMENT_PLANS[slug])
    return draft


def _publish(
    team: dict[str, User],
    draft: Any,
    *,
    now: datetime,
    agency: tuple[Any, User] | None = None,
) -> Any:
    """Take a draft through quality assurance, as its designer and another person would,
    and publish it: submitted, reviewed with the checklist walked, approved, published."""
    review = quality.submit_version(
        actor=team["designer"], version=draft, now=now - timedelta(days=60)
    )
    if review.status != "internal_review":
        raise RuntimeError(
            f"The demo's {draft.title!r} fails the quality checks: {_blocking(review)}"
        )
    if agency is not None:
        review = quality.invite_external_review(
            actor=team["reviewer"],
            review=review,
            agency=agency[0].slug,
            now=now - timedelta(days=59),
        )
    review = quality.decide_review(
        actor=team["reviewer"],
        review=review,
        decision="approve",
        checklist=_walked(review, INTERNAL_NOTE),
        now=now - timedelta(days=58),
    )
    if agency is not None:
        quality.decide_review(
            actor=agency[1],
            review=review,
            decision="approve",
            checklist=_walked(review, EXTERNAL_NOTE),
            now=now - timedelta(days=55),
        )
    return catalogue.publish_version(
        actor=team["designer"], version=draft, now=now - timedelta(days=50)
    )


def _walked(review: Any, note: str) -> dict[str, dict[str, Any]]:
    """Return the review's checklist with every item met, as the demo's reviewers found it."""
    return {
        item_id: {"met": True, "note": note}
        for item_id, _ in quality.get_checklist(review.profiles)
    }


def _blocking(review: Any) -> list[str]:
    """Return the ids of the rules whose blocking findings sent the review back."""
    return sorted({f["rule_id"] for f in review.findings if f["severity"] == "error"})
