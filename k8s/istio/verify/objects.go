package main

import (
	"fmt"
	"sort"
	"strings"

	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
	"sigs.k8s.io/yaml"
)

// kubeKinds are the Kubernetes kinds Istio's service registry reads; every other non-Istio kind
// is left out (it plays no part in the configuration istiod generates).
var kubeKinds = map[string]bool{"Namespace": true, "Service": true, "Pod": true, "EndpointSlice": true}

// sortedObjects are the YAML documents for Istio's config store and for its Kubernetes client.
type sortedObjects struct {
	istio   []string
	kube    []string
	ignored []string
	names   []string
}

// render runs kustomize (the library `kubectl apply -k` embeds) on a directory.
func render(dir string) ([]string, error) {
	resources, err := krusty.MakeKustomizer(krusty.MakeDefaultOptions()).Run(filesys.MakeFsOnDisk(), dir)
	if err != nil {
		return nil, err
	}
	var docs []string
	for _, r := range resources.Resources() {
		y, err := r.AsYAML()
		if err != nil {
			return nil, err
		}
		docs = append(docs, string(y))
	}
	return docs, nil
}

func splitDocuments(text string) []string {
	var docs []string
	for _, doc := range strings.Split("\n"+text, "\n---") {
		if strings.TrimSpace(stripComments(doc)) != "" {
			docs = append(docs, doc)
		}
	}
	return docs
}

func stripComments(doc string) string {
	var b strings.Builder
	for _, line := range strings.Split(doc, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(line), "#") {
			b.WriteString(line)
			b.WriteByte('\n')
		}
	}
	return b.String()
}

func sortObjects(docs []string) (sortedObjects, error) {
	var s sortedObjects
	for _, doc := range docs {
		var head struct {
			APIVersion string `json:"apiVersion"`
			Kind       string `json:"kind"`
			Metadata   struct {
				Name      string `json:"name"`
				Namespace string `json:"namespace"`
			} `json:"metadata"`
		}
		if err := yaml.Unmarshal([]byte(doc), &head); err != nil {
			return s, fmt.Errorf("not a Kubernetes object: %v:\n%s", err, doc)
		}
		name := fmt.Sprintf("%s %s/%s", head.Kind, head.Metadata.Namespace, head.Metadata.Name)
		group := strings.SplitN(head.APIVersion, "/", 2)[0]
		switch {
		case strings.HasSuffix(group, ".istio.io"):
			s.istio = append(s.istio, doc)
			s.names = append(s.names, "istio config "+name)
		case kubeKinds[head.Kind]:
			s.kube = append(s.kube, doc)
			s.names = append(s.names, "kubernetes "+name)
		default:
			s.ignored = append(s.ignored, head.Kind)
		}
	}
	return s, nil
}

func (s sortedObjects) summary() []string {
	lines := append([]string{}, s.names...)
	sort.Strings(lines)
	counts := map[string]int{}
	for _, k := range s.ignored {
		counts[k]++
	}
	var ignored []string
	for k, n := range counts {
		ignored = append(ignored, fmt.Sprintf("%s x%d", k, n))
	}
	sort.Strings(ignored)
	if len(ignored) > 0 {
		lines = append(lines, "not loaded (no part in config generation): "+strings.Join(ignored, ", "))
	}
	return lines
}
