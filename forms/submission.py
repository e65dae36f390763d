"""Creating an application from what the citizen entered: ``create_application`` for the
wizard, the demo loader and the benchmark; ``application_from`` and ``submitted_by`` map the
entries to the application and its first event, also for the demo's ``BatchExecutor``."""

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone

from . import actions
from .identifiers import new_tracking_number, next_case_number
from .models import Application, ApplicationFile, ApplicationStatus, EventAction


@dataclass
class Applicant:
    name: str
    id_number: str
    mobile: str
    address: str
    village: object = None  # VillageStationPage or None
    email: str = ""


@dataclass
class Options:
    delivery: str = "window"
    postal_address: str = ""
    appointment_date: object = None
    appointment_period: str = ""
    home_visit: bool = False
    home_visit_reason: str = ""
    agent: object = None  # VillageAgent or None


@dataclass
class StoredFile:
    """A material already cleaned and saved in private storage."""

    material_name: str
    stored_name: str
    original_name: str
    content_type: str
    size: int
    sha256: str
    material: object = None  # GuideMaterial or None


@dataclass
class Submission:
    guide: object
    applicant: Applicant
    answers: list = field(default_factory=list)  # [{"question": label, "answer": text}]
    options: Options = field(default_factory=Options)
    files: list = field(default_factory=list)  # [StoredFile]


def _unique_tracking_number():
    for _attempt in range(10):
        number = new_tracking_number()
        if not Application.objects.filter(tracking_number=number).exists():
            return number
    raise RuntimeError("could not draw an unused tracking number")  # pragma: no cover


def application_from(submission, *, tracking_number, case_number, when, is_demo=False):
    """The unsaved, submitted application for ``submission``: the one place that maps what
    the citizen entered to the application's fields (``create_application`` and the demo's
    ``BatchExecutor`` both build it here)."""
    guide = submission.guide
    item = guide.item
    applicant = submission.applicant
    options = submission.options
    return Application(
        tracking_number=tracking_number,
        case_number=case_number,
        township=guide.township,
        guide=guide,
        item=item,
        item_name=item.name if item else guide.title,
        handling_class=guide.handling_class,
        applicant_name=applicant.name,
        id_number=applicant.id_number,
        mobile=applicant.mobile,
        email=applicant.email,
        village=applicant.village,
        address=applicant.address,
        answers=submission.answers,
        delivery=options.delivery,
        postal_address=options.postal_address,
        appointment_date=options.appointment_date,
        appointment_period=options.appointment_period,
        home_visit=options.home_visit,
        home_visit_reason=options.home_visit_reason,
        agent=options.agent,
        status=ApplicationStatus.SUBMITTED,
        submitted_at=when,
        is_demo=is_demo,
    )


def submitted_by(submission):
    """Who the 'submitted' event names: the village agent who entered it, or the applicant."""
    agent = submission.options.agent
    return {
        "actor": agent.user if agent else None,
        "actor_name": agent.name if agent else submission.applicant.name,
    }


def create_application(submission, *, when=None, is_demo=False):
    """Create the application, its files and its 'submitted' event, in one transaction."""
    moment = when or timezone.now()
    item = submission.guide.item
    for _attempt in range(3):
        try:
            with transaction.atomic():
                application = application_from(
                    submission,
                    tracking_number=_unique_tracking_number(),
                    case_number=next_case_number(item, timezone.localtime(moment).date()),
                    when=moment,
                    is_demo=is_demo,
                )
                application.save(force_insert=True)
                ApplicationFile.objects.bulk_create(
                    ApplicationFile(
                        application=application,
                        material=f.material,
                        material_name=f.material_name,
                        stored_name=f.stored_name,
                        original_name=f.original_name,
                        content_type=f.content_type,
                        size=f.size,
                        sha256=f.sha256,
                    )
                    for f in submission.files
                )
                actions.record(
                    application, EventAction.SUBMITTED, when=moment, **submitted_by(submission)
                )
                return application
        except IntegrityError:  # a tracking number drawn twice at the same instant: draw again
            continue
    raise RuntimeError("could not create the application")  # pragma: no cover
