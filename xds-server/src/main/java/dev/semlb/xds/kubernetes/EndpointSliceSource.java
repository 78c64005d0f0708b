package dev.semlb.xds.kubernetes;

import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the EndpointSlices of one namespace (an informer: one list, then a watch that reconnects
 * by itself) and reports, after every change, the ready addresses of every Service ({@code
 * kubernetes.io/service-name} label). Endpoints whose {@code ready} condition is false (not ready,
 * or terminating) are left out; an absent condition counts as ready, as the Kubernetes API says.
 * Needs RBAC {@code get, list, watch} on {@code discovery.k8s.io/endpointslices}. Thread-safe: the
 * informer calls back on its own thread, one event at a time.
 */
public final class EndpointSliceSource implements AutoCloseable {

  /** The label an EndpointSlice carries with its Service's name. */
  public static final String SERVICE_LABEL = "kubernetes.io/service-name";

  private static final Logger log = LoggerFactory.getLogger(EndpointSliceSource.class);

  private final SharedIndexInformer<EndpointSlice> informer;

  private EndpointSliceSource(SharedIndexInformer<EndpointSlice> informer) {
    this.informer = informer;
  }

  /**
   * Starts watching {@code namespace} without waiting for the API server; {@code onChange} gets
   * every Service's ready addresses after each change once the initial list is in.
   */
  public static EndpointSliceSource start(
      KubernetesClient client,
      String namespace,
      Consumer<Map<String, List<DiscoveredAddress>>> onChange) {
    Objects.requireNonNull(onChange, "onChange");
    SharedIndexInformer<EndpointSlice> informer =
        client.discovery().v1().endpointSlices().inNamespace(namespace).runnableInformer(0);
    informer.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(EndpointSlice slice) {
            onChange.accept(byService(informer.getStore().list()));
          }

          @Override
          public void onUpdate(EndpointSlice before, EndpointSlice after) {
            onChange.accept(byService(informer.getStore().list()));
          }

          @Override
          public void onDelete(EndpointSlice slice, boolean finalStateUnknown) {
            onChange.accept(byService(informer.getStore().list()));
          }
        });
    // Never block start-up on the API server: the file and registrations serve meanwhile,
    // and the informer keeps retrying.
    informer
        .start()
        .whenComplete(
            (ok, error) -> {
              if (error != null) {
                log.error(
                    "EndpointSlices in namespace {}: cannot list ({}); retrying",
                    namespace,
                    error.toString());
              } else {
                log.info("watching EndpointSlices in namespace {}", namespace);
              }
            });
    return new EndpointSliceSource(informer);
  }

  /** Ready addresses by Service name, from a set of EndpointSlices. */
  static Map<String, List<DiscoveredAddress>> byService(List<EndpointSlice> slices) {
    Map<String, List<DiscoveredAddress>> out = new LinkedHashMap<>();
    for (EndpointSlice slice : slices) {
      Map<String, String> labels =
          slice.getMetadata() == null ? null : slice.getMetadata().getLabels();
      String service = labels == null ? null : labels.get(SERVICE_LABEL);
      if (service == null
          || !"IPv4".equals(slice.getAddressType()) && !"IPv6".equals(slice.getAddressType())) {
        continue;
      }
      Map<String, Integer> ports = new HashMap<>();
      for (EndpointPort port :
          slice.getPorts() == null ? List.<EndpointPort>of() : slice.getPorts()) {
        if (port.getPort() != null
            && (port.getProtocol() == null || "TCP".equals(port.getProtocol()))) {
          ports.put(port.getName() == null ? "" : port.getName(), port.getPort());
        }
      }
      List<DiscoveredAddress> addresses = out.computeIfAbsent(service, s -> new ArrayList<>());
      for (Endpoint endpoint :
          slice.getEndpoints() == null ? List.<Endpoint>of() : slice.getEndpoints()) {
        boolean ready =
            endpoint.getConditions() == null
                || endpoint.getConditions().getReady() == null
                || endpoint.getConditions().getReady();
        if (ready && endpoint.getAddresses() != null) {
          endpoint.getAddresses().forEach(ip -> addresses.add(new DiscoveredAddress(ip, ports)));
        }
      }
    }
    return out;
  }

  /** Whether the initial list has arrived. */
  public boolean synced() {
    return informer.hasSynced();
  }

  @Override
  public void close() {
    informer.close();
  }
}
