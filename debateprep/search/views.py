from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from debateprep.lib.htmx import HtmxHttpRequest
from debateprep.search.forms import SearchForm
from debateprep.search.results import Results


@require_GET
def search(request: HtmxHttpRequest) -> HttpResponse:
    """Debates, letters and guiding questions the person may read, and the answers of the
    statements they may open, that hold the words asked for; as they type, the results alone."""
    form = SearchForm(request.GET if "q" in request.GET else None)
    results = Results.of(request.user, form.cleaned_data["q"]) if form.is_valid() else None
    template = "search/search.html#results" if request.htmx else "search/search.html"
    return render(request, template, {"form": form, "results": results})
