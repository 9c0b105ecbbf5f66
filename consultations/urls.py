"""URLs of the consultations app (namespace `consultations`). Each part keeps its routes in its own
module and is appended here."""

from . import urls_workflow

app_name = "consultations"

urlpatterns = []
urlpatterns += urls_workflow.urlpatterns  # issue 5: workflow, approval, publication, library, decisions
