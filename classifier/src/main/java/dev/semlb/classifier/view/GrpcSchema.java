package dev.semlb.classifier.view;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The gRPC services of a {@code FileDescriptorSet} ({@code protoc --include_imports
 * --descriptor_set_out=...}), so a request's first message can be decoded with protobuf-java's
 * {@link DynamicMessage} and its fields tested like a JSON body's: a message becomes a JSON object
 * keyed by the {@code .proto} field names, repeated fields arrays, maps objects, enums their value
 * names, 64-bit integers numbers; bytes fields are left out. Only fields that are set appear
 * (proto3 leaves default values unsent).
 *
 * <p>Immutable and thread-safe once loaded. {@link #NONE} knows no service.
 */
public final class GrpcSchema {

  /** No descriptor set: gRPC calls are routed by service and method only. */
  public static final GrpcSchema NONE = new GrpcSchema(null, Map.of());

  /** The largest descriptor set file read. */
  static final long MAX_FILE_BYTES = 16L * 1024 * 1024;

  private final Path file;
  private final Map<String, ServiceDescriptor> services;

  private GrpcSchema(Path file, Map<String, ServiceDescriptor> services) {
    this.file = file;
    this.services = Map.copyOf(services);
  }

  /**
   * Reads a descriptor set file.
   *
   * @throws IOException if the file cannot be read
   * @throws IllegalArgumentException if it is no descriptor set, or one whose files do not link (an
   *     import missing: build it with {@code --include_imports}), or it has no service
   */
  public static GrpcSchema load(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    if (Files.size(file) > MAX_FILE_BYTES) {
      throw new IllegalArgumentException(
          "descriptor set " + file + " (expected: at most " + MAX_FILE_BYTES + " bytes)");
    }
    return of(file, Files.readAllBytes(file));
  }

  /** Reads descriptor set bytes; {@code file} names them in messages. */
  static GrpcSchema of(Path file, byte[] bytes) {
    FileDescriptorSet set;
    try {
      set = FileDescriptorSet.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException(
          file + " (expected: a FileDescriptorSet from protoc --descriptor_set_out)", e);
    }
    Map<String, FileDescriptorProto> protos = new LinkedHashMap<>();
    for (FileDescriptorProto proto : set.getFileList()) {
      protos.put(proto.getName(), proto);
    }
    Map<String, FileDescriptor> built = new HashMap<>();
    Map<String, ServiceDescriptor> services = new HashMap<>();
    for (String name : protos.keySet()) {
      FileDescriptor fd = build(name, protos, built, 0, file);
      for (ServiceDescriptor service : fd.getServices()) {
        services.put(service.getFullName(), service);
      }
    }
    if (services.isEmpty()) {
      throw new IllegalArgumentException(
          file + " (expected: a descriptor set with at least one service)");
    }
    return new GrpcSchema(file, services);
  }

  private static FileDescriptor build(
      String name,
      Map<String, FileDescriptorProto> protos,
      Map<String, FileDescriptor> built,
      int depth,
      Path file) {
    FileDescriptor done = built.get(name);
    if (done != null) {
      return done;
    }
    FileDescriptorProto proto = protos.get(name);
    if (proto == null || depth > 64) {
      throw new IllegalArgumentException(
          file
              + ": import '"
              + name
              + "' missing (expected: a set built with protoc --include_imports)");
    }
    List<String> imports = proto.getDependencyList();
    FileDescriptor[] deps = new FileDescriptor[imports.size()];
    for (int i = 0; i < deps.length; i++) {
      deps[i] = build(imports.get(i), protos, built, depth + 1, file);
    }
    try {
      FileDescriptor fd = FileDescriptor.buildFrom(proto, deps);
      built.put(name, fd);
      return fd;
    } catch (DescriptorValidationException e) {
      throw new IllegalArgumentException(
          file + ": '" + name + "' (expected: valid descriptors: " + e.getDescription() + ")", e);
    }
  }

  /** The file it was read from, or null for {@link #NONE}. */
  public Path file() {
    return file;
  }

  /** Whether it knows any service. */
  public boolean enabled() {
    return !services.isEmpty();
  }

  /** The fully qualified names of its services. */
  public java.util.Set<String> serviceNames() {
    return services.keySet();
  }

  /** A service by fully qualified name, or null. */
  public ServiceDescriptor service(String name) {
    return services.get(name);
  }

  /** The descriptor of a called method, or null when the set does not have it. */
  public MethodDescriptor method(GrpcMethod call) {
    ServiceDescriptor service = services.get(call.service());
    return service == null ? null : service.findMethodByName(call.method());
  }

  /**
   * Whether a call's body is worth waiting for: the set knows the method and its client sends one
   * message (unary or server streaming). A client-streaming call is never buffered (it may wait for
   * answers before it ends its stream); its method decides.
   */
  public boolean readsBody(GrpcMethod call) {
    MethodDescriptor method = method(call);
    return method != null && !method.isClientStreaming();
  }

  /**
   * Decodes a message of {@code type} to a JSON tree, or null when the bytes are no such message.
   * Nesting deeper than {@code maxDepth} is left out.
   */
  public static ObjectNode decode(Descriptor type, byte[] message, int maxDepth) {
    DynamicMessage parsed;
    try {
      parsed = DynamicMessage.parseFrom(type, message);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      return null;
    }
    return object(parsed, Math.max(1, maxDepth));
  }

  private static ObjectNode object(Message message, int depth) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    if (depth <= 0) {
      return out;
    }
    for (Map.Entry<FieldDescriptor, Object> e : message.getAllFields().entrySet()) {
      FieldDescriptor field = e.getKey();
      if (field.isMapField()) {
        ObjectNode map = out.putObject(field.getName());
        for (Object entry : (List<?>) e.getValue()) {
          Message m = (Message) entry;
          FieldDescriptor k = m.getDescriptorForType().findFieldByNumber(1);
          FieldDescriptor v = m.getDescriptorForType().findFieldByNumber(2);
          JsonNode value = value(v, m.getField(v), depth - 1);
          if (value != null) {
            map.set(String.valueOf(m.getField(k)), value);
          }
        }
      } else if (field.isRepeated()) {
        ArrayNode array = out.putArray(field.getName());
        for (Object element : (List<?>) e.getValue()) {
          JsonNode value = value(field, element, depth - 1);
          if (value != null) {
            array.add(value);
          }
        }
      } else {
        JsonNode value = value(field, e.getValue(), depth - 1);
        if (value != null) {
          out.set(field.getName(), value);
        }
      }
    }
    return out;
  }

  private static JsonNode value(FieldDescriptor field, Object value, int depth) {
    JsonNodeFactory json = JsonNodeFactory.instance;
    return switch (field.getJavaType()) {
      case MESSAGE -> depth <= 0 ? null : object((Message) value, depth);
      case ENUM -> json.textNode(((EnumValueDescriptor) value).getName());
      case STRING -> json.textNode((String) value);
      case BOOLEAN -> json.booleanNode((Boolean) value);
      case INT -> json.numberNode((Integer) value);
      case LONG -> json.numberNode((Long) value);
      case FLOAT -> json.numberNode((Float) value);
      case DOUBLE -> json.numberNode((Double) value);
      case BYTE_STRING -> null;
    };
  }
}
