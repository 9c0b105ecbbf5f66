"""The glossary page."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.vary import vary_on_headers

from .. import selectors


@vary_on_headers("HX-Request")
def glossary(request):
    q = request.GET.get("q", "").strip()[:100]
    page = Paginator(selectors.glossary_search(q), 50).get_page(request.GET.get("page"))
    template = "workstreams/glossary/glossary_list.html"
    if request.htmx:
        template += "#results"
    return render(request, template, {"page": page, "q": q})
