// Command istio-verify runs Istio's own discovery server (istiod's config generation, from
// Istio's test harness istio.io/istio/pilot/test/xds) over semlb's Istio manifests, and serves
// ADS on a TCP address so that a real Envoy, started as an Istio ingress gateway or sidecar, can
// take its configuration from it.
//
// The Kubernetes API is Istio's fake client: the rendered kustomizations (what
// `kubectl apply -k` would apply) and the extra objects of -objects (the pods and EndpointSlices
// that put the test's processes behind the Services) are loaded into it; the networking.istio.io
// objects go to Istio's config store. Other kinds (Deployments, ConfigMaps, ...) are not needed
// for config generation and are left out.
//
//	istio-verify -xds 127.0.0.1:15010 -kustomize k8s/istio -objects workloads.yaml
//
// It prints "istio-verify: serving ADS on <address>" once ready and runs until stdin closes or it
// gets SIGTERM/SIGINT, so a test that starts it needs no cleanup beyond closing its stdin.
package main

import (
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"google.golang.org/protobuf/types/known/wrapperspb"

	"istio.io/istio/pilot/pkg/features"
	"istio.io/istio/pilot/test/xds"
	"istio.io/istio/pkg/config/mesh"
	"istio.io/istio/pkg/log"
)

type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

func main() {
	var kustomizations, objectFiles listFlag
	address := flag.String("xds", "127.0.0.1:15010", "address to serve ADS on (plaintext gRPC)")
	flag.Var(&kustomizations, "kustomize", "a kustomization directory to render and load (repeatable)")
	flag.Var(&objectFiles, "objects", "a YAML file of extra Kubernetes or Istio objects (repeatable)")
	flag.Parse()
	// Istio logs to stdout by default; stdout is for the ready line only.
	logOptions := log.DefaultOptions()
	logOptions.OutputPaths = []string{"stderr"}
	logOptions.ErrorOutputPaths = []string{"stderr"}
	if err := log.Configure(logOptions); err != nil {
		fail("%v", err)
	}
	if len(kustomizations) == 0 {
		fail("no -kustomize directory given")
	}

	// Two of the filters Istio adds exist only in Istio's own Envoy build (istio-proxy), and the
	// upstream Envoy the tests run rejects every cluster and listener that carries one: the peer
	// metadata exchange (cluster filter istio.metadata_exchange, HTTP filter
	// io.istio.http.peer_metadata.Config) and the ALPN override (HTTP filter istio.alpn). Both are
	// turned off with istiod's own switches, PILOT_ENABLE_METADATA_EXCHANGE=false and
	// PILOT_ENABLE_ALPN_FILTER=false (read once at start, hence set here).
	features.MetadataExchange = false
	features.ALPNFilter = false

	var docs []string
	for _, dir := range kustomizations {
		rendered, err := render(dir)
		if err != nil {
			fail("kustomize %s: %v", dir, err)
		}
		docs = append(docs, rendered...)
	}
	for _, file := range objectFiles {
		text, err := os.ReadFile(file)
		if err != nil {
			fail("%v", err)
		}
		docs = append(docs, splitDocuments(string(text))...)
	}
	objects, err := sortObjects(docs)
	if err != nil {
		fail("%v", err)
	}
	for _, line := range objects.summary() {
		fmt.Fprintf(os.Stderr, "istio-verify: %s\n", line)
	}

	// Istio's default mesh config, but without auto mTLS: its TLS transport socket takes the
	// workload certificate over SDS from istio-agent, which this harness does not run (the
	// clusters would wait for it forever). The test's pods carry no sidecar, so with auto mTLS
	// on their endpoints would be plaintext all the same.
	meshConfig := mesh.DefaultMeshConfig()
	meshConfig.EnableAutoMtls = wrapperspb.Bool(false)

	t := newFailer()
	defer t.runCleanups()
	go func() {
		server := xds.NewFakeDiscoveryServer(t, xds.FakeOptions{
			ConfigString:           strings.Join(objects.istio, "\n---\n"),
			KubernetesObjectString: strings.Join(objects.kube, "\n---\n"),
			MeshConfig:             meshConfig,
			ListenerBuilder: func() (net.Listener, error) {
				return net.Listen("tcp", *address)
			},
		})
		fmt.Printf("istio-verify: serving ADS on %s\n", server.Listener.Addr())
	}()
	waitForStop()
}

// waitForStop returns when stdin reaches end of file or on SIGTERM/SIGINT.
func waitForStop() {
	stop := make(chan struct{}, 2)
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		stop <- struct{}{}
	}()
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT)
	go func() {
		<-signals
		stop <- struct{}{}
	}()
	<-stop
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "istio-verify: "+format+"\n", args...)
	os.Exit(1)
}
