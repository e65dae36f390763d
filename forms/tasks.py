"""Background work (django-tasks): notifications, draft clean-up."""

from django_tasks import task


@task()
def notify_applicant(event_id):
    from .models import ApplicationEvent
    from .notify import notify

    event = ApplicationEvent.objects.select_related("application").filter(pk=event_id).first()
    if event is None:
        return 0
    return len(notify(event))


@task()
def purge_abandoned_drafts():
    from .drafts import purge_abandoned

    return purge_abandoned()
