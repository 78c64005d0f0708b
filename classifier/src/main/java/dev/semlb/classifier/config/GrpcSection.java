package dev.semlb.classifier.config;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import dev.semlb.classifier.rules.GrpcMatch;
import dev.semlb.classifier.rules.StringMatch;
import dev.semlb.classifier.view.GrpcMethod;
import dev.semlb.classifier.view.GrpcSchema;
import dev.semlb.config.ConfigException;
import dev.semlb.config.ConfigNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;

/**
 * Reads the {@code grpc} section of {@code routing.yaml} and checks gRPC rules against it:
 *
 * <pre>
 * grpc:
 *   descriptorSet: grpc-demo.pb   # protoc --include_imports --descriptor_set_out; beside this file
 * </pre>
 *
 * Without the section gRPC calls are routed by service and method only. With it, a rule naming an
 * exact service (and method) must name one the set has, and its {@code json} fields must be fields
 * of the method's request message. Stateless.
 */
final class GrpcSection {

  private GrpcSection() {}

  static GrpcSchema read(ConfigNode root, Path folder) throws ConfigException {
    if (!root.has("grpc")) {
      return GrpcSchema.NONE;
    }
    ConfigNode node = root.get("grpc").onlyKeys("descriptorSet");
    ConfigNode fileNode = node.get("descriptorSet");
    Path file = folder.resolve(fileNode.asText()).normalize();
    if (!Files.isRegularFile(file)) {
      throw fileNode.invalid(
          "a FileDescriptorSet file (" + file + " does not exist; see docs/classifier.md#grpc)");
    }
    try {
      return GrpcSchema.load(file);
    } catch (IOException e) {
      throw fileNode.invalid("a readable FileDescriptorSet file (" + e.getMessage() + ")");
    } catch (IllegalArgumentException e) {
      throw fileNode.invalid(e.getMessage());
    }
  }

  /**
   * The {@code grpc} test of a rule's match: {@code service} and {@code method}, each a name
   * (exact) or a string test, either may be left out.
   */
  static GrpcMatch match(ConfigNode node, GrpcSchema schema, StringTests tests)
      throws ConfigException {
    node.onlyKeys("service", "method");
    StringMatch service = node.has("service") ? test(node.get("service"), tests) : null;
    StringMatch method = node.has("method") ? test(node.get("method"), tests) : null;
    if (schema.enabled() && exact(service) != null) {
      ServiceDescriptor known = schema.service(exact(service));
      if (known == null) {
        throw node.get("service")
            .invalid("a service of " + schema.file() + ": " + new TreeSet<>(schema.serviceNames()));
      }
      if (exact(method) != null && known.findMethodByName(exact(method)) == null) {
        TreeSet<String> names = new TreeSet<>();
        known.getMethods().forEach(m -> names.add(m.getName()));
        throw node.get("method").invalid("a method of " + known.getFullName() + ": " + names);
      }
    }
    return new GrpcMatch(service, method);
  }

  /**
   * Checks the {@code json} field paths of a rule whose {@code grpc} test names one method: each
   * must address a field of the method's request message ({@code *} or an index for repeated
   * fields, a key for maps). Without a descriptor set, fields of gRPC calls are never read.
   */
  static void checkFields(
      GrpcMatch grpc, List<ConfigNode> fields, GrpcSchema schema, ConfigNode where)
      throws ConfigException {
    if (grpc == null || fields.isEmpty()) {
      return;
    }
    if (!schema.enabled()) {
      throw where.invalid(
          "json tests on a gRPC rule only with grpc.descriptorSet (without it, message fields"
              + " are not read)");
    }
    String service = exact(grpc.service());
    String method = exact(grpc.method());
    if (service == null || method == null) {
      return; // several methods may match: their request messages differ
    }
    MethodDescriptor descriptor = schema.method(new GrpcMethod(service, method));
    for (ConfigNode field : fields) {
      String problem = problem(descriptor.getInputType(), field.text("field"));
      if (problem != null) {
        throw field.get("field").invalid(problem);
      }
    }
  }

  /** Why {@code path} addresses no field of {@code type}, or null when it does. */
  static String problem(Descriptor type, String path) {
    Descriptor current = type;
    FieldDescriptor collection = null; // a repeated or map field whose element comes next
    for (String segment : path.split("\\.", -1)) {
      if (collection != null) {
        boolean index = segment.equals("*") || segment.chars().allMatch(Character::isDigit);
        if (collection.isMapField() || index) {
          FieldDescriptor element =
              collection.isMapField()
                  ? collection.getMessageType().findFieldByNumber(2)
                  : collection;
          collection = null;
          current =
              element.getJavaType() == FieldDescriptor.JavaType.MESSAGE
                  ? element.getMessageType()
                  : null;
          continue;
        }
        return "an element of repeated field '" + collection.getName() + "' ('*' or an index)";
      }
      if (current == null) {
        return "a path that ends at a scalar field ('" + segment + "' follows one)";
      }
      FieldDescriptor field = current.findFieldByName(segment);
      if (field == null) {
        TreeSet<String> names = new TreeSet<>();
        current.getFields().forEach(f -> names.add(f.getName()));
        return "a field of " + current.getFullName() + ": " + names;
      }
      if (field.isRepeated()) {
        collection = field;
      } else {
        current =
            field.getJavaType() == FieldDescriptor.JavaType.MESSAGE ? field.getMessageType() : null;
      }
    }
    return null;
  }

  private static StringMatch test(ConfigNode node, StringTests tests) throws ConfigException {
    if (node.isScalar()) {
      String name = node.asText();
      if (name.isBlank()) {
        throw node.invalid("a name, or a test such as {prefix: ...}");
      }
      return StringMatch.exact(name, false);
    }
    node.onlyKeys("exact", "prefix", "contains", "regex", "ignoreCase");
    return tests.read(node);
  }

  /** The name an exact, case-sensitive test asks for, else null. */
  private static String exact(StringMatch match) {
    return match != null && match.kind() == StringMatch.Kind.EXACT && !match.ignoreCase()
        ? match.value()
        : null;
  }

  /** How the rules reader turns a node into a string test (shared with header and JSON tests). */
  @FunctionalInterface
  interface StringTests {
    StringMatch read(ConfigNode node) throws ConfigException;
  }
}
