"""OpenSearch REST requests: the `do:` steps of the YAML REST tests in OpenSearch's rest-api-spec jar.

org.opensearch:rest-api-spec:3.0.0 (Maven Central, Apache-2.0) holds rest-api-spec/api/*.json and
rest-api-spec/test/**/*.yml in the same format as Elasticsearch 7.10.2, from which OpenSearch
forked; the translation and the label rule are those of api_es_yaml_tests.py (same API names;
OpenSearch's own APIs — point-in-time, search pipelines, cat.cluster_manager — are placed there
too). To keep the two sources distinct, a request that is exactly (method, path, body) one of
the Elasticsearch 7.10.2 jar's requests is left out here.
"""

import api_es_yaml_tests as es
import registry

JAR = ("org.opensearch", "rest-api-spec", "3.0.0")

SOURCE = {
    "name": "os-yaml-tests",
    "package": "maven:org.opensearch:rest-api-spec:3.0.0",
    "version": "3.0.0",
    "licence": "Apache-2.0 (META-INF/LICENSE.txt and NOTICE.txt in the jar)",
    "url": "https://github.com/opensearch-project/OpenSearch/tree/3.0.0/rest-api-spec",
    "label_rule": es.RULE + " Requests identical (method, path, body) to one of "
    "maven:org.elasticsearch:rest-api-spec:7.10.2 are dropped.",
}


def rows():
    es_jar = registry.maven(*es.JAR)
    archive = registry.maven(*JAR)
    return es.collect(SOURCE["name"], archive, archive.name, exclude=es.all_requests(es_jar, es_jar.name))
