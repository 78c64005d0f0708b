package dev.semlb.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.TextFormat;
import dev.semlb.e2e.support.EnvoyProcess;
import dev.semlb.e2e.support.ExtProcAdmin;
import dev.semlb.e2e.support.SemlbStack;
import dev.semlb.e2e.support.SemlbStackExtension;
import dev.semlb.wire.WireContract;
import dev.semlb.worker.GrpcWorker;
import dev.semlb.worker.WorkProfile;
import dev.semlb.worker.WorkerConfig;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * gRPC through the real Envoy: a grpc-java client over HTTP/2 cleartext to the listener, gRPC demo
 * workers ({@code --grpc}) as every pool's endpoints, and config/examples/grpc-routing.yaml as the
 * routing file. Calls land in the pools their service, method and message fields choose; a client's
 * own pool header never decides; streaming calls flow both ways without waiting for their end; with
 * ext-proc-service gone, calls are still answered (OK) by the default pool.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GrpcRoutingIT {

  private static final Logger log = LoggerFactory.getLogger(GrpcRoutingIT.class);

  @RegisterExtension
  static final SemlbStackExtension STACK = SemlbStackExtension.builder("target/it/grpc").build();

  private static final List<GrpcWorker> WORKERS = new ArrayList<>();
  private static final Map<String, Descriptor> INPUTS = new HashMap<>();
  private static final Metadata.Key<String> SERVED_BY =
      Metadata.Key.of(WireContract.SERVED_BY_POOL_HEADER, Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<String> POOL_HEADER =
      Metadata.Key.of(WireContract.POOL_HEADER, Metadata.ASCII_STRING_MARSHALLER);
  private static ManagedChannel channel;

  @BeforeAll
  static void grpcStack() throws Exception {
    Path examples = EnvoyProcess.repoRoot().resolve("config/examples");
    readDescriptors(examples.resolve("grpc-demo.pb"));
    StringBuilder pools = new StringBuilder("pools:\n");
    for (String pool : SemlbStack.POOLS) {
      GrpcWorker worker =
          GrpcWorker.start(
              new WorkerConfig(
                  pool, "127.0.0.1", 0, pool + "-grpc", WorkProfile.NONE, null, null, true));
      WORKERS.add(worker);
      // A gRPC health check makes xds-server give the pool's cluster HTTP/2.
      pools
          .append("  - name: ")
          .append(pool)
          .append("\n    healthCheck: { grpc: true, intervalMs: 500 }")
          .append("\n    endpoints:\n      - 127.0.0.1:")
          .append(worker.port())
          .append('\n');
    }
    SemlbStack stack = STACK.stack();
    Files.copy(
        examples.resolve("grpc-demo.pb"),
        stack.routingFile().resolveSibling("grpc-demo.pb"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    stack.overwritePools(pools.toString());
    stack.overwriteRouting(Files.readString(examples.resolve("grpc-routing.yaml")));
    channel =
        NettyChannelBuilder.forAddress("127.0.0.1", stack.listenerPort()).usePlaintext().build();
    long deadline = System.nanoTime() + 20_000_000_000L;
    Answer probe = null;
    while (System.nanoTime() < deadline) {
      probe = unary("semlb.demo.v1.Search/Query", "query: 'probe'", new Metadata());
      if (probe.status().isOk() && "fast-path".equals(probe.pool())) {
        break;
      }
      Thread.sleep(200);
    }
    assertThat(probe).isNotNull();
    assertThat(probe.pool()).as("gRPC routing is live: " + probe).isEqualTo("fast-path");
  }

  @AfterAll
  static void stopWorkers() {
    if (channel != null) {
      channel.shutdownNow();
    }
    WORKERS.forEach(GrpcWorker::close);
  }

  private static void readDescriptors(Path file) throws Exception {
    Map<String, FileDescriptor> built = new HashMap<>();
    for (var proto : FileDescriptorSet.parseFrom(Files.readAllBytes(file)).getFileList()) {
      FileDescriptor[] deps =
          proto.getDependencyList().stream().map(built::get).toArray(FileDescriptor[]::new);
      FileDescriptor fd = FileDescriptor.buildFrom(proto, deps);
      built.put(proto.getName(), fd);
      fd.getServices()
          .forEach(
              s ->
                  s.getMethods()
                      .forEach(
                          m -> INPUTS.put(s.getFullName() + "/" + m.getName(), m.getInputType())));
    }
  }

  record Answer(Status status, String pool, int messages, long millis) {}

  private static byte[] message(String method, String text) throws Exception {
    DynamicMessage.Builder builder = DynamicMessage.newBuilder(INPUTS.get(method));
    TextFormat.merge(text, builder);
    return builder.build().toByteArray();
  }

  /** An open call: messages come into a queue; headers and status into futures. */
  private static final class Call {
    final ClientCall<byte[], byte[]> call;
    final BlockingQueue<byte[]> messages = new LinkedBlockingQueue<>();
    final CompletableFuture<Metadata> headers = new CompletableFuture<>();
    final CompletableFuture<Status> status = new CompletableFuture<>();
    final long start = System.nanoTime();

    Call(String method, MethodDescriptor.MethodType type, Metadata metadata) {
      call =
          channel.newCall(
              MethodDescriptor.<byte[], byte[]>newBuilder()
                  .setType(type)
                  .setFullMethodName(method)
                  .setRequestMarshaller(GrpcWorker.BYTES)
                  .setResponseMarshaller(GrpcWorker.BYTES)
                  .build(),
              CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS));
      call.start(
          new ClientCall.Listener<>() {
            @Override
            public void onHeaders(Metadata h) {
              headers.complete(h);
            }

            @Override
            public void onMessage(byte[] message) {
              messages.add(message);
            }

            @Override
            public void onClose(Status s, Metadata trailers) {
              headers.complete(new Metadata());
              status.complete(s);
            }
          },
          metadata);
      call.request(Integer.MAX_VALUE);
    }

    Answer end() throws Exception {
      Status s = status.get(15, TimeUnit.SECONDS);
      return new Answer(
          s,
          headers.get(1, TimeUnit.SECONDS).get(SERVED_BY),
          messages.size(),
          (System.nanoTime() - start) / 1_000_000);
    }
  }

  private static Answer unary(String method, String text, Metadata metadata) throws Exception {
    Call call = new Call(method, MethodDescriptor.MethodType.UNARY, metadata);
    call.call.sendMessage(message(method, text));
    call.call.halfClose();
    return call.end();
  }

  private static Metadata spoofed(String pool) {
    Metadata metadata = new Metadata();
    metadata.put(POOL_HEADER, pool);
    return metadata;
  }

  @Test
  @Order(1)
  void callsLandInThePoolsTheirServiceMethodAndFieldsChoose() throws Exception {
    Map<String, Answer> answers = new java.util.LinkedHashMap<>();
    answers.put(
        "gold order",
        unary("semlb.demo.v1.Orders/Create", "customer { id: 'c1' tier: GOLD }", new Metadata()));
    answers.put(
        "standard order",
        unary(
            "semlb.demo.v1.Orders/Create", "customer { id: 'c2' tier: STANDARD }", new Metadata()));
    answers.put("get", unary("semlb.demo.v1.Orders/Get", "order_id: 'o-1'", new Metadata()));
    answers.put("search", unary("semlb.demo.v1.Search/Query", "query: 'lamps'", new Metadata()));
    log.info("gRPC answers {}", answers);

    answers.values().forEach(a -> assertThat(a.status().isOk()).as(a.toString()).isTrue());
    answers.values().forEach(a -> assertThat(a.messages()).as(a.toString()).isEqualTo(1));
    assertThat(answers.get("gold order").pool()).isEqualTo("high-compute");
    assertThat(answers.get("standard order").pool()).isEqualTo("general");
    assertThat(answers.get("get").pool()).isEqualTo("general");
    assertThat(answers.get("search").pool()).isEqualTo("fast-path");
  }

  @Test
  @Order(2)
  void aClientSentPoolHeader_neverDecides() throws Exception {
    Answer search = unary("semlb.demo.v1.Search/Query", "query: 'lamps'", spoofed("high-compute"));
    Answer order =
        unary("semlb.demo.v1.Orders/Create", "customer { tier: STANDARD }", spoofed("fast-path"));
    assertThat(search.status().isOk()).isTrue();
    assertThat(search.pool()).isEqualTo("fast-path");
    assertThat(order.status().isOk()).isTrue();
    assertThat(order.pool()).isEqualTo("general");
  }

  @Test
  @Order(3)
  void streamingCalls_flowBothWays_beforeTheClientEndsItsStream() throws Exception {
    Call watch =
        new Call(
            "semlb.demo.v1.Search/Watch",
            MethodDescriptor.MethodType.BIDI_STREAMING,
            new Metadata());
    List<Long> answerMillis = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      long sent = System.nanoTime();
      watch.call.sendMessage(message("semlb.demo.v1.Search/Watch", "query: 'q" + i + "'"));
      byte[] reply = watch.messages.poll(5, TimeUnit.SECONDS);
      assertThat(reply)
          .as("answer " + i + " arrives while the client's stream is still open")
          .isNotNull();
      answerMillis.add((System.nanoTime() - sent) / 1_000_000);
    }
    watch.call.halfClose();
    Answer answer = watch.end();
    log.info("bidi stream: answers after {} ms; {}", answerMillis, answer);
    assertThat(answer.status().isOk()).isTrue();
    assertThat(answer.pool()).isEqualTo("fast-path");

    // Client streaming: Orders/Import is decided by its method (general), never held for a body.
    Call imports =
        new Call(
            "semlb.demo.v1.Orders/Import",
            MethodDescriptor.MethodType.CLIENT_STREAMING,
            new Metadata());
    imports.call.sendMessage(message("semlb.demo.v1.Orders/Import", "customer { tier: GOLD }"));
    assertThat(imports.headers.get(5, TimeUnit.SECONDS).get(SERVED_BY))
        .as("the upstream answers before the client ends its stream")
        .isEqualTo("general");
    imports.call.halfClose();
    assertThat(imports.end().status().isOk()).isTrue();
  }

  @Test
  @Order(4)
  void messagesTheTableReads_areHeldUpTo2MiB_likeAnyBufferedBody() throws Exception {
    var envoy = STACK.stack().envoy();
    long tooLarge = envoy.stat("http.semlb.downstream_rq_too_large");
    long sent = envoy.stat("cluster.semlb_ext_proc.upstream_cx_tx_bytes_total");
    // Above limits.maxBodyBytes (64 KiB) the message is not decoded: the method decides.
    Answer oneMib =
        unary(
            "semlb.demo.v1.Orders/Create",
            "customer { tier: GOLD } note: '" + "x".repeat(1024 * 1024) + "'",
            new Metadata());
    long afterOne = envoy.stat("cluster.semlb_ext_proc.upstream_cx_tx_bytes_total");
    Answer threeMib =
        unary(
            "semlb.demo.v1.Orders/Create",
            "customer { tier: GOLD } note: '" + "x".repeat(3 * 1024 * 1024) + "'",
            new Metadata());
    long afterThree = envoy.stat("cluster.semlb_ext_proc.upstream_cx_tx_bytes_total");
    log.info(
        "1 MiB: {} ({} bytes to ext-proc-service); 3 MiB: {} ({} bytes)",
        oneMib,
        afterOne - sent,
        threeMib,
        afterThree - afterOne);

    assertThat(oneMib.status().isOk()).isTrue();
    assertThat(oneMib.pool()).isEqualTo("general");
    assertThat(threeMib.status().isOk()).as(threeMib.toString()).isFalse();
    assertThat(threeMib.pool()).as("never reached a pool").isNull();
    assertThat(envoy.stat("http.semlb.downstream_rq_too_large") - tooLarge).isEqualTo(1);
    assertThat(afterThree - afterOne)
        .as("Envoy did not hold (nor send) the whole 3 MiB")
        .isLessThan(2L * 1024 * 1024 + 64 * 1024);
  }

  @Test
  @Order(5)
  void failedCalls_reachCostFeedback_asTheHttpStatusTheirGrpcStatusStandsFor() throws Exception {
    Metadata fail = new Metadata();
    fail.put(
        Metadata.Key.of(GrpcWorker.DEMO_STATUS_HEADER, Metadata.ASCII_STRING_MARSHALLER), "14");
    for (int i = 0; i < 3; i++) {
      Answer a = unary("semlb.demo.v1.Orders/Get", "order_id: 'o-" + i + "'", fail);
      assertThat(a.status().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(a.pool()).isEqualTo("general");
    }
    // Envoy answered HTTP 200 each time; the access log's grpc-status trailer makes them 503s.
    java.util.regex.Pattern line =
        java.util.regex.Pattern.compile(
            "semlb_feedback_responses_total\\{code=\"503\",pool=\"general\",?\\} (\\S+)");
    String counted = "none";
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (System.nanoTime() < deadline && !counted.equals("3.0")) {
      var m = line.matcher(ExtProcAdmin.get(STACK.stack(), "/metrics").body());
      counted = m.find() ? m.group(1) : "none";
      Thread.sleep(100);
    }
    assertThat(counted).isEqualTo("3.0");
  }

  @Test
  @Order(9)
  void extProcDown_callsAreStillAnswered_byTheDefaultPool() throws Exception {
    STACK.stack().killExtProc();
    List<Answer> answers = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      answers.add(unary("semlb.demo.v1.Search/Query", "query: 'q" + i + "'", spoofed("fast-path")));
      answers.add(
          unary("semlb.demo.v1.Orders/Create", "customer { tier: GOLD }", spoofed("high-compute")));
    }
    log.info("with ext-proc-service down: {}", answers);
    assertThat(answers)
        .allSatisfy(
            a -> {
              assertThat(a.status().isOk()).as(a.toString()).isTrue();
              assertThat(a.pool())
                  .as("fail-open: default pool, spoofed header ignored")
                  .isEqualTo("general");
            });
  }
}
