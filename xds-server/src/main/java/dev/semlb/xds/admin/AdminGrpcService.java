package dev.semlb.xds.admin;

import dev.semlb.xds.api.v1.GetStatusRequest;
import dev.semlb.xds.api.v1.ListPoolsRequest;
import dev.semlb.xds.api.v1.ListPoolsResponse;
import dev.semlb.xds.api.v1.PoolAdminGrpc;
import dev.semlb.xds.api.v1.ReloadRequest;
import dev.semlb.xds.api.v1.ReloadResponse;
import dev.semlb.xds.api.v1.RemoveRateLimitRequest;
import dev.semlb.xds.api.v1.SetRateLimitRequest;
import dev.semlb.xds.api.v1.SetTrafficWeightsRequest;
import dev.semlb.xds.api.v1.Status;
import dev.semlb.xds.pools.Pool;
import dev.semlb.xds.pools.RateLimit;
import dev.semlb.xds.snapshot.ServedPools;
import dev.semlb.xds.snapshot.SnapshotPublisher;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code semlb.admin.v1.PoolAdmin} gRPC service: status, pools, live traffic weights, live rate
 * limits and reload, the same operations as the JSON API for automation. Access is checked by
 * {@link AdminAuth}. Errors: an unknown pool is {@code NOT_FOUND}, bad weights or limits {@code
 * INVALID_ARGUMENT} with the reason (and nothing changes). Thread-safe (state lives in the
 * publisher).
 */
public final class AdminGrpcService extends PoolAdminGrpc.PoolAdminImplBase {

  private static final Logger log = LoggerFactory.getLogger(AdminGrpcService.class);

  private final SnapshotPublisher publisher;
  private final XdsAdmin admin;
  private final Supplier<Optional<String>> reload;
  private final Clock clock;

  /**
   * @param publisher the served pools
   * @param admin reload and NACK counters
   * @param reload re-reads the pools file; gives the reason when the file was rejected
   * @param clock for lease times
   */
  public AdminGrpcService(
      SnapshotPublisher publisher, XdsAdmin admin, Supplier<Optional<String>> reload, Clock clock) {
    this.publisher = publisher;
    this.admin = admin;
    this.reload = reload;
    this.clock = clock;
  }

  @Override
  public void getStatus(GetStatusRequest request, StreamObserver<Status> out) {
    ServedPools served = publisher.served();
    Status.Builder status =
        Status.newBuilder()
            .setSnapshotVersion(publisher.version())
            .setConnectedStreams(admin.connectedStreams())
            .setNacks(admin.nacks())
            .setReloadsSucceeded(admin.reloadsSucceeded())
            .setReloadsFailed(admin.reloadsFailed());
    if (served != null) {
      status
          .setDefaultPool(served.config().defaultPool())
          .setPools(served.config().pools().size())
          .setEndpoints(served.endpoints().values().stream().mapToInt(java.util.List::size).sum());
    }
    out.onNext(status.build());
    out.onCompleted();
  }

  @Override
  public void listPools(ListPoolsRequest request, StreamObserver<ListPoolsResponse> out) {
    out.onNext(
        PoolMessages.list(
            publisher.served(),
            new Leases(publisher.registry(), clock),
            publisher.version(),
            admin.connectedStreams()));
    out.onCompleted();
  }

  @Override
  public void setTrafficWeights(
      SetTrafficWeightsRequest request, StreamObserver<dev.semlb.xds.api.v1.Pool> out) {
    ServedPools served = publisher.served();
    if (served == null || served.config().pool(request.getPool()).isEmpty()) {
      out.onError(notFound(request.getPool(), served));
      return;
    }
    Map<String, Integer> weights = new LinkedHashMap<>();
    request.getWeightsMap().forEach((version, weight) -> weights.put(version, weight));
    try {
      publisher.setVersionWeights(request.getPool(), weights);
    } catch (IllegalArgumentException e) {
      out.onError(
          io.grpc.Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
      return;
    }
    ServedPools now = publisher.served();
    out.onNext(pool(now.config().pool(request.getPool()).orElseThrow(), now));
    out.onCompleted();
  }

  @Override
  public void setRateLimit(
      SetRateLimitRequest request, StreamObserver<dev.semlb.xds.api.v1.Pool> out) {
    if (!request.hasRateLimit()) {
      out.onError(
          io.grpc.Status.INVALID_ARGUMENT
              .withDescription("rate_limit: missing (expected: a rate, or RemoveRateLimit)")
              .asRuntimeException());
      return;
    }
    RateLimit limit;
    try {
      limit = RateLimitInput.fromProto(request.getRateLimit());
    } catch (IllegalArgumentException e) {
      out.onError(
          io.grpc.Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
      return;
    }
    changeRateLimit(request.getPool(), Optional.of(limit), out);
  }

  @Override
  public void removeRateLimit(
      RemoveRateLimitRequest request, StreamObserver<dev.semlb.xds.api.v1.Pool> out) {
    changeRateLimit(request.getPool(), Optional.empty(), out);
  }

  private void changeRateLimit(
      String name, Optional<RateLimit> limit, StreamObserver<dev.semlb.xds.api.v1.Pool> out) {
    ServedPools served = publisher.served();
    if (served == null || served.config().pool(name).isEmpty()) {
      out.onError(notFound(name, served));
      return;
    }
    try {
      publisher.setRateLimit(name, limit);
    } catch (IllegalArgumentException e) { // the pool went away with a reload meanwhile
      out.onError(io.grpc.Status.NOT_FOUND.withDescription(e.getMessage()).asRuntimeException());
      return;
    }
    log.info("pool {}: rate limit now {}", name, limit.map(Object::toString).orElse("none"));
    ServedPools now = publisher.served();
    out.onNext(pool(now.config().pool(name).orElseThrow(), now));
    out.onCompleted();
  }

  private static io.grpc.StatusRuntimeException notFound(String pool, ServedPools served) {
    return io.grpc.Status.NOT_FOUND
        .withDescription(
            "pool: '"
                + pool
                + "' (expected: one of "
                + (served == null ? "[]" : served.config().poolNames())
                + ")")
        .asRuntimeException();
  }

  @Override
  public void reload(ReloadRequest request, StreamObserver<ReloadResponse> out) {
    Optional<String> error = reload.get();
    out.onNext(
        ReloadResponse.newBuilder()
            .setOk(error.isEmpty())
            .setError(error.orElse(""))
            .setSnapshotVersion(publisher.version())
            .build());
    out.onCompleted();
  }

  private dev.semlb.xds.api.v1.Pool pool(Pool pool, ServedPools served) {
    return PoolMessages.pool(pool, served, new Leases(publisher.registry(), clock));
  }
}
