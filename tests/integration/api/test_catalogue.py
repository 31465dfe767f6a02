"""The expansion catalogue as data (issue 21): a price list imported with ``cmdb catalogue
import`` prices the next evaluation; a bad row is refused by its number, nothing written;
planners keep the entries through the API.

On the demo (its price list: cmdb/data/demo-dc-price-list.csv) a 200-vCPU, 600-GB
system on PROD-CL01 needs one server beyond the three 1 TB servers the cluster needs by
itself: the cheapest that closes it is one more "2U 2×32-core 1 TB RAM" at 880,000,000 VND.
Priced at 800,000,000 the next evaluation charges 800,000,000, and the DC's own need
becomes 3 × 800,000,000 = 2,400,000,000.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from cmdb.models import CatalogueItem
from tests.integration.api.test_marginal_cost import tiny
from web.cli import main
from web.db import get_db

ONE_TB = "2U 2×32-core 1 TB RAM"


def system() -> dict[str, Any]:
    return tiny(workloads=[{"name": "app", "vcpu": 200, "ram_gb": 600}])


def charged(client: FlaskClient) -> tuple[list[tuple[str, int, float]], float]:
    response = client.post("/api/v1/requests/evaluate", json=system())
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    items = [
        (i["description"], i["quantity"], i["cost_vnd"]) for i in body["expansion"]["at_horizon"]
    ]
    return items, body["cost"]["dc_own_need_vnd"]


def catalogue_rows(app: Flask) -> dict[str, tuple[float, str]]:
    with app.app_context(), get_db().sessions() as session:
        rows = session.scalars(sa.select(CatalogueItem)).all()
        return {r.name: (r.price_vnd, r.priced_on.isoformat()) for r in rows}


def test_an_imported_price_list_prices_the_next_evaluation(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    # The cheapest servers mix models (DESIGN §6): the DC's own need is 2 × 1 TB + 1 × 384
    # GB (2 × 880 + 520 = 2,280 M); with the system, 1 × 512 GB + 3 × 1 TB (650 + 3 × 880
    # = 3,290 M): the project is charged the difference, 1,010 M.
    mixed = (
        "servers (1 × 2U 2×32-core 512 GB RAM + 3 × 2U 2×32-core 1 TB RAM) (instead of 3 × "
        "servers (1 × 2U 2×24-core 384 GB RAM + 2 × 2U 2×32-core 1 TB RAM) needed anyway: "
        "the difference)"
    )
    assert charged(client) == ([(mixed, 4, 1_010_000_000)], 2_280_000_000)
    prices = tmp_path / "prices.yaml"
    prices.write_text(
        f"""
- kind: server
  name: "{ONE_TB}"
  cores: 64
  ram_gb: 1024
  price_vnd: 800000000
  priced_on: "2027-01-15"
""",
        encoding="utf-8",
    )
    result = runner.invoke(main, ["catalogue", "import", str(prices)])
    assert result.exit_code == 0, result.output
    assert "catalogue: 0 created, 1 updated, 0 unchanged" in result.output
    assert catalogue_rows(app)[ONE_TB] == (800_000_000, "2027-01-15")
    # At 800 M a 1 TB server: own 2 × 800 + 520 = 2,120 M; with 650 + 3 × 800 = 3,050 M.
    assert charged(client) == ([(mixed, 4, 930_000_000)], 2_120_000_000)


def test_a_bad_row_is_refused_by_its_number_and_nothing_is_written(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    before = catalogue_rows(app)
    prices = tmp_path / "prices.csv"
    prices.write_text(
        "kind,name,network,cores,ram_gb,raw_tb,mbps,price_vnd,priced_on\n"
        f'server,"{ONE_TB}",,64,1024,,,1,2027-01-15\n'
        "server,New 96-core,,abc,768,,,990000000,2027-01-15\n"
        "link_tier,TSLCD 20 Mbps,tslcd,,,,,7000000,2027-01-15\n"
        "storage_shelf,Cheap shelf,wan,,,100,,-5,15/01/2027\n",
        encoding="utf-8",
    )
    result = runner.invoke(main, ["catalogue", "import", str(prices)])
    assert result.exit_code != 0
    out = result.output
    assert "prices.csv: row 3: cores: 'abc' is not a number" in out
    assert "prices.csv: row 4: mbps: a link_tier needs a number above 0" in out
    assert "prices.csv: row 5: price_vnd: -5 is outside 0..1e+15" in out
    assert "prices.csv: row 5: priced_on: '15/01/2027' is not a date (YYYY-MM-DD)" in out
    assert "prices.csv: row 5: network: only a link tier has a network" in out
    assert "row 2" not in out
    assert "3 bad rows; nothing imported" in out
    assert catalogue_rows(app) == before  # row 2 was good, and is not written either


def test_planners_keep_the_catalogue_through_the_api(client: FlaskClient) -> None:
    body = {"kind": "server", "name": "2U 2×48-core, 768 GB", "cores": 96, "ram_gb": 768,
            "price_vnd": 990_000_000, "priced_on": "2027-01-15"}  # fmt: skip
    created = client.post("/api/v1/catalogue/", json=body)
    assert created.status_code == 201, created.get_json()
    listed = client.get("/api/v1/catalogue/?kind=server&q=48-core").get_json()
    assert [r["price_vnd"] for r in listed["results"]] == [990_000_000]
    bad = client.post("/api/v1/catalogue/", json=body | {"name": "x", "cores": None, "mbps": 10})
    assert bad.status_code == 400
    errors = bad.get_json()["errors"]
    assert errors["cores"] == ["a server needs it"]
    assert errors["mbps"] == ["not used by a server (leave it empty)"]


def test_the_catalogue_page_lists_the_price_list_in_vietnamese(app: Flask) -> None:
    client = app.test_client()  # the demo app lets anyone read (CMDB_ANONYMOUS_READ)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "vi"
    page = client.get("/catalogue/?kind=server").get_data(as_text=True)
    assert "Danh mục mở rộng" in page and "Mẫu máy chủ" in page
    assert ONE_TB in page and "TSLCD 50 Mbps" not in page
    item_id = next(i for n, i in catalogue_ids(app).items() if n == ONE_TB)
    detail = client.get(f"/catalogue/{item_id}").get_data(as_text=True)
    assert "Ngày báo giá" in detail and "01/10/2026" in detail  # the day in Vietnamese


def catalogue_ids(app: Flask) -> dict[str, int]:
    with app.app_context(), get_db().sessions() as session:
        return dict(session.execute(sa.select(CatalogueItem.name, CatalogueItem.id)).all())
