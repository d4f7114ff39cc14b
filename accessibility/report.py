"""What the audit found (axe, the language of parts, the Nu HTML checker): counts, the failure message, and a
readable Markdown summary."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from accessibility.audit import Audited
from accessibility.axe import BEST_PRACTICES, TAGS
from accessibility.nu import NuError
from accessibility.pages import ROLES, VALUES, states


@dataclass
class Report:
    languages: list[str]
    skipped: dict[str, str]
    """Route -> why it is not audited."""
    audited: list[Audited] = field(default_factory=list)
    seconds: float = 0.0
    nu_version: str = ""
    """The Nu HTML checker's version, once it has read the pages ("" before)."""
    nu_seconds: float = 0.0
    sampling: str = ""
    """How routes were shared out among the languages ("": every state in every language)."""

    def add(self, page: Audited) -> None:
        self.audited.append(page)

    @property
    def results(self):
        return [a.result for a in self.audited if a.result is not None]

    @property
    def problems(self) -> list[Audited]:
        return [a for a in self.audited if a.problem]

    def violations_by_rule(self) -> dict[str, tuple[int, int]]:
        """Rule -> (pages × languages where it fails, elements that fail it)."""
        pages, nodes = Counter(), Counter()
        for result in self.results:
            for violation in result.violations:
                pages[violation.rule] += 1
                nodes[violation.rule] += len(violation.nodes)
        return {rule: (pages[rule], nodes[rule]) for rule in sorted(pages, key=lambda r: -pages[r])}

    def incomplete_by_rule(self) -> Counter:
        return Counter(rule for result in self.results for rule in result.incomplete)

    @property
    def wrong_languages(self) -> list[Audited]:
        return [a for a in self.audited if a.wrong_lang]

    @property
    def nu_invalid(self) -> list[Audited]:
        """Pages where the Nu HTML checker found errors."""
        return [a for a in self.audited if a.nu]

    @property
    def csp_blocked(self) -> list[Audited]:
        return [a for a in self.audited if a.csp]

    def failed(self) -> bool:
        return bool(self.problems or self.violations_by_rule() or self.wrong_languages or self.csp_blocked
                    or self.nu_invalid)

    def failures(self, examples: int = 5) -> list[str]:
        """One entry per rule and page state: the elements, a page's URL and the languages where it fails."""
        grouped: dict[tuple, list[Audited]] = defaultdict(list)
        for page in self.audited:
            if page.problem:
                grouped[("", page.route, page.state.name)].append(page)
            for violation in page.result.violations if page.result else ():
                grouped[(violation.rule, page.route, page.state.name)].append(page)
        lines = [f"Content Security Policy blocked something on {page.url}:\n    " + "\n    ".join(page.csp[:examples])
                 for page in self.csp_blocked[:20]]
        lines += [f"Vietnamese read with another language's voice (WCAG 3.1.2): {page.url}\n    "
                 + "\n    ".join(page.wrong_lang[:examples]) for page in self.wrong_languages[:20]]
        for (rule, route, state), pages in grouped.items():
            first = pages[0]
            where = (f"    page: {first.url} (state “{state}” of {route}, as {first.state.role})\n"
                     f"    languages: {', '.join(p.lang for p in pages)}")
            if not rule:
                lines.append(f"not the page meant: {first.problem}\n{where}")
                continue
            nodes = {n.target: n for p in pages for v in p.result.violations if v.rule == rule for n in v.nodes}
            violation = next(v for v in first.result.violations if v.rule == rule)
            shown = [f"    element: {target}   {node.html[:140]}" for target, node in list(nodes.items())[:examples]]
            more = f"\n    ... and {len(nodes) - examples} more elements" if len(nodes) > examples else ""
            summary = violation.nodes[0].summary.replace("\n", " ")
            lines.append(f"[{violation.impact}] {rule}: {violation.help}\n" + "\n".join(shown) + more
                         + f"\n{where}\n    {summary}")
        return lines + self.nu_failures()

    def nu_failures(self) -> list[str]:
        """One entry per Nu HTML checker message and page state: where in the HTML, a page's URL, the languages."""
        grouped: dict[tuple, list[tuple[Audited, NuError]]] = defaultdict(list)
        for page in self.nu_invalid:
            for error in dict.fromkeys(page.nu):  # the same error twice on one page counts once here
                grouped[(error.message, page.route, page.state.name)].append((page, error))
        lines = []
        for (message, route, state), found in grouped.items():
            first, error = found[0]
            languages = ", ".join(dict.fromkeys(page.lang for page, _ in found))
            lines.append(f"[Nu HTML checker] {message}\n    line {error.line}: {' '.join(error.extract.split())}\n"
                         f"    page: {first.url} (state “{state}” of {route}, as {first.state.role})\n"
                         f"    languages: {languages}")
        return lines

    def counts(self) -> str:
        states = {(a.route, a.state.name) for a in self.audited}
        passed = [rule for result in self.results for rule in result.passes]
        violated = self.violations_by_rule()
        lines = [
            f"axe-core {self.results[0].version if self.results else '?'} ({', '.join((*TAGS, *BEST_PRACTICES))}): "
            f"{len(states)} page states in {len(self.languages)} languages: {len(self.audited)} pages audited "
            f"in {self.seconds:.0f} s, {len({a.route for a in self.audited})} routes",
            f"languages: {self.sampling or 'every state in each'}",
            f"rules passed: {len(passed)} rule checks, "
            f"{len(set(passed) - set(violated))} distinct rules never violated",
            "violations by rule: " + (", ".join(f"{rule} on {p} pages ({n} elements)"
                                               for rule, (p, n) in violated.items()) or "none"),
            f"to review by hand (axe 'incomplete'): {sum(self.incomplete_by_rule().values())} "
            f"({', '.join(f'{r} {n}' for r, n in self.incomplete_by_rule().most_common())})",
        ]
        lines.append(f"Content Security Policy: {sum(len(a.csp) for a in self.audited)} blocked loads or scripts "
                     f"on {len(self.csp_blocked)} pages")
        lines.append(f"Vietnamese text inheriting another language's lang (WCAG 3.1.2): "
                     f"{sum(len(a.wrong_lang) for a in self.audited)} texts on {len(self.wrong_languages)} pages")
        if self.nu_version:
            checked = [a for a in self.audited if a.nu is not None]
            messages = Counter(e.message for a in checked for e in a.nu)
            lines.append(f"Nu HTML checker {self.nu_version} (the HTML the server sent): {len(checked)} pages "
                         f"checked in {self.nu_seconds:.0f} s, {sum(messages.values())} errors on "
                         f"{len(self.nu_invalid)} pages ({len(messages)} distinct messages)")
        if self.problems:
            lines.append(f"pages that were not the page meant: {len(self.problems)}")
        reasons: dict[str, list[str]] = defaultdict(list)
        for route, why in self.skipped.items():
            reasons[why].append(route)
        lines.append(f"routes skipped: {len(self.skipped)}")
        lines += [f"  {', '.join(routes) if len(routes) < 3 else f'{routes[0]} and {len(routes) - 1} more'}: {why}"
                  for why, routes in reasons.items()]
        return "\n".join(lines)

    def markdown(self) -> str:
        out = ["# Accessibility audit", "", "```", self.counts(), "```", ""]
        out += ["## Violations", ""]
        out += [f"```\n{entry}\n```" for entry in self.failures()] or ["None."]
        out += ["", "## To review by hand", "", "axe could not decide these (for example text over a background "
                "image); they do not fail the audit.", ""]
        where: dict[str, Counter] = defaultdict(Counter)
        for page in self.audited:
            for rule in page.result.incomplete if page.result else ():
                where[rule][f"{page.route} ({page.state.name})"] += 1
        out += [f"- `{rule}` on {n} pages: " + "; ".join(f"{state} ×{k}" for state, k in where[rule].most_common())
                for rule, n in self.incomplete_by_rule().most_common()] or ["Nothing."]
        out += ["", "## Pages audited", "",
                f"Languages: {', '.join(self.languages)}; {self.sampling or 'every state in each'}.",
                "", "| route | state | as | languages that fail |", "|---|---|---|---|"]
        by_state: dict[tuple, list[Audited]] = defaultdict(list)
        order = {(route, state.name): n for n, (route, state) in enumerate(states())}
        for page in sorted(self.audited, key=lambda p: order.get((p.route, p.state.name), len(order))):
            by_state[(page.route, page.state.name, page.state.role)].append(page)
        for (route, state, role), pages in by_state.items():
            bad = [p.lang for p in pages if p.problem or (p.result and p.result.violations) or p.nu]
            out.append(f"| `{route}` | {state} | {role} | {', '.join(bad) or 'none'} |")
        out += ["", "## Who", ""] + [f"- **{r.name}** ({r.phone}): {r.who}" for r in ROLES.values()]
        out += ["", "## Dossiers prepared", ""] + [f"- `{name}`: {why}" for name, why in VALUES.items()]
        out += ["", "## Skipped routes", "", "| route | why |", "|---|---|"]
        out += [f"| `{route}` | {why} |" for route, why in self.skipped.items()]
        return "\n".join(out) + "\n"
