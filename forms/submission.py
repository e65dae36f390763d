"""Creating an application from what the citizen entered: one function for the wizard, the
demo loader and the benchmark."""

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


def create_application(submission, *, when=None, is_demo=False):
    """Create the application, its files and its 'submitted' event, in one transaction."""
    guide = submission.guide
    moment = when or timezone.now()
    township = guide.township
    item = guide.item
    applicant = submission.applicant
    options = submission.options
    for _attempt in range(3):
        try:
            with transaction.atomic():
                application = Application.objects.create(
                    tracking_number=_unique_tracking_number(),
                    case_number=next_case_number(item, timezone.localtime(moment).date()),
                    township=township,
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
                    submitted_at=moment,
                    is_demo=is_demo,
                )
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
                actor_name = options.agent.name if options.agent else applicant.name
                actions.record(
                    application,
                    EventAction.SUBMITTED,
                    actor=options.agent.user if options.agent else None,
                    actor_name=actor_name,
                    when=moment,
                )
                return application
        except IntegrityError:  # a tracking number drawn twice at the same instant: draw again
            continue
    raise RuntimeError("could not create the application")  # pragma: no cover
