package dev.semlb.classifier.view;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.TextFormat;
import dev.semlb.classifier.Pipeline;
import dev.semlb.classifier.config.RoutingConfig;
import dev.semlb.classifier.config.RoutingConfigLoader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The request view of gRPC calls: method from the path, first message decoded by the schema. */
public class GrpcBodyTest {

  static final Path ROOT = Path.of(System.getProperty("semlb.repoRoot", ".."));
  static final Path EXAMPLE = ROOT.resolve("config/examples/grpc-routing.yaml");
  static final String CREATE = "/semlb.demo.v1.Orders/Create";

  private static final RoutingConfig CONFIG = load();
  private static final Pipeline PIPELINE = Pipeline.build(CONFIG);

  private static RoutingConfig load() {
    try {
      return RoutingConfigLoader.load(EXAMPLE);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A request message of {@code type} written in protobuf text format, serialized. */
  public static byte[] message(GrpcSchema schema, String path, String text) throws Exception {
    GrpcMethod call = GrpcMethod.of("application/grpc", path);
    Descriptor type = schema.method(call).getInputType();
    DynamicMessage.Builder builder = DynamicMessage.newBuilder(type);
    TextFormat.merge(text, builder);
    return builder.build().toByteArray();
  }

  static RequestView view(Pipeline pipeline, String path, String type, byte[] body) {
    return pipeline.view("POST", path, Map.of("content-type", type), body, body.length);
  }

  private static byte[] order(String text) throws Exception {
    return GrpcFrame.frame(message(CONFIG.grpc(), CREATE, text));
  }

  @Test
  void view_exposesServiceAndMethod_ofGrpcCallsOnly() {
    RequestView grpc = view(PIPELINE, CREATE, "application/grpc+proto", new byte[0]);
    assertThat(grpc.grpc()).isEqualTo(new GrpcMethod("semlb.demo.v1.Orders", "Create"));
    assertThat(view(PIPELINE, CREATE, "application/json", new byte[0]).grpc()).isNull();
    assertThat(view(PIPELINE, CREATE, "application/grpc-web", new byte[0]).grpc()).isNull();
    assertThat(GrpcMethod.of("application/grpc", "/a.B/C/D")).isNull();
    assertThat(GrpcMethod.of("application/grpc", "/a.B/")).isNull();
    assertThat(GrpcMethod.of("application/grpc", "//C")).isNull();
    assertThat(GrpcMethod.of("application/grpc", "/")).isNull();
  }

  @Test
  void knownMethod_firstMessageDecoded_asFieldsAndText() throws Exception {
    byte[] body =
        order(
            "customer { id: 'c-7' tier: GOLD name: 'Ada' } items { sku: 'lamp' quantity: 2 }"
                + " items { sku: 'desk' quantity: 1 } labels { key: 'channel' value: 'web' }");
    BodyView view = view(PIPELINE, CREATE, "application/grpc", body).body();

    assertThat(view.kind()).isEqualTo(BodyKind.GRPC);
    assertThat(view.json().at("/customer/tier").asText()).isEqualTo("GOLD");
    assertThat(view.json().at("/items/1/sku").asText()).isEqualTo("desk");
    assertThat(view.json().at("/items/0/quantity").asInt()).isEqualTo(2);
    assertThat(view.json().at("/labels/channel").asText()).isEqualTo("web");
    assertThat(view.text()).contains("Ada", "lamp", "desk", "GOLD", "customer");
    assertThat(view.sizeBytes()).isEqualTo(body.length);
  }

  @Test
  void compressedCutOversizedOrGarbageMessages_yieldNoFields() throws Exception {
    byte[] whole = order("customer { tier: GOLD } note: 'a note that has some length to it'");
    byte[] compressed = whole.clone();
    compressed[0] = 1;
    byte[] cut = Arrays.copyOf(whole, whole.length - 3);
    byte[] garbage = GrpcFrame.frame(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff});
    for (byte[] body : new byte[][] {compressed, cut, garbage}) {
      BodyView view = view(PIPELINE, CREATE, "application/grpc", body).body();
      assertThat(view.kind()).isEqualTo(BodyKind.BINARY);
      assertThat(view.json()).isNull();
      assertThat(view.text()).isEmpty();
    }
    // Above maxBodyBytes: only a prefix is read, so the message is never decoded.
    byte[] big = order("note: '" + "x".repeat(70_000) + "'");
    BodyView view =
        PIPELINE
            .view(
                "POST",
                CREATE,
                Map.of("content-type", "application/grpc"),
                Arrays.copyOf(big, CONFIG.limits().maxBodyBytes()),
                big.length)
            .body();
    assertThat(view.kind()).isEqualTo(BodyKind.BINARY);
    assertThat(view.truncated()).isTrue();
  }

  @Test
  void unknownMethodOrNoSchema_yieldNoFields() throws Exception {
    byte[] body = order("customer { tier: GOLD }");
    assertThat(view(PIPELINE, "/semlb.demo.v1.Orders/Delete", "application/grpc", body).body())
        .extracting(BodyView::kind, BodyView::json)
        .containsExactly(BodyKind.BINARY, null);
    Pipeline plain =
        Pipeline.build(
            new RoutingConfig("general", CONFIG.pools(), java.util.List.of(), ViewLimits.DEFAULTS));
    assertThat(view(plain, CREATE, "application/grpc", body).body().kind())
        .isEqualTo(BodyKind.BINARY);
  }

  @Test
  void readsBody_onlyForKnownMethodsWithOneRequestMessage() {
    GrpcSchema schema = CONFIG.grpc();
    assertThat(schema.readsBody(new GrpcMethod("semlb.demo.v1.Orders", "Create"))).isTrue();
    assertThat(schema.readsBody(new GrpcMethod("semlb.demo.v1.Orders", "Import"))).isFalse();
    assertThat(schema.readsBody(new GrpcMethod("semlb.demo.v1.Search", "Watch"))).isFalse();
    assertThat(schema.readsBody(new GrpcMethod("semlb.demo.v1.Orders", "Nope"))).isFalse();
    assertThat(GrpcSchema.NONE.readsBody(new GrpcMethod("semlb.demo.v1.Orders", "Create")))
        .isFalse();
  }
}
