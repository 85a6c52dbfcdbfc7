"""Property-based requests generated from /api/schema/ (schemathesis, bounded): no server error, and
every response with a documented status is what the schema says."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from tests.factories import make_document

from .conftest import make_gazette_issue


# Loaded when the module is collected (schemathesis' lazy fixture loader does not work with pytest 9);
# generating the schema reads no database.
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())


@pytest.fixture
def api_data(db, settings, notice, gongan, gongan_clerk, publish):
    # Data for the generated requests to find, and the rate limit out of the way of a few hundred requests.
    settings.API_ANON_RATE = "100000/min"
    make_gazette_issue([notice, publish(make_document(gongan, gongan_clerk, title="=1+1"))])
    # The real WSGI handler closes the database connection after each request, which would end the
    # test's transaction (on PostgreSQL); Django's test client keeps it open the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
# Bounded and repeatable, so make test takes seconds and fails the same way twice; no example database
# is written into the work tree.
@settings(max_examples=25, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much])
def test_api_answers_every_generated_request_as_its_schema_says(case, api_data):
    case.call_and_validate(checks=[not_a_server_error, response_schema_conformance, content_type_conformance])
