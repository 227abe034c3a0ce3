"""Section 2: list and form pages over the generated data, against a bare Flask baseline.

Each list case is measured three ways, side by side: the model-service calls the page makes
against the same bare SQL; the page through the Flask test client against the bare endpoint; and
both over real HTTP (werkzeug on 127.0.0.1). The SQL statements of a page are counted on an
80-row page and on a one-row page, to show that the count does not grow with the rows.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

import requests
from sqlalchemy import Table

from core.db import READ_ONLY
from core.env import Environment
from core.views import FormView, ListView, as_field, views_of, visible

from .bare_pages import customer_page, inbox_page, submit_orders
from .baseline_app import PAGE, BareForm, BareList, BarePage, bare_app, list_select
from .bench_db import Bench, HttpUser, login_client, serve
from .measure import Figure, QueryCounter, Results, median_seconds

__all__ = ["run_pages", "LIST_CASES", "FORM_CASES"]

SECTION = "2 pages"
MAX_RATIO = 2.0


@dataclasses.dataclass(frozen=True)
class ListCase:
    """A list page: the model, a predefined filter of its view, the matching bare filter, the
    sort column and the group-by field."""

    model: str
    filter: str | None
    bare_where: Callable[[Table], Any]
    order: str
    groupby: str


@dataclasses.dataclass(frozen=True)
class FormCase:
    """A form page of the record ``pick(env)`` returns; ``lines``: its one2many shown inline."""

    model: str
    pick: Callable[[Environment], int | None]
    lines: str | None = None
    label: str = ""


def _active(t: Table) -> Any:
    return t.c.active.is_(True)


LIST_CASES = [
    ListCase("res.partner", "companies", lambda t: _active(t) & t.c.is_company.is_(True),
             "name", "city"),
    ListCase("product.product", None, _active, "name", "categ_id"),
    ListCase("sale.order", "quotations", lambda t: t.c.state == "draft", "date_order",
             "partner_id"),
    ListCase("sale.order.line", None, lambda t: t.c.id.is_not(None), "date_order", "categ_id"),
]


def _first_company(env: Environment) -> int | None:
    ids = env["res.partner"].search([("is_company", "=", True)], limit=1)
    return ids[0] if ids else None


def _order_with_50_lines(env: Environment) -> int | None:
    """A sales order of 50 lines, made once through the service."""
    products = env["product.product"].search([], limit=50)
    customer = _first_company(env)
    if not products or customer is None:
        return None
    lines = [(0, 0, {"product_id": products[i % len(products)],
                     "product_uom_qty": Decimal(i % 7 + 1), "price_unit": Decimal("12.50")})
             for i in range(50)]
    order_id = env["sale.order"].create({"partner_id": customer, "order_line": lines})
    assert isinstance(order_id, int)
    return order_id


FORM_CASES = [
    FormCase("res.partner", _first_company, label="company form"),
    FormCase("sale.order", _order_with_50_lines, "order_line", "order with 50 lines"),
]


def _present(env: Environment, model: str) -> bool:
    return model in env and bool(env[model].sudo().search([], limit=1))


def _columns(env: Environment, model: str, names: list[str]
             ) -> list[tuple[str, str, Table | None, str | None]]:
    """Column descriptions for the baseline: many2one columns carry their target table."""
    fields = env[model].fields
    out = []
    for name in names:
        info = fields[name]
        if not info.stored:
            continue
        if info.type == "many2one":
            target = env.registry[info.comodel or ""]
            out.append((name, info.label, target.__table__, target._rec_name))
        else:
            out.append((name, info.label, None, None))
    return out


def _bare_list(env: Environment, case: ListCase, spec: ListView) -> BareList:
    svc = env[case.model]
    names = [c.name for c in visible(spec.columns, svc.fields_get())]
    info = svc.fields[case.groupby]
    target = env.registry[info.comodel].__table__ if info.type == "many2one" else None
    rec = env.registry[info.comodel]._rec_name if info.type == "many2one" else None
    sums = tuple(name for name in names if svc.fields[name].stored
                 and svc.fields[name].type in ("integer", "decimal", "monetary"))
    return BareList(case.model.replace(".", "_"), str(svc.cls._description), svc.cls.__table__,
                    _columns(env, case.model, names), case.bare_where, case.order,
                    (case.groupby, target, rec), sums)


def _bare_form(env: Environment, case: FormCase, spec: FormView) -> BareForm:
    svc = env[case.model]
    fields = [as_field(f) for f in spec.fields]
    names = [f.name for f in fields if svc.fields[f.name].stored]
    form = BareForm(case.model.replace(".", "_"), svc.cls.__table__,
                    _columns(env, case.model, names), svc.cls._rec_name)
    if case.lines is None:
        return form
    info = svc.fields[case.lines]
    line_field = next(f for f in fields if f.name == case.lines)
    line_names = list(line_field.columns) or [
        c.name for c in views_of(env.registry).get(info.comodel, "list").columns
        if c.name != info.inverse_name]
    return dataclasses.replace(form, line_table=env.registry[info.comodel].__table__,
                               inverse=info.inverse_name,
                               line_fields=_columns(env, info.comodel or "", line_names))


def run_pages(bench: Bench, results: Results, runs: int, login: str, password: str) -> None:
    """Measure every list and form case whose model has data."""
    app = bench.app()
    client = login_client(app, login, password)
    counter = QueryCounter(app.extensions["kangyi"].engine)
    lists, forms, urls = [], [], []
    with bench.runtime.env() as admin:
        uid = admin["res.users"].search([("login", "=", login)])[0]
        env = admin(uid=uid, su=False)
        views = views_of(env.registry)
        for case in LIST_CASES:
            if not _present(env, case.model):
                results.note(f"Pages: list of {case.model} skipped (model absent or empty).")
                continue
            spec = views.get(case.model, "list")
            case = _fit(case, spec, env)
            bare = _bare_list(env, case, spec)
            lists.append(bare)
            query = {"order": case.order, **({"filter": case.filter} if case.filter else {})}
            urls.append((f"list {case.model} (80 rows, sorted"
                         f"{', filtered' if case.filter else ''})",
                         f"/web/{case.model}?{urlencode(query)}", f"/bare/list/{bare.key}", 2))
            if case.groupby in spec.group_by:
                grouped = {"groupby": case.groupby,
                           **({"filter": case.filter} if case.filter else {})}
                urls.append((f"list {case.model} grouped by {case.groupby}",
                             f"/web/{case.model}?{urlencode(grouped)}",
                             f"/bare/group/{bare.key}", 2))
            _service_vs_sql(bench, results, env, case, bare, runs)
            _query_counts(results, client, counter, env, case, bare)
        for fcase in FORM_CASES:
            record_id = fcase.pick(admin) if fcase.model in env and (
                fcase.lines is None or "product.product" in env) else None
            if record_id is None:
                results.note(f"Pages: {fcase.label} skipped (model absent or no data).")
                continue
            bare_form = _bare_form(env, fcase, views.get(fcase.model, "form"))
            forms.append(bare_form)
            urls.append((f"form {fcase.model} ({fcase.label})", f"/web/{fcase.model}/{record_id}",
                         f"/bare/form/{bare_form.key}/{record_id}",
                         1 if bare_form.line_table is None else 2))
        pages = _page_cases(results, admin, env, uid, urls)
    baseline = bare_app(bench.engine, lists, forms, pages)
    bare_client = baseline.test_client()
    working = []
    for label, url, bare_url, bare_queries in urls:
        status = client.get(url).status_code
        if status != 200 or bare_client.get(bare_url).status_code != 200:
            results.note(f"Pages: {label} not measured: GET {url} answered {status}.")
            continue
        working.append((label, url, bare_url, bare_queries))
        kangyi = median_seconds(lambda u=url: client.get(u), runs)
        base = median_seconds(lambda u=bare_url: bare_client.get(u), runs)
        results.add(Figure(SECTION, f"{label}, test client", kangyi * 1000, "ms",
                           base * 1000, MAX_RATIO))
        with counter.counting():
            client.get(url)
        results.add(Figure(SECTION, f"{label}, SQL queries", counter.count, "queries",
                           bare_queries))
    with serve(app) as kangyi_url, serve(baseline) as bare_url_root:
        user = HttpUser(kangyi_url, login, password)
        bare_http = requests.Session()
        try:
            for label, url, bare_url, _queries in working:
                kangyi = median_seconds(lambda u=url: user.get(u), runs)
                base = median_seconds(
                    lambda u=bare_url: bare_http.get(bare_url_root + u).raise_for_status(), runs)
                results.add(Figure(SECTION, f"{label}, HTTP", kangyi * 1000, "ms", base * 1000,
                                   MAX_RATIO))
        finally:
            user.close()
            bare_http.close()
    app.extensions["kangyi"].engine.dispose()


def _page_cases(results: Results, admin: Environment, env: Environment, uid: int,
                urls: list[tuple[str, str, str, int]]) -> list[BarePage]:
    """The approvals inbox (orders submitted by another user wait for this one) and the
    customer 360° page of the first company, when their addons are installed."""
    pages = []
    if "sale.order" in env and submit_orders(admin, uid, 20):
        page = inbox_page(env, uid)
        pages.append(page)
        urls.append(("approvals inbox (20 orders waiting)", "/web/approvals",
                     f"/bare/page/{page.key}/{uid}", len(page.blocks) * 2))
    else:
        results.note("Pages: approvals inbox skipped (sales not installed).")
    company = _first_company(admin)
    if "crm.lead" in env and company is not None:
        page = customer_page(env)
        pages.append(page)
        urls.append(("customer 360° page", f"/web/page/crm/customers/{company}",
                     f"/bare/page/{page.key}/{company}", len(page.blocks)))
    else:
        results.note("Pages: customer 360° page skipped (crm not installed).")
    return pages


def _fit(case: ListCase, spec: ListView, env: Environment) -> ListCase:
    """The case, sorted by a column the view shows (its first one when the case's is absent)."""
    names = [c.name for c in visible(spec.columns, env[case.model].fields_get())]
    if case.order in names:
        return case
    return dataclasses.replace(case, order=names[0])


def _service_vs_sql(bench: Bench, results: Results, env: Environment, case: ListCase,
                    bare: BareList, runs: int) -> None:
    """The service calls of the page (count + page read) against the same bare SQL."""
    svc = env[case.model]
    spec = views_of(env.registry).get(case.model, "list")
    domain = [list(f.domain) for f in spec.filters if f.name == case.filter]
    domain = domain[0] if domain else []
    names = [c[0] for c in bare.columns]

    def service() -> None:
        svc.search_count(domain)
        svc.search_read(domain, names, limit=PAGE, order=case.order)

    page, count = list_select(bare)

    def sql() -> None:  # reads beside the service's open environment: deferred BEGIN
        with bench.engine.connect().execution_options(**{READ_ONLY: True}) as conn:
            conn.scalar(count)
            conn.execute(page).all()

    results.add(Figure(SECTION, f"list {case.model}: service calls vs bare SQL",
                       median_seconds(service, runs) * 1000, "ms",
                       median_seconds(sql, runs) * 1000))


def _query_counts(results: Results, client: Any, counter: QueryCounter, env: Environment,
                  case: ListCase, bare: BareList) -> None:
    """Statements for an 80-row page and for a one-row search: equal when nothing is N+1."""
    rec_name = env[case.model].cls._rec_name
    first = env[case.model].search_read([], [rec_name], limit=1)
    with counter.counting():
        client.get(f"/web/{case.model}?order={case.order}")
    full = counter.count
    with counter.counting():
        client.get(f"/web/{case.model}?{urlencode({'q': str(first[0][rec_name])})}")
    one = counter.count
    results.note(f"Pages: list of {case.model} runs {full} SQL statements for 80 rows and "
                 f"{one} for a one-row search.")

