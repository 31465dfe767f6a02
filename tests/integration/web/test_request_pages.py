"""The request pages × every caller: status, what each sees and may do, and the forms.

Callers: anonymous, viewer, a requester of the request's agency ("own") and of
another ("other"), engineer, planner, admin. The app runs on a copy of the demo
database on the demo's day, so the verdicts are fixed: the portal (request 4)
fits at go-live and runs short in April 2027 (HOST UNTIL); the land database
(request 2) does not fit (CANNOT HOST).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from capacity import actions
from cmdb.db import transaction
from tests.integration.api.conftest import DEMO_REQUESTS, DEMO_TODAY, demo_db_file  # noqa: F401
from tests.integration.web.request_pages import (
    CALLERS,
    CSRF,
    callers_db_file,  # noqa: F401 - fixture
    client_as,
    count_rows,
    make_app,
    request_status,
)
from web.db import get_db

PORTAL_ID, LAND_ID, CAMERAS_ID = 4, 2, 3
READERS = {"viewer", "own", "engineer", "planner", "admin"}  # may read request 4
FILERS = {"own", "other", "planner", "admin"}
DECIDERS = {"planner", "admin"}


@pytest.fixture
def app(callers_db_file: Path, tmp_path: Path) -> Iterator[Flask]:  # noqa: F811
    yield from make_app(callers_db_file, tmp_path)


@pytest.fixture(scope="module")
def evaluated(callers_db_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:  # noqa: F811
    """One copy that the tests which only read share, with the portal (HOST UNTIL) and the
    land database (CANNOT HOST) evaluated; request 1 is left unevaluated."""
    for app in make_app(callers_db_file, tmp_path_factory.mktemp("evaluated")):
        evaluate(app, PORTAL_ID)
        evaluate(app, LAND_ID)
        yield app


def evaluate(app: Flask, request_id: int) -> None:
    with app.app_context(), transaction(get_db().sessions) as session:
        actions.evaluate_stored(session, request_id, today=DEMO_TODAY)


def valid_form(**changes: Any) -> dict[str, Any]:
    """The demo's portal as a person fills the form (request 4, under another name)."""
    form = {
        "csrf_token": CSRF,
        "name": "Cổng phản ánh (thử qua giao diện)",
        "go_live": "2026-03-01",
        "horizon_years": "3",
        "security_level": "2",
        "zone": "internet",
        "growth_pct_per_year": "10",
        "storage_tb": "0.5",
        "own_hardware_cost_vnd": "1200000000",
        "dc_mbps_internet": "20",
        "dc_mbps_tslcd": "",
        "sites_per_site_mbps": "",
        "sites_level": "commune",
        "sites_network": "tslcd",
        "workloads-0-name": "web",
        "workloads-0-count": "2",
        "workloads-0-vcpu": "4",
        "workloads-0-ram_gb": "8",
        "workloads-0-disk_gb": "100",
        "workloads-3-name": "db",
        "workloads-3-count": "1",
        "workloads-3-vcpu": "4",
        "workloads-3-ram_gb": "16",
        "workloads-3-disk_gb": "300",
        "workloads-5-name": "",  # a row added and left blank: ignored
    }
    return form | changes


# -- every page × every caller ---------------------------------------------------


@pytest.mark.parametrize("caller", CALLERS)
def test_request_list_shows_each_caller_what_they_may_see(evaluated: Flask, caller: str) -> None:
    response = client_as(evaluated, caller).get("/requests/")

    if caller == "anonymous":
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login?next=/requests/")
        return
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    shown = {i for i in range(1, DEMO_REQUESTS + 1) if f'href="/requests/{i}"' in page}
    expected = {"own": {1, PORTAL_ID}, "other": {CAMERAS_ID}}.get(caller, {1, 2, 3, 4})
    assert shown == expected
    assert ('id="new-request"' in page) == (caller in FILERS)


def test_request_list_filters_by_status_and_agency(evaluated: Flask) -> None:
    client = client_as(evaluated, "viewer")

    listed = client.get("/requests/?status=evaluated").get_data(as_text=True)
    assert 'href="/requests/4"' in listed and 'href="/requests/1"' not in listed
    assert "Host until 1 Apr 2027" in listed

    agency_id = _agency_id(evaluated, "STTTT")
    by_agency = client.get(f"/requests/?agency_id={agency_id}").get_data(as_text=True)
    assert 'href="/requests/3"' in by_agency and 'href="/requests/4"' not in by_agency

    assert client.get("/requests/?status=lost").status_code == 400


def test_a_requester_cannot_widen_their_list_by_url(evaluated: Flask) -> None:
    other_agency = _agency_id(evaluated, "STTTT")
    client = client_as(evaluated, "own")
    page = client.get(f"/requests/?agency_id={other_agency}").get_data(as_text=True)
    # The filter narrows their own list (to nothing), as the API's does; it never widens it.
    assert 'href="/requests/3"' not in page and "Nothing matches." in page
    assert client.get(f"/api/v1/requests/?agency_id={other_agency}").get_json()["count"] == 0


@pytest.mark.parametrize("caller", CALLERS)
def test_new_request_form_is_for_filers_only(evaluated: Flask, caller: str) -> None:
    response = client_as(evaluated, caller).get("/requests/new")

    if caller == "anonymous":
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    elif caller in FILERS:
        page = response.get_data(as_text=True)
        assert response.status_code == 200
        assert 'id="sites_admin_units"' in page and 'name="workloads-0-vcpu"' in page
        # A requester's agency is fixed; a planner or an admin picks one.
        assert ('name="agency_id"' in page) == (caller in DECIDERS)
        assert "Quảng Nam" in page  # the province is offered as a target root
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("caller", CALLERS)
def test_request_page_and_its_actions_per_caller(evaluated: Flask, caller: str) -> None:
    response = client_as(evaluated, caller).get(f"/requests/{PORTAL_ID}")

    if caller == "anonymous":
        assert response.status_code == 302
        return
    if caller not in READERS:
        assert response.status_code == 403
        return
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'data-verdict="host_until"' in page and "HOST UNTIL 1 Apr 2027" in page
    assert 'id="resources"' in page and 'class="js-plotly-figure"' in page
    assert "/vendor/plotly.min.js" in page
    assert ('id="approve-form"' in page) == (caller in DECIDERS)
    assert ('id="reject-form"' in page) == (caller in DECIDERS)
    assert ('id="evaluate-again"' in page) == (caller in {"own", "planner", "admin"})


@pytest.mark.parametrize("caller", CALLERS)
def test_appraisal_is_a_printable_page_without_navigation(evaluated: Flask, caller: str) -> None:
    response = client_as(evaluated, caller).get(f"/requests/{PORTAL_ID}/appraisal")

    if caller == "anonymous":
        assert response.status_code == 302
        return
    if caller not in READERS:
        assert response.status_code == 403
        return
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "css/appraisal.css" in page and "<nav" not in page
    assert "Capacity appraisal" in page and "HOST UNTIL 1 Apr 2027" in page
    assert "Printed 15 Jan 2026" in page  # DEMO_TODAY, as the page's language writes it
    assert "Investment avoided" in page
    # One page: the binding resource drawn with its bands; the details are the annex.
    assert 'id="binding-chart"' in page and 'class="band80"' in page and 'class="band95"' in page
    annex_url = f"/requests/{PORTAL_ID}/appraisal/annex"
    assert f'href="{annex_url}"' in page and 'id="assumptions"' not in page
    annex = client_as(evaluated, caller).get(annex_url).get_data(as_text=True)
    assert 'id="assumptions"' in annex and "Forecast method:" in annex and "<nav" not in annex


def test_unknown_request_is_404(evaluated: Flask) -> None:
    assert client_as(evaluated, "viewer").get("/requests/999").status_code == 404


def test_a_request_never_evaluated_says_so(app: Flask) -> None:
    page = client_as(app, "viewer").get(f"/requests/{PORTAL_ID}").get_data(as_text=True)
    assert "Not evaluated yet." in page and 'id="appraisal-link"' not in page


def test_cannot_host_lists_the_shortfall_and_the_expansion(evaluated: Flask) -> None:
    page = client_as(evaluated, "planner").get(f"/requests/{LAND_ID}").get_data(as_text=True)
    assert 'data-verdict="cannot_host"' in page
    assert "short by" in page
    assert 'id="expansion"' in page and "Investment avoided" in page


def test_saturating_links_are_placed_in_the_admin_tree(app: Flask) -> None:
    evaluate(app, 1)  # the commune video conference trips on commune and district links
    page = client_as(app, "planner").get("/requests/1").get_data(as_text=True)
    table = page[page.index('id="saturating-links"') :]
    assert "/admin-units/" in table and "›" in table


# -- the new-request form ----------------------------------------------------------


def test_a_requester_files_a_request_and_sees_its_verdict(app: Flask) -> None:
    client = client_as(app, "own")
    before = count_rows(app)

    response = client.post("/requests/new", data=valid_form())

    assert response.status_code == 302, response.get_data(as_text=True)
    new_id = DEMO_REQUESTS + 1
    assert response.headers["Location"] == f"/requests/{new_id}"
    after = count_rows(app)
    assert after["resource_request"] == before["resource_request"] + 1
    assert after["request_evaluation"] == before["request_evaluation"] + 1
    assert request_status(app, new_id) == "evaluated"
    page = client.get(f"/requests/{new_id}").get_data(as_text=True)
    assert "HOST UNTIL 1 Apr 2027" in page
    assert "2 × web" in page and "1 × db" in page


def test_every_commune_of_a_district(app: Flask) -> None:
    """A district picked with reach "every commune": the verdict names its commune links."""
    client = client_as(app, "own")
    form = valid_form(
        zone="tslcd",
        security_level="2",
        dc_mbps_internet="",
        sites_admin_units="503",
        sites_level="commune",
        sites_network="tslcd",
        sites_per_site_mbps="4",
    )
    response = client.post("/requests/new", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "units 503 (every commune)" in page
    assert 'id="verdict"' in page


def test_form_errors_are_shown_per_field_and_nothing_is_saved(app: Flask) -> None:
    client = client_as(app, "own")
    before = count_rows(app)
    form = valid_form(
        name="",
        go_live="2025-01-01",
        horizon_years="40",
        **{"workloads-3-vcpu": "0", "workloads-3-ram_gb": "lots"},
    )

    response = client.post("/requests/new", data=form)

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert count_rows(app) == before
    assert 'data-field="name"' in page
    assert 'data-field="go_live"' in page and "must not be in the past" in page
    assert 'data-field="horizon_years"' in page
    # Rows are renumbered without the blank one: the db row is the second.
    assert 'data-field="workloads-1-vcpu"' in page
    assert 'data-field="workloads-1-ram_gb"' in page and "Not a valid number." in page
    # What was typed is shown again.
    assert 'value="lots"' in page and 'value="40"' in page


def test_an_unknown_admin_unit_is_shown_at_the_picker(app: Flask) -> None:
    """Names are checked against the inventory once the document itself is valid."""
    before = count_rows(app)
    form = valid_form(sites_admin_units="00000", sites_per_site_mbps="2")

    response = client_as(app, "own").post("/requests/new", data=form)

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'data-field="sites_admin_units"' in page and "unknown admin unit code" in page
    assert count_rows(app) == before


def test_a_request_for_nothing_is_refused(app: Flask) -> None:
    form = {k: v for k, v in valid_form(dc_mbps_internet="", storage_tb="").items()}
    form = {k: ("" if k.startswith("workloads-") else v) for k, v in form.items()}
    response = client_as(app, "own").post("/requests/new", data=form)
    assert response.status_code == 400
    assert "a request needs workloads" in response.get_data(as_text=True)


def test_a_planner_must_pick_the_agency(app: Flask) -> None:
    client = client_as(app, "planner")
    response = client.post("/requests/new", data=valid_form())
    assert response.status_code == 400
    assert 'data-field="agency"' in response.get_data(as_text=True)

    agency_id = _agency_id(app, "STTTT")
    kept = client.post("/requests/new", data=valid_form(agency_id=str(agency_id), name=""))
    assert kept.status_code == 400
    assert f'<option value="{agency_id}" selected>' in kept.get_data(as_text=True)
    response = client.post("/requests/new", data=valid_form(agency_id=str(agency_id)))
    assert response.status_code == 302


@pytest.mark.parametrize("caller", ["viewer", "engineer"])
def test_readers_may_not_post_a_request(app: Flask, caller: str) -> None:
    before = count_rows(app)
    response = client_as(app, caller).post("/requests/new", data=valid_form())
    assert response.status_code == 403
    assert count_rows(app) == before


def test_a_form_without_its_csrf_token_is_refused(app: Flask) -> None:
    before = count_rows(app)
    response = client_as(app, "own").post("/requests/new", data=valid_form(csrf_token="forged"))
    assert response.status_code == 400
    assert count_rows(app) == before


# -- evaluate, approve, reject -------------------------------------------------------


@pytest.mark.parametrize("caller", CALLERS)
def test_who_may_approve(app: Flask, caller: str) -> None:
    evaluate(app, PORTAL_ID)

    response = client_as(app, caller).post(
        f"/requests/{PORTAL_ID}/approve", data={"csrf_token": CSRF, "accept_until": "1"}
    )

    if caller == "anonymous":
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    elif caller in DECIDERS:
        assert response.status_code == 302
        assert request_status(app, PORTAL_ID) == "approved"
        return
    elif caller == "other":
        assert response.status_code == 403  # cannot even see it
    else:
        assert response.status_code == 403
    assert request_status(app, PORTAL_ID) == "evaluated"


def test_approving_shows_who_approved(app: Flask) -> None:
    evaluate(app, PORTAL_ID)
    client = client_as(app, "planner")
    response = client.post(
        f"/requests/{PORTAL_ID}/approve",
        data={"csrf_token": CSRF, "accept_until": "1"},
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert "Approved: its capacity is reserved." in page
    assert "ui-planner" in page and 'id="approve-form"' not in page


def test_host_until_needs_accepting_and_a_refusal_writes_nothing(app: Flask) -> None:
    evaluate(app, PORTAL_ID)
    before = count_rows(app)

    response = client_as(app, "planner").post(
        f"/requests/{PORTAL_ID}/approve", data={"csrf_token": CSRF}
    )

    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert 'id="decision-error"' in page and "the verdict is HOST UNTIL" in page
    assert count_rows(app) == before
    assert request_status(app, PORTAL_ID) == "evaluated"


def test_a_refusal_is_explained_in_vietnamese(app: Flask) -> None:
    """The refusal of a HOST UNTIL approval in the Vietnamese UI: the reason, the resource
    and its date in Vietnamese, none of the API's English message."""
    evaluate(app, PORTAL_ID)
    client = client_as(app, "planner")
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "vi"

    response = client.post(f"/requests/{PORTAL_ID}/approve", data={"csrf_token": CSRF})

    assert response.status_code == 409
    page = response.get_data(as_text=True)
    start = page.index('id="decision-error"')
    error = page[start : page.index("</div>", start)]
    assert "Chưa thể phê duyệt" in error and "thiếu từ ngày" in error
    assert "no longer fits" not in error and "accept_until" not in error


def test_a_cannot_host_verdict_offers_no_approve_button(app: Flask) -> None:
    evaluate(app, LAND_ID)
    page = client_as(app, "planner").get(f"/requests/{LAND_ID}").get_data(as_text=True)
    assert 'data-verdict="cannot_host"' in page
    assert 'id="approve-form"' not in page and 'id="no-approve"' in page
    assert 'id="reject-form"' in page  # rejecting it stays possible


def test_a_request_already_decided_is_refused_in_vietnamese(app: Flask) -> None:
    client = client_as(app, "planner")
    client.post(f"/requests/{LAND_ID}/reject", data={"csrf_token": CSRF, "reason": "thiếu SAN"})
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "vi"

    again = client.post(f"/requests/{LAND_ID}/reject", data={"csrf_token": CSRF, "reason": "x"})

    assert again.status_code == 409
    page = again.get_data(as_text=True)
    start = page.index('id="decision-error"')
    error = page[start : page.index("</div>", start)]
    assert "Yêu cầu đang ở trạng thái Bị từ chối: không thể từ chối nữa." in error
    assert "cannot be" not in error


def test_cannot_host_is_never_approved(app: Flask) -> None:
    evaluate(app, LAND_ID)
    response = client_as(app, "admin").post(
        f"/requests/{LAND_ID}/approve", data={"csrf_token": CSRF, "accept_until": "1"}
    )
    assert response.status_code == 409
    assert request_status(app, LAND_ID) == "evaluated"


def test_reject_needs_a_reason_then_shows_it(app: Flask) -> None:
    client = client_as(app, "planner")
    before = count_rows(app)

    blank = client.post(f"/requests/{LAND_ID}/reject", data={"csrf_token": CSRF, "reason": " "})
    assert blank.status_code == 400
    assert "Say why the request is rejected." in blank.get_data(as_text=True)
    assert count_rows(app) == before

    done = client.post(
        f"/requests/{LAND_ID}/reject",
        data={"csrf_token": CSRF, "reason": "Không đủ SAN; xin mở rộng trước"},
        follow_redirects=True,
    )
    page = done.get_data(as_text=True)
    assert request_status(app, LAND_ID) == "rejected"
    assert 'id="rejection"' in page and "Không đủ SAN" in page and "ui-planner" in page
    assert 'id="reject-form"' not in page

    again = client.post(f"/requests/{LAND_ID}/reject", data={"csrf_token": CSRF, "reason": "x"})
    assert again.status_code == 409


@pytest.mark.parametrize("caller", ["viewer", "own", "engineer"])
def test_non_planners_may_not_reject(app: Flask, caller: str) -> None:
    response = client_as(app, caller).post(
        f"/requests/{PORTAL_ID}/reject", data={"csrf_token": CSRF, "reason": "no"}
    )
    assert response.status_code == 403
    assert request_status(app, PORTAL_ID) == "submitted"


@pytest.mark.parametrize(
    ("caller", "status"), [("own", 302), ("other", 403), ("viewer", 403), ("planner", 302)]
)
def test_who_may_evaluate_again(app: Flask, caller: str, status: int) -> None:
    response = client_as(app, caller).post(
        f"/requests/{PORTAL_ID}/evaluate", data={"csrf_token": CSRF}
    )
    assert response.status_code == status
    expected = "evaluated" if status == 302 else "submitted"
    assert request_status(app, PORTAL_ID) == expected


# -- language ------------------------------------------------------------------------


def test_the_request_pages_speak_vietnamese(app: Flask) -> None:
    evaluate(app, PORTAL_ID)
    client = client_as(app, "own")
    english = client.get("/requests/").get_data(as_text=True)
    assert ">Evaluated<" in english

    switched = client.post(
        "/language", data={"csrf_token": CSRF, "lang": "vi", "next": f"/requests/{PORTAL_ID}"}
    )
    assert switched.status_code == 302
    assert switched.headers["Location"] == f"/requests/{PORTAL_ID}"

    page = client.get(f"/requests/{PORTAL_ID}").get_data(as_text=True)
    assert "ĐÁP ỨNG ĐẾN NGÀY 01/04/2027" in page
    # Labels imported from a template follow the language too (not the first one used).
    assert "Internet (DMZ)" in page and "Đã đánh giá" in page
    listed = client.get("/requests/").get_data(as_text=True)
    assert ">Đã đánh giá<" in listed and "Đáp ứng đến ngày 01/04/2027" in listed
    appraisal = client.get(f"/requests/{PORTAL_ID}/appraisal").get_data(as_text=True)
    assert "Phiếu thẩm định" in appraisal
    for path in ("", "/appraisal", "/appraisal/annex"):  # every date shown day first
        shown = shown_text(client.get(f"/requests/{PORTAL_ID}{path}").get_data(as_text=True))
        assert re.search(r"\b\d{4}-\d{2}-\d{2}\b", shown) is None, path
        assert "01/04/2027" in shown, path  # the verdict's date
    form = client.get("/requests/new").get_data(as_text=True)
    assert "Yêu cầu mới" in form


def shown_text(html: str) -> str:
    """What a reader sees of a page: its text and attributes' values left out (a chart's
    data, a link's query, a date input's value are ISO by their formats' rules)."""
    html = re.sub(r"<script.*?</script>", "", html, flags=re.S)
    return re.sub(r"<[^>]*>", " ", html)


def test_language_refuses_an_unknown_language_or_a_foreign_next(app: Flask) -> None:
    client = client_as(app, "viewer")
    assert client.post("/language", data={"csrf_token": CSRF, "lang": "fr"}).status_code == 400
    away = client.post(
        "/language", data={"csrf_token": CSRF, "lang": "en", "next": "//evil.example/"}
    )
    assert away.headers["Location"] == "/"


def _agency_id(app: Flask, short_name: str) -> int:
    import sqlalchemy as sa

    from cmdb.models import Agency

    with app.app_context(), get_db().sessions() as session:
        return session.scalar(sa.select(Agency.id).where(Agency.short_name == short_name))


def test_the_list_and_the_request_page_cost_the_same_queries_for_more_rows(
    app: Flask, count_queries: Any
) -> None:
    """No query per row: a list of 4 requests with verdicts, or a page with many links."""
    for request_id in (1, PORTAL_ID):
        evaluate(app, request_id)
    client = client_as(app, "planner")
    one_agency = f"/requests/?status=evaluated&agency_id={_agency_id(app, 'VP UBND tỉnh')}"
    with count_queries() as few:
        client.get(one_agency)
    with count_queries() as all_rows:
        client.get("/requests/")
    assert all_rows() <= few()
    with count_queries() as portal_page:
        client.get(f"/requests/{PORTAL_ID}")
    with count_queries() as video_page:  # 259 links on its paths
        client.get("/requests/1")
    assert video_page() == portal_page()
