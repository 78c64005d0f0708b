package dev.semlb.xds.registry;

import java.util.Locale;

/** Where an endpoint of a pool came from; shown by {@code GET /api/pools}. */
public enum EndpointSource {
  /** Listed in {@code pools.yaml}. */
  FILE,
  /** Registered over the admin API with a lease ({@code POST /api/pools/{pool}/endpoints}). */
  REGISTRATION,
  /** A ready address of a Kubernetes Service named by the pool (EndpointSlices). */
  KUBERNETES;

  /** The lower-case name used in the API. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
