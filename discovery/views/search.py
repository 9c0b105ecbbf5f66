"""The search page: one GET form, ranked results with highlighted snippets, filters, pagination."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from ..forms.search import SearchForm
from ..selectors.search import SearchPaginator, entry_search, hits

RESULTS_PER_PAGE = 20


@require_GET
def search(request):
    form = SearchForm(request.GET)
    page, results, params = None, [], None
    if form.is_valid():
        params = form.params()
        if params.q.strip():
            page = SearchPaginator(entry_search(user=request.user, params=params), RESULTS_PER_PAGE).get_page(
                request.GET.get("page")
            )
            results = hits(page.object_list, q=params.q)
    return render(
        request,
        "discovery/search/search_results.html",
        {
            "form": form,
            "page": page,
            "results": results,
            "search_q": params.q if params else request.GET.get("q", "")[:200],
        },
    )
