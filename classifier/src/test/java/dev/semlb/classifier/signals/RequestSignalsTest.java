package dev.semlb.classifier.signals;

import static dev.semlb.classifier.signals.SignalFixtures.get;
import static dev.semlb.classifier.signals.SignalFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The request signals on requests of known shape. */
class RequestSignalsTest {

  @Test
  void bodilessReadOfOneRecord() {
    double[] v = RequestSignals.of(request("GET", "/v1/users/4711", "", ""));

    assertThat(get(v, Signal.METHOD_GET)).isEqualTo(1);
    assertThat(get(v, Signal.SAFE)).isEqualTo(1);
    assertThat(get(v, Signal.HAS_BODY)).isZero();
    assertThat(get(v, Signal.PATH_ENDS_IN_ID)).isEqualTo(1);
    assertThat(get(v, Signal.PATH_VERSION)).isEqualTo(1);
    assertThat(v).hasSize(Signal.values().length);
  }

  @Test
  void ndjsonBulkCountsLines_andUnderscoreAction() {
    String body =
        "{\"index\":{\"_id\":\"1\"}}\n{\"title\":\"a\"}\n{\"index\":{\"_id\":\"2\"}}\n{\"title\":\"b\"}\n";
    double[] v =
        RequestSignals.of(
            request("POST", "/books/_bulk?refresh=true", "application/x-ndjson", body));

    assertThat(get(v, Signal.TYPE_NDJSON)).isEqualTo(1);
    assertThat(get(v, Signal.NDJSON_LINES)).isGreaterThan(0.2);
    assertThat(get(v, Signal.PATH_UNDERSCORE_ACTION)).isEqualTo(1);
    assertThat(get(v, Signal.WORD_BULK)).isEqualTo(1);
  }

  @Test
  void massWrites_areCollectionWritesWithAnArrayBodyOrAFilter() {
    String ids = "[{\"id\":42},{\"id\":43}]";
    assertThat(
            get(
                RequestSignals.of(request("PATCH", "/api/dcim/devices/", "application/json", ids)),
                Signal.MASS_WRITE))
        .isEqualTo(1);
    assertThat(
            get(
                RequestSignals.of(request("DELETE", "/v2/droplets?tag_name=env", "", "")),
                Signal.MASS_WRITE))
        .isEqualTo(1);
    // One record, a plain create, a read, and an underscore action are not.
    assertThat(
            get(
                RequestSignals.of(
                    request("PATCH", "/api/dcim/devices/42", "application/json", "{\"a\":1}")),
                Signal.MASS_WRITE))
        .isZero();
    assertThat(
            get(
                RequestSignals.of(request("POST", "/api/dcim/devices/", "application/json", ids)),
                Signal.MASS_WRITE))
        .isZero();
    assertThat(
            get(
                RequestSignals.of(request("GET", "/v2/droplets?tag_name=env", "", "")),
                Signal.MASS_WRITE))
        .isZero();
    assertThat(
            get(
                RequestSignals.of(request("PUT", "/_aliases?timeout=1s", "", "")),
                Signal.MASS_WRITE))
        .isZero();
  }

  @Test
  void maintenanceWords_andPostsThatStartJobs() {
    assertThat(
            get(
                RequestSignals.of(request("POST", "/v1.41/images/prune", "", "")),
                Signal.WORD_MAINTENANCE))
        .isEqualTo(1);
    assertThat(
            get(
                RequestSignals.of(request("PUT", "/source/_shrink/target", "", "")),
                Signal.WORD_MAINTENANCE))
        .isEqualTo(1);
    assertThat(
            get(RequestSignals.of(request("GET", "/v1/users/42", "", "")), Signal.WORD_MAINTENANCE))
        .isZero();

    assertThat(
            get(
                RequestSignals.of(
                    request("POST", "/threads/thread_abc/runs", "application/json", "{}")),
                Signal.STARTS_JOB))
        .isEqualTo(1);
    assertThat(
            get(RequestSignals.of(request("POST", "/v1/pipelineJobs", "", "")), Signal.STARTS_JOB))
        .isEqualTo(1);
    assertThat(
            get(
                RequestSignals.of(request("POST", "/finance/simulations", "", "")),
                Signal.STARTS_JOB))
        .isEqualTo(1);
    // Reading the runs, or a POST to an ordinary collection, starts nothing.
    assertThat(
            get(
                RequestSignals.of(request("GET", "/threads/thread_abc/runs", "", "")),
                Signal.STARTS_JOB))
        .isZero();
    assertThat(get(RequestSignals.of(request("POST", "/v1/customers", "", "")), Signal.STARTS_JOB))
        .isZero();
  }

  @Test
  void pageSizes_fromQueryAndJson() {
    double[] small = RequestSignals.of(request("GET", "/items?limit=5&page=2", "", ""));
    double[] large =
        RequestSignals.of(
            request("POST", "/items/_search", "application/json", "{\"size\": 10000}"));

    assertThat(get(small, Signal.PAGING)).isEqualTo(1);
    assertThat(get(large, Signal.PAGE_SIZE)).isGreaterThan(get(small, Signal.PAGE_SIZE));
    assertThat(get(large, Signal.WORD_SEARCH)).isEqualTo(1);
  }

  @Test
  void graphqlStructure() {
    String shallow = "{\"query\": \"{ viewer { login name } }\"}";
    String deep =
        "{\"query\": \"query { repository(owner: \\\"a\\\", name: \\\"b\\\") { issues(first: 100) { edges"
            + " { node { title comments(first: 50) { nodes { body author { login } } } } } } } }\"}";
    String mutation =
        "{\"query\": \"mutation { addStar(input: {starrableId: \\\"x\\\"}) { clientMutationId } }\"}";
    double[] s = RequestSignals.of(request("POST", "/graphql", "application/json", shallow));
    double[] d = RequestSignals.of(request("POST", "/graphql", "application/json", deep));
    double[] m = RequestSignals.of(request("POST", "/graphql", "application/json", mutation));

    assertThat(get(s, Signal.GQL_QUERY)).isEqualTo(1);
    assertThat(get(d, Signal.GQL_DEPTH)).isGreaterThan(get(s, Signal.GQL_DEPTH));
    assertThat(get(d, Signal.GQL_PAGE_SIZE)).isGreaterThan(0.5);
    assertThat(get(d, Signal.GQL_CONNECTIONS)).isGreaterThan(0);
    assertThat(get(m, Signal.GQL_MUTATION)).isEqualTo(1);
    assertThat(get(m, Signal.GQL_QUERY)).isZero();
  }

  @Test
  void graphqlOperationType_isTheFirstOperations_afterCommentsAndFragments() {
    String commented =
        "{\"query\": \"#graphql\\n  mutation customerUpdate($c: CustomerUpdateInput!) {"
            + " customerUpdate(customer: $c) { customer { id } } }\"}";
    String fragmentFirst =
        "{\"query\": \"fragment F on Customer { id email } mutation M { customerCreate { customer"
            + " { ...F } } }\"}";
    String fragmentThenQuery =
        "{\"query\": \"#graphql\\nfragment mutation on Shop { name } query Shop { shop {"
            + " ...mutation } }\"}";
    String shorthand = "{\"query\": \"# read the viewer\\n{ viewer { login } }\"}";

    for (String body : new String[] {commented, fragmentFirst}) {
      double[] v = RequestSignals.of(request("POST", "/graphql", "application/json", body));
      assertThat(get(v, Signal.TYPE_GRAPHQL)).as(body).isEqualTo(1);
      assertThat(get(v, Signal.GQL_MUTATION)).as(body).isEqualTo(1);
      assertThat(get(v, Signal.GQL_QUERY)).as(body).isZero();
      assertThat(get(v, Signal.GQL_DEPTH)).as(body).isGreaterThan(0);
    }
    for (String body : new String[] {fragmentThenQuery, shorthand}) {
      double[] v = RequestSignals.of(request("POST", "/graphql", "application/json", body));
      assertThat(get(v, Signal.TYPE_GRAPHQL)).as(body).isEqualTo(1);
      assertThat(get(v, Signal.GQL_QUERY)).as(body).isEqualTo(1);
      assertThat(get(v, Signal.GQL_MUTATION)).as(body).isZero();
    }
  }

  @Test
  void sqlAggregationAndJoins() {
    double[] agg =
        RequestSignals.of(
            request(
                "POST",
                "/sql",
                "application/json",
                "{\"query\": \"SELECT region, SUM(amount) FROM orders o JOIN customers c ON o.cid = c.id GROUP BY region\"}"));
    double[] point =
        RequestSignals.of(
            request(
                "POST",
                "/sql",
                "application/json",
                "{\"query\": \"SELECT name FROM users WHERE id = 7\"}"));

    assertThat(get(agg, Signal.SQL_AGGREGATE)).isEqualTo(1);
    assertThat(get(agg, Signal.SQL_JOIN)).isEqualTo(1);
    assertThat(get(point, Signal.SQL_SELECT)).isEqualTo(1);
    assertThat(get(point, Signal.SQL_AGGREGATE)).isZero();
  }

  @Test
  void boundedOnHugeOrHostileInput() {
    String path = "/a" + "/x".repeat(100_000);
    String deep = "[".repeat(100) + "]".repeat(100);
    double[] v = RequestSignals.of(request("GET", path + "?" + "k=1&".repeat(10_000), "", ""));
    double[] d = RequestSignals.of(request("POST", "/x", "application/json", deep));

    assertThat(java.util.Arrays.stream(v).boxed().toList()).allMatch(Double::isFinite);
    assertThat(java.util.Arrays.stream(d).boxed().toList())
        .allMatch(x -> Double.isFinite(x) && x <= 1.5 && x >= 0);
  }
}
