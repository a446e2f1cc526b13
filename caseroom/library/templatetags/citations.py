"""`{% load citations %}{% cite "coop-guidelines#4.2" %}`: a link to a library section in
the reader's language, saying when it is shown in another; an unknown reference is shown as
written, marked, never an error (the page that cites should not break with the library).

Each tag resolves its reference on its own (two queries): a page citing many sections
resolves them at once with `citations.resolve_many` in its builder instead.
"""

from __future__ import annotations

from django import template
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from caseroom.library import vocab
from caseroom.library.citations import Citation, cite

register = template.Library()


def render_citation(ref: str, citation: Citation | None) -> SafeString:
    if citation is None:
        return format_html('<span class="cite cite-unknown">{}</span>', ref)
    if citation.fell_back:
        return format_html(
            '<a class="cite" href="{}" lang="{}">{}</a> <small class="cite-fallback">({})</small>',
            citation.url,
            citation.language_shown,
            citation.label,
            _("in %(language)s") % {"language": vocab.language_label(citation.language_shown)},
        )
    return format_html(
        '<a class="cite" href="{}" lang="{}">{}</a>',
        citation.url,
        citation.language_shown,
        citation.label,
    )


@register.simple_tag
def cite_link(ref: str) -> SafeString:
    return render_citation(ref, cite(ref, translation.get_language() or vocab.FALLBACK_LANGUAGE))


register.simple_tag(cite_link, name="cite")
