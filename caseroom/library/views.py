"""The library's pages: list and search, a document, a section, a file, a pack; and the staff
pages that add documents and their language versions. Thin: form → access → action or
builder → render."""

from __future__ import annotations

import dataclasses

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from caseroom.lib.pdf import ReportUnavailable, html_to_pdf

from . import access, actions, reader, store, vocab
from .access import Can
from .extract import CONTENT_TYPES, UploadRefused, extract
from .forms import DocumentForm, SearchForm, VersionForm
from .models import DocumentVersion
from .search import search

__all__ = [
    "create",
    "document",
    "download",
    "edit",
    "index",
    "pack",
    "publish",
    "section",
    "version",
]


def _asked(request: HttpRequest) -> str:
    """The language the reader asked for: ?lang= when it is one of the library's, else the
    interface's."""
    asked = request.GET.get("lang", "")
    if asked in dict(vocab.LANGUAGES):
        return asked
    return vocab.library_language(translation.get_language())


@access.public
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    results = None
    if form.is_valid():
        filters = form.filters(include_drafts=access.reads_drafts(request.user))
        query = form.cleaned_data["q"]
        results = search(query, filters, _asked(request), form.cleaned_data["page"] or 1)
    context = {
        "form": form,
        "results": results,
        "editor": access.library_editor(request.user),
        "audiences": vocab.AUDIENCES,
    }
    return render(request, "library/index.html", context, status=200 if results else 400)


@access.public
@require_GET
def document(request: HttpRequest, slug: str) -> HttpResponse:
    found = access.document_for(request, slug)
    page = reader.document_page(found, _asked(request))
    context = {"page": page, "editor": access.library_editor(request.user)}
    return render(request, "library/document.html", context)


@access.public
@require_GET
def section(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    found = access.document_for(request, slug)
    page = reader.document_page(found, _asked(request), sections=False)
    rows = reader.sections_of(found, page.asked, under=key)
    if not rows:
        raise Http404
    return render(request, "library/section.html", {"page": page, "rows": rows, "key": key})


@access.public
@require_GET
def download(request: HttpRequest, slug: str, language: str) -> FileResponse:
    """The uploaded file, always as an attachment with the type its content was checked
    to be: never shown inline, so nothing in it runs in this site's origin."""
    found = access.document_for(request, slug)
    version = (
        DocumentVersion.objects.filter(document=found, language=language)
        .only("file_name", "file_type")
        .first()
    )
    if version is None or not version.file_type:
        raise Http404
    try:
        path = store.path_of(version.file_name)
        handle = path.open("rb")
    except (ValueError, OSError):
        raise Http404 from None
    extension = "md" if version.file_type == "md" else version.file_type
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"{found.slug}-{language}.{extension}",
        content_type=CONTENT_TYPES[version.file_type],
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@access.public
@require_GET
def pack(request: HttpRequest, audience: str) -> HttpResponse:
    """The printable reference pack of one audience (PDF)."""
    if audience not in {term.code for term in vocab.AUDIENCES}:
        raise Http404
    built = reader.pack(audience, _asked(request))
    html = render_to_string("library/pack.html", {"pack": built}, request=request)
    try:
        pdf = html_to_pdf(html, identifier=f"library-pack-{audience}-{built.language}".encode())
    except ReportUnavailable as missing:
        return render(request, "library/unavailable.html", {"why": str(missing)}, status=503)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"reference-pack-{audience}-{built.language}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# ---------------------------------------------------------------- staff pages


@access.needs(Can.EDIT)
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    access.require_editor(request)
    form = DocumentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = actions.save_document(form.cleaned_data["slug"], _fields(form), replace=False)
        except actions.Refused as refused:
            form.add_error("slug", refused.message)
        else:
            messages.success(request, _("The document is created: now add its first language."))
            return redirect("library:version", slug=created.slug)
    status = 400 if form.errors else 200
    return render(request, "library/edit.html", {"form": form, "document": None}, status=status)


def _fields(form: DocumentForm) -> actions.DocumentFields:
    data = form.cleaned_data
    return actions.DocumentFields(
        kind=data["kind"],
        country=data["country"],
        audiences=form.audience_bits(),
        topics=form.topic_bits(),
        source=data["source"],
        issued_on=data["issued_on"],
        published=data["published"],
    )


@access.needs(Can.EDIT)
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, slug: str) -> HttpResponse:
    found = access.document_for(request, slug, Can.EDIT)
    initial = {
        "slug": found.slug,
        "kind": found.kind,
        "country": found.country,
        "audiences": vocab.codes(vocab.AUDIENCES, found.audiences),
        "topics": vocab.codes(vocab.TOPICS, found.topics),
        "source": found.source,
        "issued_on": found.issued_on,
        "published": found.published,
    }
    data = request.POST.copy() if request.method == "POST" else None
    if data is not None:
        data["slug"] = found.slug  # the short name is cited: it never changes
    form = DocumentForm(data, initial=initial)
    if data is not None and form.is_valid():
        fields = dataclasses.replace(_fields(form), structured=found.structured)
        actions.save_document(found.slug, fields, create=False)
        messages.success(request, _("Saved."))
        return redirect("library:document", slug=found.slug)
    context = {"form": form, "document": found}
    return render(request, "library/edit.html", context, status=400 if form.errors else 200)


@access.needs(Can.EDIT)
@require_http_methods(["GET", "POST"])
def version(request: HttpRequest, slug: str) -> HttpResponse:
    """Add or replace the document in one language, with its file."""
    found = access.document_for(request, slug, Can.EDIT)
    form = VersionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = None
        if data["file"] is not None:
            content = data["file"].read()
            try:
                upload = (content, extract(content))
            except UploadRefused as refused:
                form.add_error("file", refused.message)
        if not form.errors:
            saved = actions.save_version(
                found,
                data["language"],
                title=data["title"],
                short_title=data["short_title"],
                summary=data["summary"],
                upload=upload,
            )
            if saved.extraction_note:
                messages.warning(request, _("Stored; %(note)s.") % {"note": saved.extraction_note})
            else:
                messages.success(request, _("Stored."))
            url = reverse("library:document", args=[found.slug])
            return redirect(f"{url}?lang={saved.language}")
    context = {"form": form, "document": found}
    return render(request, "library/version.html", context, status=400 if form.errors else 200)


@access.needs(Can.EDIT)
@require_POST
def publish(request: HttpRequest, slug: str) -> HttpResponse:
    found = access.document_for(request, slug, Can.EDIT)
    published = request.POST.get("published") == "1"
    actions.set_published(found, published)
    messages.success(request, _("Published.") if published else _("Withdrawn to draft."))
    return redirect("library:document", slug=found.slug)
