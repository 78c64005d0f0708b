package dev.semlb.worker;

import dev.semlb.config.DaemonThreads;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a worker registered with the xds-server: registers at start, re-registers every third of
 * the lease (a registration renews an existing lease and re-creates a lost one, so an xds-server
 * restart heals by itself), and deregisters on close. A failed call is logged and tried again at
 * the next beat; the worker serves regardless. Thread-safe.
 */
final class Registrar implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Registrar.class);

  private final Registration registration;
  private final String pool;
  private final String address;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final ScheduledExecutorService beats =
      Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("worker-register-"));

  private Registrar(Registration registration, String pool, String address) {
    this.registration = registration;
    this.pool = pool;
    this.address = address;
  }

  /** Registers {@code address} in {@code pool} now and keeps the lease alive. */
  static Registrar start(Registration registration, String pool, String address) {
    Registrar registrar = new Registrar(registration, pool, address);
    long every = Math.max(250, registration.ttl().toMillis() / 3);
    registrar.beats.scheduleWithFixedDelay(registrar::register, 0, every, TimeUnit.MILLISECONDS);
    return registrar;
  }

  private URI endpoints() {
    String base = registration.xdsAdmin().toString().replaceAll("/+$", "");
    return URI.create(
        base + "/api/pools/" + URLEncoder.encode(pool, StandardCharsets.UTF_8) + "/endpoints");
  }

  private void register() {
    String body =
        "{\"address\":\""
            + address
            + "\",\"weight\":"
            + registration.weight()
            + ",\"version\":\""
            + registration.version()
            + "\",\"ttlSeconds\":"
            + registration.ttl().toSeconds()
            + "}";
    send(
        HttpRequest.newBuilder(endpoints())
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .header("Content-Type", "application/json"),
        "register");
  }

  private void send(HttpRequest.Builder request, String what) {
    if (!registration.token().isEmpty()) {
      request.header("Authorization", "Bearer " + registration.token());
    }
    try {
      HttpResponse<String> response =
          http.send(
              request.timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() >= 300) {
        log.warn(
            "{} {} in pool {} with {}: HTTP {} {}",
            what,
            address,
            pool,
            registration.xdsAdmin(),
            response.statusCode(),
            response.body());
      } else {
        log.debug("{} {} in pool {}: HTTP {}", what, address, pool, response.statusCode());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.warn(
          "{} {} in pool {} with {} failed: {}",
          what,
          address,
          pool,
          registration.xdsAdmin(),
          e.toString());
    }
  }

  /** Stops the heartbeat and deregisters, so traffic stops at once rather than at lease end. */
  @Override
  public void close() {
    beats.shutdownNow();
    send(
        HttpRequest.newBuilder(
                URI.create(endpoints() + "/" + URLEncoder.encode(address, StandardCharsets.UTF_8)))
            .DELETE(),
        "deregister");
  }
}
