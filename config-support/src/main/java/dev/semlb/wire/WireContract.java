package dev.semlb.wire;

/**
 * The names Envoy, ext-proc-service, xds-server and the workers agree on, in one place. Each one
 * also appears in Envoy configuration ({@code envoy/envoy.yaml}, {@code k8s/envoy/envoy.yaml},
 * {@code deploy/compose/envoy.yaml}) or in what clients read, so changing a value here means
 * changing those files in the same commit.
 *
 * <ul>
 *   <li>{@link #POOL_HEADER}: set by ext-proc-service, matched by the route table that xds-server
 *       serves, stripped from client requests by Envoy, forwarded to workers;
 *   <li>{@link #DECISION_HEADER}: optional, set by ext-proc-service for debugging;
 *   <li>{@link #COST_KEY_HEADER}: set by ext-proc-service on every routed request (prefixed with
 *       {@code <weight>*} when its shape's feedback is sampled; {@code 0*} ones are not logged),
 *       stripped from client requests by Envoy, read back from Envoy's access log stream (cost
 *       feedback);
 *   <li>{@link #SERVER_TIMING_HEADER}: the upstreams' own processing time, logged by Envoy;
 *   <li>{@link #GRPC_STATUS}: a gRPC call's outcome (a response trailer, or a header of a
 *       trailers-only answer), logged by Envoy so a failed call counts as an error;
 *   <li>{@link #FEEDBACK_LOG_NAME}: the {@code log_name} of Envoy's gRPC access log to semlb;
 *   <li>{@link #NATIVE_ROUTE_WEIGHT_TAG}: the access log's custom tag that says how many requests
 *       each logged native-route entry stands for (Envoy logs a sample of them);
 *   <li>{@link #SERVED_BY_POOL_HEADER}, {@link #SERVED_BY_WORKER_HEADER}: set by the demo workers
 *       on every response, read by the end-to-end tests, benchmarks and dashboard;
 *   <li>{@link #SERVED_BY_MODEL_HEADER}, {@link #REQUESTED_MODEL_HEADER}: set by the demo model
 *       servers (workers with {@code --llm-model}): the model that served, and the {@code model}
 *       the request arrived with (after semlb's rewrite);
 *   <li>{@link #ROUTE_CONFIG_NAME}, {@link #CLUSTER_PREFIX}: the RDS route configuration the Envoy
 *       bootstrap asks xds-server for, and the prefix of each pool's cluster;
 *   <li>{@link #EXT_PROC_FILTER_NAME}: the ext_proc filter's name, which native routes (rules Envoy
 *       decides itself) disable per route;
 *   <li>{@link #USAGE_FILTER_NAME}, {@link #USAGE_POOL_METADATA}: the second ext_proc filter, which
 *       observes LLM responses (usage metrics) on the routes xds-server enables it on, and the gRPC
 *       metadata key in which those routes name their pool to ext-proc-service;
 *   <li>{@link #RATE_LIMIT_FILTER_NAME}: the local rate limit filter's name, which xds-server's
 *       route table configures per virtual host and route (per-pool rate limits);
 *   <li>{@link #EXT_PROC_CLUSTER}: the Envoy bootstrap's cluster of ext-proc-service, which the
 *       upstream ext_proc filter of xds-server's model pool clusters names;
 *   <li>{@link #HOST_METADATA_NAMESPACE}, {@link #HOST_MODEL_KEY}, {@link #HOST_MODEL_ATTRIBUTE},
 *       {@link #UPSTREAM_STREAM_METADATA}: the model an endpoint serves, as xds-server writes it
 *       into the endpoint's metadata, and how the upstream ext_proc filter asks for it and tells
 *       ext-proc-service that a stream is a per-attempt (upstream) one; {@link #MODEL_HEADER}: the
 *       model the body names, from the downstream filter to the upstream one.
 * </ul>
 *
 * Header names are lower case, as HTTP/2 and Envoy carry them. Constants only.
 */
public final class WireContract {

  /** The header that carries the chosen pool from ext-proc-service to Envoy's route table. */
  public static final String POOL_HEADER = "x-semantic-pool";

  /** The optional debugging header with the deciding stage and confidence. */
  public static final String DECISION_HEADER = "x-semantic-decision";

  /** The request shape ({@code CostKey}) a request's measured cost is recorded under. */
  public static final String COST_KEY_HEADER = "x-semlb-cost-key";

  /** The W3C response header in which an upstream reports its own processing time. */
  public static final String SERVER_TIMING_HEADER = "server-timing";

  /**
   * The gRPC status of a call: a response trailer, or a header when the answer is trailers-only.
   * Its HTTP status is 200 either way.
   */
  public static final String GRPC_STATUS = "grpc-status";

  /** The name Envoy's gRPC access logger gives the cost feedback stream. */
  public static final String FEEDBACK_LOG_NAME = "semlb-feedback";

  /**
   * The custom tag of semlb's access log whose value is the number of requests each logged
   * native-route entry stands for: Envoy logs 1 in that many of the requests native routes decide
   * (the access log filter's {@code runtime_filter}), and ext-proc-service counts each logged one
   * that many times. Absent: 1.
   */
  public static final String NATIVE_ROUTE_WEIGHT_TAG = "semlb-native-route-weight";

  /** The response header naming the pool of the worker that answered. */
  public static final String SERVED_BY_POOL_HEADER = "x-served-by-pool";

  /** The response header naming the worker that answered. */
  public static final String SERVED_BY_WORKER_HEADER = "x-served-by-worker";

  /** The response header naming the model of the demo model server that answered. */
  public static final String SERVED_BY_MODEL_HEADER = "x-served-by-model";

  /** The response header in which a demo model server echoes the {@code model} it was sent. */
  public static final String REQUESTED_MODEL_HEADER = "x-requested-model";

  /** The route configuration name the Envoy bootstrap asks xds-server for over RDS. */
  public static final String ROUTE_CONFIG_NAME = "semlb_pools";

  /**
   * The name of the ext_proc HTTP filter in every Envoy config; native routes turn it off by this
   * name ({@code typed_per_filter_config}).
   */
  public static final String EXT_PROC_FILTER_NAME = "envoy.filters.http.ext_proc";

  /**
   * The name of the observing ext_proc HTTP filter (LLM usage metrics): off unless a route turns it
   * on ({@code typed_per_filter_config}), which xds-server does for the routes of pools that name a
   * model.
   */
  public static final String USAGE_FILTER_NAME = "semlb.llm_usage";

  /**
   * The gRPC metadata key (initial metadata of the ext_proc stream) with which a route that
   * observes LLM usage names its pool; a stream that carries it is an observation, never answered.
   */
  public static final String USAGE_POOL_METADATA = "x-semlb-usage-pool";

  /**
   * The name of the local rate limit HTTP filter in every Envoy config (after ext_proc, before the
   * router); the route table from xds-server configures it ({@code typed_per_filter_config}).
   */
  public static final String RATE_LIMIT_FILTER_NAME = "envoy.filters.http.local_ratelimit";

  /** The Envoy bootstrap's (static) cluster of ext-proc-service. */
  public static final String EXT_PROC_CLUSTER = "semlb_ext_proc";

  /** The {@code filter_metadata} namespace of what xds-server writes on an endpoint. */
  public static final String HOST_METADATA_NAMESPACE = "semlb";

  /** The key, in {@link #HOST_METADATA_NAMESPACE}, of the model an endpoint serves. */
  public static final String HOST_MODEL_KEY = "model";

  /**
   * The request attribute (a CEL expression) the upstream ext_proc filter sends: the chosen host's
   * model. Envoy reports it under this very text in {@code ProcessingRequest.attributes}.
   */
  public static final String HOST_MODEL_ATTRIBUTE =
      "xds.upstream_host_metadata.filter_metadata['"
          + HOST_METADATA_NAMESPACE
          + "']['"
          + HOST_MODEL_KEY
          + "']";

  /**
   * The gRPC metadata key (with the value {@code upstream}) on the ext_proc streams the upstream
   * filter opens, one per attempt, after Envoy chose the host.
   */
  public static final String UPSTREAM_STREAM_METADATA = "x-semlb-ext-proc-stage";

  /**
   * The model a request's body names after ext-proc-service's routing (LLM gateway), set by it on
   * requests with a model; the upstream filter's stream skips the body when it is the chosen host's
   * model, and removes the header before the request leaves Envoy.
   */
  public static final String MODEL_HEADER = "x-semlb-model";

  /** The prefix of every pool's Envoy cluster: {@code semlb-pool-<pool>}. */
  public static final String CLUSTER_PREFIX = "semlb-pool-";

  private WireContract() {}
}
