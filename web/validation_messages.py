"""Validation messages in the reader's language: marshmallow's own and the project's.

The schemas and the use cases write their messages in English, which stays the
language of the API (by default), the CLI and the logs. A message is translated
where it is shown — an API error body, a form — by matching it against the
templates below: each is a msgid of the catalogue whose ``%(name)s`` parts match
any text, so "Must be greater than or equal to 1." is found as the template
"Must be greater than or equal to %(min)s." and given back as its Vietnamese
translation with ``min=1``. A message no template matches is shown as it is.
Translating at the boundary keeps one set of rules (the schemas) and one set of
words (the catalogue); adding a rule with a new message means adding its template here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache

from flask_babel import get_locale, gettext


def N_(text: str) -> str:  # noqa: N802 - the name pybabel's extractor knows
    """Marks a msgid for the catalogue; translated later, with its values."""
    return text


#: marshmallow's standard messages (its fields' and validators' defaults), as it formats them.
MARSHMALLOW = (
    N_("Missing data for required field."),
    N_("Field may not be null."),
    N_("Invalid value."),
    N_("Unknown field."),
    N_("Invalid input type."),
    N_("Invalid type."),
    N_("Not a valid string."),
    N_("Not a valid integer."),
    N_("Not a valid number."),
    N_("Number too large."),
    N_("Special numeric values (nan or infinity) are not permitted."),
    N_("Not a valid boolean."),
    N_("Not a valid list."),
    N_("Not a valid mapping type."),
    N_("Not a valid date."),
    N_("Not a valid datetime."),
    N_("Not a valid aware datetime."),
    N_("Not a valid choice."),
    N_("Must be one of: %(choices)s."),
    N_("Must be greater than or equal to %(min)s and less than or equal to %(max)s."),
    N_("Must be greater than %(min)s and less than or equal to %(max)s."),
    N_("Must be greater than or equal to %(min)s and less than %(max)s."),
    N_("Must be greater than %(min)s and less than %(max)s."),
    N_("Must be greater than or equal to %(min)s."),
    N_("Must be greater than %(min)s."),
    N_("Must be less than or equal to %(max)s."),
    N_("Must be less than %(max)s."),
    N_("Length must be between %(min)s and %(max)s."),
    N_("Length must be %(equal)s."),
    N_("Shorter than minimum length %(min)s."),
    N_("Longer than maximum length %(max)s."),
    N_("String does not match expected pattern."),
)

#: The messages of the write schemas (``web.api.schemas``) and of the editing use case
#: (``cmdb.services.editing``, ``cmdb.services.integrity``).
PROJECT = (
    N_("invalid input"),
    N_("lowercase letters, digits, '-' and '_' only"),
    N_("a MAC address like F4:8E:38:B7:32:F7"),
    N_("not an IP address: %(value)s"),
    N_("give commit_rate_mbps or port_speed_mbps: a link needs a capacity"),
    N_(
        "the two ends of a link must be different sites, unless it is a cable inside one site"
        " between two interfaces (give a_interface_id and b_interface_id)"
    ),
    N_("the two ends of a link must be different interfaces"),
    N_(
        "a link needs a site at one end at least: leave one end open (a circuit to a provider"
        " network), not both"
    ),
    N_("an open end has no interface: give the site of this end, or no interface"),
    N_("a referenced record does not exist"),
    N_("no %(table)s with id %(id)s"),
    N_("another %(table)s (id %(id)s) already has %(values)s"),
    N_("%(table)s %(id)s is still referenced (%(what)s)"),
    N_("%(rows)s rows refer to it by %(column)s"),
    N_("%(count)s time series with their samples"),
    N_("%(links)s link(s) inside one site end on it (such a link needs both interfaces)"),
    N_("%(table)s %(id)s goes with it: %(reason)s"),
    N_("another record already holds these values (%(detail)s)"),
    N_("refused by the database: %(detail)s"),
    # the limits of every input (``web.input_limits``, ``cmdb.bounds``)
    N_("text must not contain NUL (U+0000) or lone surrogates (U+D800–U+DFFF)"),
    N_("a percent of capacity, above 1 and at most 100"),
    N_(
        "a percent of capacity, above 1 and at most 100: %(value)s reads as a fraction;"
        " send %(percent)s"
    ),
    N_("the body is nested more than %(depth)s levels deep"),
    N_("the URL is longer than %(length)s characters"),
    N_("no record has id %(id)s: ids stop at %(max)s"),
    N_("must be a time from %(first)s to %(last)s (UTC)"),
    N_("must be within %(years)s years of today"),
)

#: Table names as messages name them (``no site with id 3``), in words.
TABLES = {
    "admin_unit": N_("administrative unit"),
    "agency": N_("agency"),
    "site": N_("site"),
    "rack": N_("rack"),
    "device": N_("device"),
    "interface": N_("interface"),
    "link": N_("link"),
    "cluster": N_("cluster"),
    "storage_pool": N_("storage pool"),
    "information_system": N_("information system"),
    "workload": N_("workload"),
    "series": N_("time series"),
    "cluster_storage_pool": N_("cluster–storage pool pairs"),
    "request_workload": N_("workloads of requests"),
    "resource_request": N_("resource request"),
}

_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


@cache
def _patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    """Each template as a regular expression; longer templates first, so that
    "… and less than or equal to …" is not taken for its shorter prefix."""
    found = []
    for template in sorted((*MARSHMALLOW, *PROJECT), key=len, reverse=True):
        parts = _PLACEHOLDER.split(template)
        regex = "".join(
            re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)" for i, part in enumerate(parts)
        )
        found.append((re.compile(f"^{regex}$", re.DOTALL), template))
    return tuple(found)


def english() -> bool:
    locale = get_locale()
    return locale is None or locale.language == "en"


def table_name(table: str) -> str:
    """A table's name in the reader's words (``storage_pool`` → "storage pool", "vùng lưu trữ")."""
    return gettext(TABLES[table]) if table in TABLES else table


def translate_message(message: str) -> str:
    """``message`` in the current language; as it is when English or not a known template."""
    if english():
        return message
    for pattern, template in _patterns():
        match = pattern.match(message)
        if match:
            values = match.groupdict()
            if "table" in values:
                values["table"] = table_name(values["table"])
            if "reason" in values:  # a message about a record that goes with another
                values["reason"] = translate_message(values["reason"])
            if "what" in values:  # a deletion's referrers, table by table
                values["what"] = _referrers_in_words(values["what"])
            return gettext(template, **values) if values else gettext(template)
    return message


def _referrers_in_words(what: str) -> str:
    """``site: 2 rows refer to it by site_id, …; link: …`` (``check_deletable``'s summary)
    with each table and message in the reader's words; a part that does not parse stays."""
    groups = []
    for group in what.split("; "):
        table, colon, messages = group.partition(": ")
        if colon:
            translated = ", ".join(translate_message(m) for m in messages.split(", "))
            group = f"{table_name(table)}: {translated}"
        groups.append(group)
    return "; ".join(groups)


def translate_errors(errors: Mapping[str, list[str]]) -> dict[str, list[str]]:
    """Messages per field, each translated."""
    return {
        field: [translate_message(str(m)) for m in messages] for field, messages in errors.items()
    }
