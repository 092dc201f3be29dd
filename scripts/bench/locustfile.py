"""The mixed workload of the `load` bench section (load.py), for Locust: departments list,
filter and open their organizations and annual reports through the API; staff open admin
changelists. Run by load.py against gunicorn on 127.0.0.1 only, headless and for a bounded
time; it reads its credentials from the environment (never from the project: Locust runs in
its own process, under gevent, without Django):

    LOAD_DEPARTMENT_TOKEN  an API token of a department user (load.py issues and revokes it)
    LOAD_STAFF_SESSION     a session key of a staff user (load.py logs it in and out)
"""

from __future__ import annotations

import os
import random

from locust import HttpUser, between, task

ORG_TYPES = ("social_group", "private_non_enterprise", "foundation")
SHORT_TERMS = ("协会", "春晖", "福田", "服务")


class Department(HttpUser):
    """A department integrator's client: its own organizations only (scoped by its token)."""

    weight = 4
    wait_time = between(0.05, 0.2)

    def on_start(self) -> None:
        self.client.headers["Authorization"] = f"Token {os.environ['LOAD_DEPARTMENT_TOKEN']}"
        self.usccs: list[str] = []

    @task(4)
    def list_organizations(self) -> None:
        page = random.randint(1, 20)
        with self.client.get(
            f"/api/v1/organizations/?ordering=name&page_size=50&page={page}",
            name="/api/v1/organizations/ (page)",
            catch_response=True,
        ) as response:
            if response.status_code == 200:
                self.usccs = [row["uscc"] for row in response.json()["results"]] or self.usccs

    @task(3)
    def filter_organizations(self) -> None:
        self.client.get(
            "/api/v1/organizations/?status=active&ordering=name&page_size=50"
            f"&org_type={random.choice(ORG_TYPES)}",
            name="/api/v1/organizations/ (filtered)",
        )

    @task(3)
    def open_organization(self) -> None:
        if self.usccs:
            self.client.get(
                f"/api/v1/organizations/{random.choice(self.usccs)}/",
                name="/api/v1/organizations/{uscc}/",
            )

    @task(2)
    def list_annual_reports(self) -> None:
        self.client.get(
            f"/api/v1/annual-reports/?year={random.choice((2022, 2023, 2024))}&page_size=50",
            name="/api/v1/annual-reports/",
        )


class Staff(HttpUser):
    """A bureau clerk in the admin: the register's changelist, searched and filtered."""

    weight = 1
    wait_time = between(0.2, 0.5)

    def on_start(self) -> None:
        self.client.cookies.set("sessionid", os.environ["LOAD_STAFF_SESSION"])

    @task(2)
    def organization_changelist(self) -> None:
        self.client.get("/admin/registry/organization/", name="/admin/registry/organization/")

    @task(2)
    def organization_search(self) -> None:
        self.client.get(
            f"/admin/registry/organization/?q={random.choice(SHORT_TERMS)}",
            name="/admin/registry/organization/?q=",
        )

    @task(1)
    def proposals_changelist(self) -> None:
        self.client.get(
            "/admin/oversight/creditproposal/?status=suggested",
            name="/admin/oversight/creditproposal/",
        )
