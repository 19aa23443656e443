"""The public trust page (HTML and Markdown) and the private list of withheld claims.

The HTML page is one self-contained file: inline styles, no script, no fonts or images fetched, so
it can be published anywhere and archived as it is. It has the landmarks a screen reader expects
(header, nav, main, footer), headings in order (h1, then h2 per section, h3 inside compliance), a
skip link, a visible focus ring, text colours above 7:1 contrast, and a layout without fixed widths
that reads on a 320 px phone. Every value is escaped: claims come from control files anyone may edit.
"""

from __future__ import annotations

import html
from datetime import datetime

from assay._version import __version__
from assay.render.markdown import _cell
from assay.trust import FrameworkStatement, TrustPage, TrustSection

_CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { margin: 0; color: #1a1a1a; background: #fff;
  font: 1rem/1.6 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
.wrap { max-width: 56rem; margin: 0 auto; padding: 0 1rem; }
.skip { position: absolute; left: -100vw; top: 0; background: #fff; color: #0b3d91; padding: 0.5rem; }
.skip:focus { left: 0.5rem; }
header { background: #10243e; color: #fff; padding: 1.5rem 0 1rem; }
header h1 { margin: 0 0 0.25rem; font-size: 1.9rem; line-height: 1.2; overflow-wrap: anywhere; }
header p { margin: 0.25rem 0; }
nav { border-bottom: 1px solid #767676; background: #f4f6f8; }
nav h2 { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0);
  white-space: nowrap; }
nav ul { display: flex; flex-wrap: wrap; gap: 0.25rem 1.25rem; list-style: none; margin: 0;
  padding: 0.6rem 0; }
a { color: #0b3d91; }
header a { color: #fff; }
a:focus-visible, .skip:focus { outline: 3px solid #b34700; outline-offset: 2px; }
main section { padding: 1.25rem 0 0.5rem; border-bottom: 1px solid #d0d0d0; }
main h2 { font-size: 1.4rem; margin: 0 0 0.5rem; }
main h3 { font-size: 1.1rem; margin: 1rem 0 0.4rem; }
ul.claims { list-style: none; margin: 0; padding: 0; }
ul.claims li { margin: 0 0 0.75rem; padding-left: 1.4rem; position: relative; overflow-wrap: anywhere; }
ul.facts { margin: 0; padding-left: 1.4rem; }
ul.facts li { margin: 0 0 0.4rem; overflow-wrap: anywhere; }
ul.claims li::before { content: "\\2713"; position: absolute; left: 0; color: #0b5d1e; font-weight: 700; }
.when { display: block; color: #454545; font-size: 0.875rem; }
footer { padding: 1.5rem 0 2.5rem; color: #333; font-size: 0.9rem; }
footer p { overflow-wrap: anywhere; }
@media (max-width: 30rem) { header h1 { font-size: 1.5rem; } }
@media print { nav, .skip { display: none; } header { background: none; color: #000; }
  header a { color: #000; } }
"""


_MET_RULE = "A requirement counts as met when every control behind it passes."


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _day(moment: datetime) -> str:
    return moment.date().isoformat()


def _share(statement: FrameworkStatement) -> str:
    share = statement.share
    percent = "n/a" if share is None else f"{share * 100:.0f}%"
    return f"{statement.met} of {statement.in_scope} requirements in scope met ({percent})"


def render_html(page: TrustPage) -> str:
    sections = page.visible_sections()
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="assay {_e(__version__)}">',
        f"<title>{_e(page.title)}</title>",
    ]
    if page.canonical_url:
        out.append(f'<link rel="canonical" href="{_e(page.canonical_url)}">')
    out += [
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        '<a class="skip" href="#main">Skip to content</a>',
        "<header>",
        '<div class="wrap">',
        f"<h1>{_e(page.title)}</h1>",
    ]
    if page.introduction:
        out.append(f"<p>{_e(page.introduction)}</p>")
    out += [
        f"<p>Every statement on this page is backed by a check that passed on "
        f'<time datetime="{_e(_day(page.generated_at))}">{_e(_day(page.generated_at))}</time>, '
        "against evidence collected on the date shown beside it.</p>",
        "</div>",
        "</header>",
        '<nav aria-labelledby="nav-title">',
        '<div class="wrap">',
        '<h2 id="nav-title">Sections</h2>',
        "<ul>",
    ]
    out += [f'<li><a href="#{_e(s.key)}">{_e(s.title)}</a></li>' for s in sections]
    out += ["</ul>", "</div>", "</nav>", '<main id="main" tabindex="-1">', '<div class="wrap">']
    for section in sections:
        out += _html_section(page, section)
    out += ["</div>", "</main>", "<footer>", '<div class="wrap">']
    if page.contact:
        out.append(
            f"<p>Security contact: {_html_contact(page.contact)}. "
            'Researchers: see <a href="/.well-known/security.txt">security.txt</a>.</p>'
        )
    out += [
        f"<p>Generated by assay {_e(__version__)} from {_e(page.company)}'s control results. "
        "Claims that current evidence does not prove are left out.</p>",
        "</div>",
        "</footer>",
        "</body>",
        "</html>",
    ]
    return "\n".join(out) + "\n"


def _html_contact(contact: str) -> str:
    if contact.startswith(("mailto:", "https://", "tel:")):
        label = contact.removeprefix("mailto:").removeprefix("tel:")
        return f'<a href="{_e(contact)}">{_e(label)}</a>'
    if "@" in contact and " " not in contact:
        return f'<a href="mailto:{_e(contact)}">{_e(contact)}</a>'
    return _e(contact)


def _html_claims(section: TrustSection) -> list[str]:
    out = ['<ul class="claims">']
    for claim in section.claims:
        day = _day(claim.collected_at)
        out.append(
            f"<li>{_e(claim.claim)}"
            f'<span class="when">Evidence collected <time datetime="{day}">{day}</time> '
            f"(control {_e(claim.control)})</span></li>"
        )
    out.append("</ul>")
    return out


def _html_section(page: TrustPage, section: TrustSection) -> list[str]:
    out = [f'<section id="{_e(section.key)}" aria-labelledby="{_e(section.key)}-title">']
    out.append(f'<h2 id="{_e(section.key)}-title">{_e(section.title)}</h2>')
    if section.key != "compliance":
        return [*out, *_html_claims(section), "</section>"]
    if page.attestations:
        out += ["<h3>Reports and certificates</h3>", '<ul class="claims">']
        for statement in page.attestations:
            day = _day(statement.collected_at)
            out.append(
                f"<li>{_e(statement.statement)}"
                f'<span class="when">Attestation recorded <time datetime="{day}">{day}</time> '
                f"(control {_e(', '.join(statement.controls))})</span></li>"
            )
        out.append("</ul>")
    if page.frameworks:
        out += ["<h3>Frameworks</h3>", '<ul class="facts">']
        out += [f"<li>{_e(f.name)} ({_e(f.version)}): {_e(_share(f))}</li>" for f in page.frameworks]
        out += ["</ul>", f"<p>{_MET_RULE}</p>"]
    if section.claims:
        out += ["<h3>Commitments</h3>", *_html_claims(section)]
    out.append("</section>")
    return out


def render_markdown(page: TrustPage) -> str:
    day = _day(page.generated_at)
    lines = [f"# {_cell(page.title)}", ""]
    if page.introduction:
        lines += [_cell(page.introduction), ""]
    lines.append(
        f"Every statement on this page is backed by a check that passed on {day}, "
        "against evidence collected on the date shown beside it."
    )
    for section in page.visible_sections():
        lines += ["", f"## {_cell(section.title)}", ""]
        if section.key != "compliance":
            lines += _md_claims(section)
            continue
        if page.attestations:
            lines += ["### Reports and certificates", ""]
            lines += [
                f"- {_cell(s.statement)} _(attestation recorded {_day(s.collected_at)}; "
                f"control {_cell(', '.join(s.controls))})_"
                for s in page.attestations
            ]
            lines.append("")
        if page.frameworks:
            lines += ["### Frameworks", ""]
            lines += [f"- {_cell(f.name)} ({_cell(f.version)}): {_share(f)}" for f in page.frameworks]
            lines += ["", _MET_RULE, ""]
        if section.claims:
            lines += ["### Commitments", "", *_md_claims(section)]
        while lines and lines[-1] == "":
            lines.pop()
    lines += ["", "---", ""]
    if page.contact:
        lines += [
            f"Security contact: {_cell(page.contact.removeprefix('mailto:'))}. "
            "Researchers: see `.well-known/security.txt`.",
            "",
        ]
    lines.append(
        f"Generated by assay {__version__} from {_cell(page.company)}'s control results. "
        "Claims that current evidence does not prove are left out."
    )
    return "\n".join(lines) + "\n"


def _md_claims(section: TrustSection) -> list[str]:
    return [
        f"- {_cell(c.claim)} _(evidence collected {_day(c.collected_at)}; control {_cell(c.control)})_"
        for c in section.claims
    ]


def render_withheld(page: TrustPage) -> str:
    """The private list: what the page does not say, and why. Not for publication."""
    lines = [
        f"# Withheld from the trust page: {_cell(page.company)}",
        "",
        f"**Private: do not publish.** Generated {page.generated_at.isoformat(timespec='seconds')}. "
        f"{len(page.withheld)} claim(s) are not on the public page because the evidence of this run "
        "does not prove them. Fix the reason and the claim appears on the next run.",
    ]
    if not page.withheld:
        lines += ["", "Nothing is withheld: every control passed."]
    for item in page.withheld:
        lines += [
            "",
            f"## {_cell(item.item)}: {_cell(item.status)}",
            "",
            f"- Claim: {_cell(item.claim)}",
            f"- Section: {_cell(item.section)}",
            f"- Reason: {_cell(item.reason)}",
        ]
    return "\n".join(lines) + "\n"
