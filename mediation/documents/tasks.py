"""Background work: rendering documents off the request path (django.tasks).

The immediate backend (default) runs it when the request's transaction commits; in
production ANXIN_TASKS_BACKEND=django_tasks_db.DatabaseBackend and `manage.py db_worker`.
"""

from django.tasks import task


@task()
def render_document(document_id: int) -> None:
    from mediation.documents.services import document_render

    document_render(document_id)
